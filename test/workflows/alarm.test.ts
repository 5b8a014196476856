// The held items of a cycle share one timer for their chases (workflows/alarm.ts, patch one-alarm):
// the same reminders and escalations at the same seconds as a cycle whose items keep a timer each, with
// a fraction of the timers.
import { describe, expect, it } from 'vitest';
import { timeSkippingWithSmtp } from '../helpers/time-skipping.js';
import { exampleCycle } from '../helpers/cycle.js';
import { skipTo, stopCycle, testWorker } from '../helpers/worker.js';
import { until } from '../api/scored-cycle.js';
import type { AuditEntry } from '../../domain/audit.js';
import { chased } from '../helpers/chase-audit.js';

const t = timeSkippingWithSmtp('2019-12-01T00:00:00+08:00');


describe('one timer for the items of a cycle', () => {
  it('chases as a timer each did, to the minute, with a fraction of the timers', async () => {
    const shared = exampleCycle('alarm-one');
    const each = exampleCycle('alarm-each');
    const one = await testWorker(t.env, { smtpUrl: t.smtp.url });
    // A worker that does not take the patch: each item keeps a timer of its own, as before it.
    const own = await testWorker(t.env, { smtpUrl: t.smtp.url, extra: { patchActivationCallback: ({ patchId }) => patchId !== 'one-alarm' } });
    const audits: AuditEntry[][] = [];
    const timers: number[] = [];
    const both = [[shared, one.client], [each, own.client]] as const;
    await one.worker.runUntil(own.worker.runUntil(async () => {
      for (const [cycle, client] of both) await client.start(cycle, 'office-lin');
      await skipTo(t.env, '2019-12-20T10:00:00+08:00');
      for (const [cycle, client] of both) {
        await client.submit(cycle.cycleId, 'plan', { actor: 'office-lin' });
        await client.approve(cycle.cycleId, 'plan', { actor: 'hr-reviewer' });
        await client.approve(cycle.cycleId, 'plan', { actor: 'efficiency-group' });
      }
      // Sixteen summaries chased from their deadline (31 January) on: reminders, escalations, repeats.
      await skipTo(t.env, '2020-02-14T12:00:00+08:00');
      for (const [cycle, client] of both) {
        // The last before the clock stopped: the evidence's escalation to the director on 13 February.
        await until(`${cycle.cycleId}'s mails`, async () => ((await client.audit(cycle.cycleId))
          .some((e) => e.action === 'reminder-sent' && e.at.startsWith('2020-02-13') && e.detail?.startsWith('to=director-zhang')) ? true : undefined));
        audits.push(await client.audit(cycle.cycleId));
        const history = await t.env.client.workflow.getHandle(cycle.cycleId).fetchHistory();
        timers.push((history.events ?? []).filter((e) => e.timerStartedEventAttributes).length);
      }
      for (const [cycle] of both) await stopCycle(t.env, cycle.cycleId, []);
    }));
    // A mail lists its items in the order they woke: with one timer, the order of the file; with one each, the server's.
    const asSet = (line: string) => line.replace(/^(\S+ reminder-sent )(\S+)/, (_, head: string, items: string) => head + items.split(',').sort().join(','));
    const [withOne, withEach] = audits.map((a) => chased(a, { toMinute: true, chaseOnly: true }).map(asSet).sort());
    expect(withOne!.length).toBeGreaterThan(90);
    expect(withOne).toEqual(withEach);
    expect(timers[0]).toBeLessThan(timers[1]! / 3);
  });
});
