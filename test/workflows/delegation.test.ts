// 委托 / 转办 (issue 11) on the time-skipping server with a real SMTP sink: a delegate acts only where the
// person they act for may act now, the audit and the records say who acted for whom, reminders go to the
// delegate with that person in copy, and a revoked or ended delegation gives nothing more.
import { describe, expect, it } from 'vitest';
import type { ParsedMail } from 'mailparser';
import { timeSkippingWithSmtp } from '../helpers/time-skipping.js';
import { headerOf, mailsWith, recipientOf } from '../helpers/smtp.js';
import { exampleCycle } from '../helpers/cycle.js';
import { failure, skipTo, stopCycle, testWorker } from '../helpers/worker.js';
import { until } from '../api/scored-cycle.js';
import { operatorActor } from '../../client/operator.js';
import type { CycleInput } from '../../domain/cycle.js';
import type { Store } from '../../store/index.js';

const t = timeSkippingWithSmtp('2019-12-01T00:00:00+08:00');

const ofCycle = (cycleId: string) => t.smtp.messages.filter((m) => headerOf(m, 'x-perfcycle-cycle') === cycleId);
const to = (address: string) => (m: ParsedMail) => recipientOf(m) === address;
const DEPUTY = { id: 'deputy-ma', name: '马建军（地籍科副科长）', email: 'ma@jinjiang.example' };

/** The deputy is a colleague of the directory, not a person of the cycle: the mailer finds the address there. */
async function seedDeputy(store: Store, cycle: CycleInput) {
  await store.directory.importDirectory({
    units: [{ id: cycle.unit.id, name: cycle.unit.name }], departments: [],
    people: [{ ...DEPUTY, lang: 'zh-CN', unit: cycle.unit.id }],
  }, operatorActor());
}

const stop = (cycleId: string, deliverables: string[]) => stopCycle(t.env, cycleId, deliverables);

describe('delegating one item (委托)', () => {
  it('lets the delegate approve for the reviewer, says so in the records and the audit, and refuses everyone else', async () => {
    const cycle = exampleCycle('delegate-item');
    const id = cycle.cycleId;
    const { worker, client, store } = await testWorker(t.env, { smtpUrl: t.smtp.url });
    await seedDeputy(store, cycle);
    let audit: Awaited<ReturnType<typeof client.audit>> = [];
    await worker.runUntil(async () => {
      await client.start(cycle, 'office-lin');
      await skipTo(t.env, '2019-12-09T10:00:00+08:00');
      await client.submit(id, 'plan', { actor: 'office-lin' });
      const deputy = { to: DEPUTY.id, toName: DEPUTY.name, deliverableId: 'plan' };
      // Before any delegation the deputy is nobody here; a head with no part in the plan has nothing to hand on.
      expect((await failure(client.approve(id, 'plan', { actor: DEPUTY.id }))).code).toBe('refused');
      expect((await failure(client.delegate(id, { actor: 'head-wu', ...deputy }))).code).toBe('refused');
      expect((await failure(client.delegate(id, { actor: 'head-wu', from: 'hr-reviewer', ...deputy }))).code).toBe('refused');
      expect(await failure(client.delegate(id, { actor: 'hr-reviewer', to: 'hr-reviewer', toName: 'x', deliverableId: 'plan' })))
        .toMatchObject({ code: 'invalid', message: expect.stringMatching(/^to: /) });
      expect((await failure(client.delegate(id, { actor: 'hr-reviewer', ...deputy, deliverableId: 'nothing' }))).code).toBe('not-found');

      const d = await client.delegate(id, { actor: 'hr-reviewer', ...deputy, reason: '出差' });
      expect(d).toMatchObject({ id: 1, from: 'hr-reviewer', to: DEPUTY.id, deliverableId: 'plan', by: 'hr-reviewer', reason: '出差' });
      expect((await client.status(id)).delegations).toMatchObject([{ id: 1, to: DEPUTY.id }]);
      // Told at once, past the minute a mail gathers its notices (acting first would make the mail moot).
      await skipTo(t.env, '2019-12-09T10:03:00+08:00');
      await until('the deputy is told', async () => (ofCycle(id).some(to(DEPUTY.email)) ? true : undefined), 20_000);
      // Only the step the person delegating may take now: the deputy cannot submit for the owner.
      expect((await failure(client.submit(id, 'plan', { actor: DEPUTY.id }))).code).toBe('refused');
      const snap = await client.approve(id, 'plan', { actor: DEPUTY.id, comment: '同意' });
      expect(snap.reviews).toMatchObject([{ by: DEPUTY.id, for: 'hr-reviewer', decision: 'approved' }]);
      // The next stage is the approver's own: the hr reviewer's deputy has no part in it.
      expect((await failure(client.approve(id, 'plan', { actor: DEPUTY.id }))).code).toBe('refused');
      // Delegations in force are bounded (each open item carries them): the 31st is bad input.
      for (let i = 2; i <= 30; i += 1) await client.delegate(id, { actor: 'efficiency-group', to: `deputy-${i}`, toName: `副手${i}`, deliverableId: 'plan' });
      const bound = await failure(client.delegate(id, { actor: 'efficiency-group', to: 'deputy-31', toName: '副手31', deliverableId: 'plan' }));
      expect(bound).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^delegations: .*30/) });
      audit = await client.audit(id);
      await stop(id, (await client.status(id)).deliverables.map((x) => x.id));
    });
    const approved = audit.find((e) => e.action === 'approved' && e.subject === 'plan');
    expect(approved).toMatchObject({ actor: DEPUTY.id, onBehalfOf: 'hr-reviewer' });
    expect(audit.find((e) => e.action === 'delegated')).toMatchObject({ actor: 'hr-reviewer', subject: 'plan', detail: `to=${DEPUTY.id}: 出差` });
    const told = ofCycle(id).filter(to(DEPUTY.email));
    expect(told.map((m) => headerOf(m, 'x-perfcycle-items'))).toEqual(['plan:delegated']);
    expect(told[0]!.text).toContain('【委托您办理】');
    expect(told[0]!.text).toContain('您代市人社局考核科办理此项（委托）。');
    expect(told[0]!.text).toContain('请您审核（通过或退回）');
  });
});

