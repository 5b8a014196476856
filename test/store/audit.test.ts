// The audit chain on both databases: idempotent appends, order, and tampering named by verify.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditWrite } from '../../store/audit.js';
import type { Store } from '../../store/index.js';
import { DB_KINDS, testStore } from '../helpers/db.js';

const write = (key: string, action = 'submitted', detail?: string): AuditWrite => ({
  sourceKey: key,
  entry: { at: '2019-12-20T10:00:00.000+08:00', actor: 'office-lin', role: 'coordinator', action: action as AuditWrite['entry']['action'], subject: 'plan', workflowId: 'wf', ...(detail && { detail }) },
});

describe.each(DB_KINDS)('audit store on %s', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => ({ store, close } = await testStore(kind)));
  afterAll(async () => close?.());

  it('appends in order, numbers rows, and stores a retried write once', async () => {
    expect(await store.audit.append('c1', [write('wf#1'), write('wf#2', 'approved')])).toBe(2);
    expect(await store.audit.append('c1', [write('wf#2', 'approved'), write('wf#3', 'rejected', '理由')])).toBe(1);
    const rows = await store.audit.list('c1');
    expect(rows.map((r) => [r.seq, r.action])).toEqual([[1, 'submitted'], [2, 'approved'], [3, 'rejected']]);
    expect(rows[2]?.detail).toBe('理由');
    expect(await store.audit.verify('c1')).toEqual({ ok: true, rows: 3 });
  });

  it('writes a batch of thousands (a directory import\'s) in order, more rows than one statement takes', async () => {
    const batch = Array.from({ length: 2_500 }, (_, i) => write(`big#${i + 1}`, i % 2 ? 'approved' : 'submitted'));
    expect(await store.audit.append('c-big', [write('big#0'), ...batch.slice(0, 1)])).toBe(2);
    expect(await store.audit.append('c-big', batch)).toBe(2_499);
    const rows = await store.audit.list('c-big');
    expect(rows.map((r) => r.key)).toEqual(['big#0', ...batch.map((w) => w.sourceKey)]);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(await store.audit.verify('c-big')).toEqual({ ok: true, rows: 2_501 });
  });

  it('keeps one chain per cycle when writers race', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.audit.append('c2', [write(`api:${i}`, 'refused')])));
    const rows = await store.audit.list('c2');
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await store.audit.verify('c2')).ok).toBe(true);
  });

  it('keeps whom an actor acted for (委托) under the hash: the name changed or removed breaks the chain there', async () => {
    const forHr = (key: string): AuditWrite => {
      const w = write(key, 'approved');
      return { ...w, entry: { ...w.entry, actor: 'deputy-ma', onBehalfOf: 'hr-reviewer' } };
    };
    await store.audit.append('c5', [write('c5#1'), forHr('c5#2'), write('c5#3')]);
    expect((await store.audit.list('c5')).map((r) => r.onBehalfOf ?? null)).toEqual([null, 'hr-reviewer', null]);
    expect(await store.audit.verify('c5')).toEqual({ ok: true, rows: 3 });
    await sql`update audit_entries set on_behalf_of = 'director-zhang' where cycle_id = 'c5' and pos = 2`.execute(store.db);
    expect(await store.audit.verify('c5')).toMatchObject({ ok: false, firstBad: { seq: 2 } });
    await store.audit.append('c6', [forHr('c6#1')]);
    await sql`update audit_entries set on_behalf_of = null where cycle_id = 'c6'`.execute(store.db);
    expect(await store.audit.verify('c6')).toMatchObject({ ok: false, firstBad: { seq: 1 } });
  });

  it('names the first row that was edited, and a deleted last row', async () => {
    await store.audit.append('c3', [write('c3#1'), write('c3#2'), write('c3#3'), write('c3#4')]);
    await sql`update audit_entries set detail = 'forged' where cycle_id = 'c3' and pos = 2`.execute(store.db);
    expect(await store.audit.verify('c3')).toMatchObject({ ok: false, firstBad: { seq: 2 } });
    await store.audit.append('c4', [write('c4#1'), write('c4#2')]);
    await sql`delete from audit_entries where cycle_id = 'c4' and pos = 2`.execute(store.db);
    expect(await store.audit.verify('c4')).toMatchObject({ ok: false, firstBad: { seq: 2 } });
  });
});
