// Prints how long a whole 2019 cycle (2019-12-01 → 2020-05-31) takes on the time-skipping server and
// what it costs: wall time, peak memory of this process (worker + client), history sizes, mails.
// Everyone delivers late, so the chase runs at full length. `npm run bench`
import { timeSkippingServer } from '../test/helpers/temporal.js';
import { startSmtpSink } from '../test/helpers/smtp.js';
import { exampleCycle } from '../test/helpers/cycle.js';
import { skipTo, testWorker } from '../test/helpers/worker.js';

const t0 = performance.now();
let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
const env = await timeSkippingServer('2019-12-01T00:00:00+08:00');
const smtp = await startSmtpSink();
const cycle = exampleCycle('bench');
const id = cycle.cycleId;
const { worker, client } = await testWorker(env, { smtpUrl: smtp.url });
const tStart = performance.now();
let events = 0;
let auditEntries = 0;
await worker.runUntil(async () => {
  await client.start(cycle, 'office-lin');
  await skipTo(env, '2020-01-08T10:00:00+08:00');
  await client.submit(id, 'plan', { actor: 'office-lin' });
  await client.approve(id, 'plan', { actor: 'hr-reviewer' });
  await client.approve(id, 'plan', { actor: 'efficiency-group' });
  await skipTo(env, '2020-02-20T10:00:00+08:00');
  for (const d of cycle.departments) {
    await client.submit(id, `summary-${d.id}`, { actor: d.owner });
    await client.approve(id, `summary-${d.id}`, { actor: d.leader });
  }
  await skipTo(env, '2020-04-10T10:00:00+08:00');
  await client.submit(id, 'result', { actor: 'efficiency-office' });
  await client.submit(id, 'bonus-list', { actor: 'office-lin' });
  await client.approve(id, 'bonus-list', { actor: 'efficiency-office' });
  await skipTo(env, '2020-05-31T00:00:00+08:00');
  await client.submit(id, 'rectification', { actor: 'office-lin' });
  await client.approve(id, 'rectification', { actor: 'hr-reviewer' });
  await env.client.workflow.getHandle(id).result();
  events = (await env.client.workflow.getHandle(id).fetchHistory()).events?.length ?? 0;
  auditEntries = (await client.audit(id)).length;
});
const tEnd = performance.now();
clearInterval(sampler);
console.log(JSON.stringify({
  cycle: id,
  simulated: '2019-12-01 → 2020-05-31',
  cycleSeconds: Number(((tEnd - tStart) / 1000).toFixed(1)),
  totalSecondsIncludingServerStart: Number(((tEnd - t0) / 1000).toFixed(1)),
  peakRssMiB: Math.round(peakRss / 2 ** 20),
  parentHistoryEvents: events,
  mailsSent: smtp.messages.length,
  auditEntries,
}, null, 2));
await env.teardown();
await smtp.close();
process.exit(0);
