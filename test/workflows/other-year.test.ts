// A cycle for another year takes its own calendar: the source document's dates moved to Y = 2024,
// and working days from the 2025 holiday notice (Spring Festival 28 Jan – 4 Feb, Saturday 8 Feb worked).
import { describe, expect, it } from 'vitest';
import { timeSkippingWithSmtp } from '../helpers/time-skipping.js';
import { exampleCycle } from '../helpers/cycle.js';
import { skipTo, testWorker } from '../helpers/worker.js';

const t = timeSkippingWithSmtp('2024-12-01T00:00:00+08:00');

const slotsOf = (item: string, to: string) => t.smtp.messages
  .filter((m) => String(m.headers.get('x-perfcycle-items')).split(',').includes(item))
  .filter((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address === to)
  .map((m) => String(m.headers.get('x-perfcycle-slot'))).sort();

describe('a cycle for 2024 with the default calendar', () => {
  it('derives every deadline from the year and counts 2025 working days', async () => {
    const cycle = exampleCycle('y2024', (f) => { f.year = 2024; f.calendar = {}; });
    expect(cycle.cycleId).toBe('perfcycle-jinjiang-zrzy-y2024-2024');
    expect(cycle.dates).toEqual({
      planSubmission: '2024-12-31', planApproval: '2025-01-10', summary: '2025-01-31', reviewStart: '2025-02-10',
      reviewEnd: '2025-02-14', scoring: '2025-03-31', publication: '2025-04-30', rectification: '2025-05-15',
    });
    const { worker, client } = await testWorker(t.env, { smtpUrl: t.smtp.url });
    const id = cycle.cycleId;
    await worker.runUntil(async () => {
      await client.start(cycle, 'office-lin');
      expect((await client.status(id)).deliverables[0]?.due).toBe('2024-12-31T23:59:59.999+08:00');
      await skipTo(t.env, '2024-12-26T10:00:00+08:00');
      await client.submit(id, 'plan', { actor: 'office-lin' });
      await client.approve(id, 'plan', { actor: 'hr-reviewer' });
      await client.approve(id, 'plan', { actor: 'efficiency-group' });
      const s = await client.status(id);
      expect(s.phase).toBe('summary');
      expect(s.deliverables.find((d) => d.id === 'summary-office')?.due).toBe('2025-01-31T23:59:59.999+08:00');
      expect(s.deliverables.find((d) => d.id === 'evidence-office')?.due).toBe('2025-02-10T23:59:59.999+08:00');
      await skipTo(t.env, '2025-02-07T12:00:00+08:00');
    });
    expect(slotsOf('plan:reminder', 'office-lin@jinjiang.example')).toEqual(['2024-12-24T09:00:00+08:00']);
    expect(slotsOf('summary-office:escalate-leader', 'leader-chen@jinjiang.example')).toEqual(['2025-02-01T09:00:00+08:00']);
    // 31 Jan is a holiday; 5, 6 and 7 Feb are the three working days after it.
    expect(slotsOf('summary-office:escalate-director', 'director-zhang@jinjiang.example')).toEqual(['2025-02-07T09:00:00+08:00']);
  });
});