describe('handing all one\'s items over for a span of days (外出委托)', () => {
  it('chases the delegate with the owner in copy, accepts the delegate\'s submission for the owner, and stops at revocation', async () => {
    const cycle = exampleCycle('delegate-span');
    const id = cycle.cycleId;
    const { worker, client, store } = await testWorker(t.env, { smtpUrl: t.smtp.url });
    await seedDeputy(store, cycle);
    const wu = 'head-wu@jinjiang.example';
    let audit: Awaited<ReturnType<typeof client.audit>> = [];
    await worker.runUntil(async () => {
      await client.start(cycle, 'office-lin');
      await skipTo(t.env, '2019-12-11T10:00:00+08:00');
      // Handed over before the summaries open: the item opened later is handed the delegation when it starts.
      const span = { actor: 'head-wu', to: DEPUTY.id, toName: DEPUTY.name, start: '2020-01-20', end: '2020-01-28', reason: '休假' };
      expect(await failure(client.delegate(id, { ...span, start: '2020-01-29' }))).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^start: /) });
      expect(await failure(client.delegate(id, { ...span, end: '2020-09-30' }))).toMatchObject({ code: 'invalid', message: expect.stringMatching(/^end: /) });
      await client.delegate(id, span);
      await client.submit(id, 'plan', { actor: 'office-lin' });
      await client.approve(id, 'plan', { actor: 'hr-reviewer' });
      await client.approve(id, 'plan', { actor: 'efficiency-group' });
      // The 7-days-before reminder of summary-cadastre (due 2020-01-31) fires on 2020-01-24, inside the span.
      await skipTo(t.env, '2020-01-24T09:30:00+08:00');
      await until('the reminder to the deputy', async () => (mailsWith(ofCycle(id), 'summary-cadastre:reminder').some(to(DEPUTY.email)) ? true : undefined), 20_000);
      // After the span the owner acts alone again: the deputy is refused.
      await skipTo(t.env, '2020-01-29T10:00:00+08:00');
      expect((await failure(client.submit(id, 'summary-cadastre', { actor: DEPUTY.id }))).code).toBe('refused');
      // A new span, taken back at once: the deputy can do nothing with it.
      const again = { ...span, start: '2020-01-29', end: '2020-01-31' };
      const taken = await client.delegate(id, again);
      expect((await failure(client.revokeDelegation(id, { actor: 'head-zheng', id: taken.id }))).code).toBe('refused');
      await client.revokeDelegation(id, { actor: 'head-wu', id: taken.id });
      expect((await failure(client.revokeDelegation(id, { actor: 'head-wu', id: taken.id }))).code).toBe('conflict');
      expect((await failure(client.submit(id, 'summary-cadastre', { actor: DEPUTY.id }))).code).toBe('refused');
      // Given again: the deputy submits for the owner; another head's item stays out of reach.
      await client.delegate(id, again);
      expect((await failure(client.submit(id, 'summary-landuse', { actor: DEPUTY.id }))).code).toBe('refused');
      const snap = await client.submit(id, 'summary-cadastre', { actor: DEPUTY.id, note: '代为提交' });
      expect(snap.submissions.at(-1)).toMatchObject({ by: DEPUTY.id, for: 'head-wu' });
      audit = await client.audit(id);
      await stop(id, (await client.status(id)).deliverables.map((x) => x.id));
    });
    const reminders = mailsWith(ofCycle(id), 'summary-cadastre:reminder').filter((m) => headerOf(m, 'x-perfcycle-slot') === '2020-01-24T09:00:00+08:00');
    const toDeputy = reminders.find(to(DEPUTY.email));
    const toWu = reminders.find(to(wu));
    expect(toDeputy?.text).toContain('您代吴海峰（地籍与确权登记科科长）办理此项（委托）。');
    expect(toDeputy?.text).toContain('请您提交，截止 2020年1月31日（周五）24:00');
    expect(toWu?.text).toContain('此项已委托马建军（地籍科副科长）代为办理，本邮件抄送您知悉。');
    expect(audit.find((e) => e.action === 'submitted' && e.subject === 'summary-cadastre')).toMatchObject({ actor: DEPUTY.id, onBehalfOf: 'head-wu' });
    expect(audit.filter((e) => e.action === 'delegation-revoked').map((e) => e.actor)).toEqual(['head-wu']);
  }, 180_000);
});
