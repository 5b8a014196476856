// The mail ledger remembers failures on both databases: each failed attempt's reason and count, an
// attempt cut off by a stopped worker (its lease ran out), the error cleared once sent; and the
// cycle's troubles as the dashboard lists them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { cycleOfKey } from '../../store/mail-ledger.js';
import { DB_KINDS, testStore } from '../helpers/db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CYCLE = 'perfcycle-jinjiang-zrzy-2019';
let n = 0;
const mail = (cycleId = CYCLE) => {
  n += 1;
  const key = `${cycleId}|office-lin|2019-12-31T09:00:00+08:00|${n}`;
  return { id: `<m${n}-${Math.random()}@perfcycle>`, info: { key, to: '林晓燕 <office-lin@jinjiang.example>', subject: `s${n}`, personId: 'office-lin' } };
};

describe.each(DB_KINDS)('the mail ledger\'s failures on %s', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  beforeAll(async () => ({ store, close } = await testStore(kind)));
  afterAll(async () => close?.());

  it('takes the cycle from the key', () => {
    expect(cycleOfKey(`${CYCLE}|result|g1|office-lin`)).toBe(CYCLE);
    expect(cycleOfKey('no-cycle')).toBeNull();
  });

  it('records each failed attempt, lists the mail as retrying, and clears the error once sent', async () => {
    const m = mail();
    await store.mail.claim(m.id, 'a1', 15_000, m.info);
    await store.mail.release(m.id, 'a1', { kind: 'busy', message: '421 try later' });
    await store.mail.claim(m.id, 'a2', 15_000, m.info);
    await store.mail.release(m.id, 'a2', { kind: 'unreachable', message: 'ECONNECTION connect ECONNREFUSED' });
    const row = await store.mail.get(m.id);
    expect(row).toMatchObject({ cycle_id: CYCLE, person_id: 'office-lin', attempts: 2, failures: 2, last_error_kind: 'unreachable', last_error: 'ECONNECTION connect ECONNREFUSED', owner: null });
    expect(row?.failed_since).toBeInstanceOf(Date);
    expect(row!.last_failed_at!.getTime()).toBeGreaterThanOrEqual(row!.failed_since!.getTime());

    const [t] = (await store.mail.troubles(CYCLE)).filter((x) => x.messageId === m.id);
    expect(t).toMatchObject({ state: 'retrying', personId: 'office-lin', subject: m.info.subject, attempts: 2, failures: 2, error: { kind: 'unreachable' }, sentAt: null });
    expect(t?.since.getTime()).toBe(row!.failed_since!.getTime());

    await store.mail.claim(m.id, 'a3', 15_000, m.info);
    await store.mail.markSent(m.id, 'a3', '250 ok');
    expect(await store.mail.get(m.id)).toMatchObject({ state: 'sent', attempts: 3, failures: 2, last_error: null, last_error_kind: null });
    const [d] = (await store.mail.troubles(CYCLE)).filter((x) => x.messageId === m.id);
    expect(d).toMatchObject({ state: 'delivered', attempts: 3, failures: 2 });
    expect(d?.error).toBeUndefined();
    expect(d?.sentAt).toBeInstanceOf(Date);
    // Delivered long enough ago, it is no longer news.
    await sleep(1_100);
    expect((await store.mail.troubles(CYCLE, { recentMs: 1_000 })).some((x) => x.messageId === m.id)).toBe(false);
  });

  it('a claim whose lease ran out shows as cut off at once, and the taking over counts it as failed', async () => {
    const m = mail();
    await store.mail.claim(m.id, 'killed', 300, m.info);
    expect((await store.mail.troubles(CYCLE)).some((x) => x.messageId === m.id)).toBe(false); // alive: nothing to say
    await sleep(500);
    const [stalled] = (await store.mail.troubles(CYCLE)).filter((x) => x.messageId === m.id);
    expect(stalled).toMatchObject({ state: 'retrying', attempts: 1, failures: 0, error: { kind: 'cut-off' } });
    expect(await store.mail.claim(m.id, 'retry', 15_000, m.info)).toEqual({ ok: true, attempts: 2 });
    const row = await store.mail.get(m.id);
    expect(row).toMatchObject({ failures: 1, last_error_kind: 'cut-off', owner: 'retry' });
    expect(row?.last_error).toMatch(/attempt killed stopped renewing/);
    expect(row?.failed_since?.getTime()).toBeLessThan(Date.now());
    // Being retried (a live claim) after a failure: still listed, with the reason.
    expect((await store.mail.troubles(CYCLE)).find((x) => x.messageId === m.id)).toMatchObject({ state: 'retrying', error: { kind: 'cut-off' } });
  });

  it('a refused mail is listed as refused, only recently; other cycles\' mails and clean sends never', async () => {
    const refused = mail();
    await store.mail.claim(refused.id, 'a', 15_000, refused.info);
    await store.mail.release(refused.id, 'a', { kind: 'refused', message: '550 no such user' });
    const clean = mail();
    await store.mail.claim(clean.id, 'b', 15_000, clean.info);
    await store.mail.markSent(clean.id, 'b', '250 ok');
    const released = mail(); // given back without a failure (an old caller): nothing to report
    await store.mail.claim(released.id, 'c', 15_000, released.info);
    await store.mail.release(released.id, 'c');
    const elsewhere = mail('perfcycle-other-2019');
    await store.mail.claim(elsewhere.id, 'd', 15_000, elsewhere.info);
    await store.mail.release(elsewhere.id, 'd', { kind: 'busy', message: '421' });

    const ids = (await store.mail.troubles(CYCLE)).map((x) => x.messageId);
    expect(ids).toContain(refused.id);
    for (const id of [clean.id, released.id, elsewhere.id]) expect(ids).not.toContain(id);
    expect((await store.mail.troubles(CYCLE)).find((x) => x.messageId === refused.id)).toMatchObject({ state: 'refused', error: { kind: 'refused', message: '550 no such user' } });
    expect((await store.mail.troubles('perfcycle-other-2019')).map((x) => x.messageId)).toEqual([elsewhere.id]);
  });
});
