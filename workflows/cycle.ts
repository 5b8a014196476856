// One evaluation cycle of one unit and year: walks the phases, runs its deliverables (held in the cycle;
// a child workflow each in cycles started before), keeps the audit, and gathers each person's notices
// into one mail per slot.
import {
  allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, patched, proxyActivities, setHandler, sleep,
  startChild, workflowInfo, ParentClosePolicy, ActivityFailure, ApplicationFailure,
} from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import type { DigestOutcome, SendResult } from '../activities/mail.js';
import { SYSTEM, type AuditEntry, type AuditInput } from '../domain/audit.js';
import { deadline, personById, rolesOf, windowOpens } from '../domain/cycle.js';
import { currentNotices, itemStateOf, mailDirectory } from '../domain/chase-mail.js';
import { deliverablesFor, gateOf, progressPeriods, progressSpecs, type DeliverableSpec } from '../domain/deliverables.js';
import { groupNotices, mailDueAt, retryRoundDelayMs } from '../domain/digest.js';
import type { Person } from '../domain/cycle-file.js';
import type { Notice } from '../domain/notices.js';
import { PHASE_LABELS, type Phase } from '../domain/phases.js';
import { millisUntil, toZonedIso } from '../domain/time.js';
import {
  auditQuery, closeSignal, deliverableEventSignal, refusalSignal, statusQuery,
  type CycleArgs, type CycleStatus, type DeliverableEvent, type DeliverableSnapshot, type Delivery,
} from './definitions.js';
import { deliverableWorkflow } from './deliverable.js';
import { createAlarm } from './alarm.js';
import { installDelegations } from './delegations.js';
import { installHeldItems } from './held-items.js';
import { Paused, pausable } from './pause.js';
import { installLedger } from './ledger.js';

// The heartbeat timeout (above the mail ledger's 15 s lease) lets Temporal notice a killed worker's
// send in seconds rather than at the one-minute timeout.
const { sendDigest, sendResultMail } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 20 },
});
const { prepareScoring } = proxyActivities<Activities>({ startToCloseTimeout: '5 minutes' });
/** Quick tries of a round of sending, before the workflow records the delay (people see it) and tries again later. */
const TRIES_PER_ROUND = 3;
const { sendDigest: sendDigestSoon } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: TRIES_PER_ROUND },
});
// The digests that fall due together, in one activity (each still sent on its own inside it).
const { sendDigests } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: TRIES_PER_ROUND },
});
/** Digests per sendDigests activity: keeps its input small. */
const DIGESTS_PER_ACTIVITY = 20;
// The record must get through: retried without end (an outage of the database only delays it).
// (A local activity would cost fewer events, but its completion's timing relative to the cycle's other
// loops is not replayed faithfully under load: a full replay of a closed cycle then failed.)
const { storeAudit, storeFinalStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
/** Entries per write: keeps each activity's input small. */
const AUDIT_BATCH = 100;
/** History events after which a run hands its state to a new one (unless Temporal suggests it sooner). */
export const CONTINUE_AS_NEW_AFTER = 10_000;

export async function evaluationCycle({ cycle, startedBy, carry, continueAsNewAfter }: CycleArgs): Promise<CycleStatus> {
  const { workflowId } = workflowInfo();
  const zone = cycle.timeZone;
  // Notices that fall due together wait this long so that one mail can carry them all.
  const graceMs = (cycle.policy.digestGraceSeconds ?? 60) * 1000;
  /** Between rounds of tries of a mail: 1, 2, 4 … minutes by default, at most 30. */
  const redeliverAfterMs = (round: number) => retryRoundDelayMs(round, cycle.policy.mailRetrySeconds);
  // Cycles started before the database keep the audit whole in memory and never continue as new;
  // from here on the audit holds only what is not stored yet, and a long history starts a new run.
  const inDatabase = patched('audit-in-database');
  // From here on a mail leaves out, just before it is sent, every item whose state changed since its
  // notice was raised, and is not sent when nothing is left (no activity: hence the patch).
  const dropStale = patched('fresh-digests');
  // From here on an urge (催办) is mailed at once: its notice does not wait the grace, and the mailer
  // wakes for it. Runs started before keep mailing it after the grace (its wake would be a new command).
  const urgeAtOnce = patched('urge-now');
  // From here on the cycle holds its deliverables (workflows/held-items.ts) instead of starting a child
  // workflow for each. A run continued from one that started children goes on with its children.
  const itemsHeld = carry ? carry.itemsHeld === true : patched('items-held');
  // From here on the length of history is looked at when something is recorded, not in a condition:
  // conditions are also evaluated in the task of an Update its validator rejects, a task history does
  // not keep, whose length then counted events that replay never sees (a nondeterminism seen at a
  // refusal just as the run reached its length).
  const lengthOnRecord = patched('length-on-record');
  // From here on the digests that fall due at once go out in one activity: a slot's mails and their
  // audit lines then cost one activity, not one each (issue 10: mail was 6 080 of 11 658 activities).
  const together = patched('digests-together');
  // From here on a chase's mail falls due a grace after the instant it was scheduled for, not after its
  // late timer raised it (domain/digest.ts mailDueAt): the mail's timer changes, hence the patch. Only
  // for held items: a child's notice comes by a signal, whose delay the grace must still cover.
  const fromSchedule = itemsHeld && patched('grace-from-schedule');
  // From here on the held items' timed waits share one timer (workflows/alarm.ts) instead of one each.
  const oneAlarm = itemsHeld && patched('one-alarm');
  let phase: Phase = carry?.phase ?? 'plan';
  let reviewWindow: CycleStatus['reviewWindow'] = carry?.reviewWindow ?? 'not-open';
  const collected: { scoringPackage?: string } = { ...carry?.collected };
  let finished = false;
  const deliverables = new Map<string, DeliverableSnapshot>((carry?.deliverables ?? []).map((d) => [d.id, d]));
  const audit: AuditEntry[] = [...(carry?.audit ?? [])];
  let seq = carry?.seq ?? 0;
  let storing: AuditEntry[] = [];
  let recordsDone = false;
  let pending: Notice[] = [...(carry?.pending ?? [])];
  const digestsSent = new Map<string, number>(carry?.digestsSent ?? []);
  let published = carry?.published ?? 0;
  let step = carry?.step ?? 0;
  const applied = new Map<string, number>(carry?.applied ?? []);
  let held: DeliverableEvent[] = [...(carry?.held ?? [])];
  const deliveries = new Map<string, Delivery>((carry?.deliveries ?? []).map((d) => [d.key, d]));
  const sending = new Set<Promise<void>>();
  // Set once the history is long: every loop stops at its next wait, and the state goes to a new run.
  let stopping = false;

  const nowIso = () => toZonedIso(new Date(), zone);
  const record = (e: AuditInput, wf = workflowId) => {
    audit.push({ ...e, seq: ++seq, at: nowIso(), workflowId: wf });
    if (lengthOnRecord) noticeLongHistory();
  };
  const ledger = installLedger({ cycle, record, nowIso, phase: () => phase, reviewWindow: () => reviewWindow }, carry?.ledger);
  const status = (): CycleStatus => ({
    cycleId: cycle.cycleId, unit: cycle.unit, year: cycle.year, timeZone: zone, phase, phaseLabel: PHASE_LABELS[phase],
    dates: cycle.dates, reviewWindow, deliverables: [...deliverables.values()], ...collected, ...ledger.status(),
    ...(delegations.all().length && { delegations: delegations.all() }),
  });

  setHandler(statusQuery, status);
  setHandler(auditQuery, () => (inDatabase ? [...storing, ...audit] : audit));
  /** `about`: the item's state as the notices speak of it (a mail leaves out what changed since). */
  const raise = (notices: Notice[], about: DeliverableSnapshot) => {
    const stamp = { raisedMs: new Date().getTime(), itemState: itemStateOf(about), ...(about.department && { department: about.department }) };
    pending.push(...notices.map((n) => (inDatabase ? { ...n, ...stamp } : n)));
  };
  const delegations = installDelegations({ cycle, workflowId, record, nowIso, raise, deliverables: () => deliverables, itemsHeld }, carry?.delegations);
  /** A person of the cycle, or a colleague acting for one (委托), whose address the mailer looks up. */
  const personOf = (id: string): Person | undefined => personById(cycle, id) ?? guests().find((p) => p.id === id);
  const guests = (): Person[] => delegations.all().map((d) => ({ id: d.to, name: d.toName, email: '', lang: 'zh-CN' }));
  const apply = ({ snapshot, audit: entries, notices }: DeliverableEvent) => {
    const known = deliverables.get(snapshot.id);
    if (!known || known.version <= snapshot.version) deliverables.set(snapshot.id, snapshot);
    for (const e of entries ?? []) record(e, `${workflowId}.${snapshot.id}`);
    // The event's snapshot is the item's state as the notice speaks of it (events apply in their order).
    raise(notices ?? [], snapshot);
  };
  // A deliverable numbers its events (version 1, 2, …); two signals sent in one task may arrive in
  // either order, so each is applied in its turn: the audit then tells changes in the order they happened.
  setHandler(deliverableEventSignal, (ev) => {
    if (!inDatabase) return apply(ev);
    held.push(ev);
    const id = ev.snapshot.id;
    for (;;) {
      const next = (applied.get(id) ?? 0) + 1;
      const due = held.find((e) => e.snapshot.id === id && e.snapshot.version === next);
      if (!due) break;
      held = held.filter((e) => e !== due);
      applied.set(id, next);
      apply(due);
    }
    // A repeat of an event already applied has nothing left to say.
    held = held.filter((e) => e.snapshot.id !== id || e.snapshot.version > (applied.get(id) ?? 0));
  });
  setHandler(refusalSignal, (r) => void record({
    actor: r.actor, role: rolesOf(cycle, r.actor).join(' ') || 'none', action: 'refused', subject: r.subject,
    detail: `${r.action}: ${r.reason}`,
  }));

  /** Waits for `done` (or `ms`, when given: then `done` wakes it early); gives up with Paused when the run is to continue as new. */
  const until = async (done: () => boolean, ms?: number): Promise<void> => {
    if (ms === undefined) await condition(() => done() || stopping);
    else if (ms > 0) {
      if (inDatabase) await condition(() => stopping || done(), ms);
      else await sleep(ms);
    }
    if (stopping && !(ms === undefined && done())) throw new Paused();
  };
  const limit = continueAsNewAfter ?? CONTINUE_AS_NEW_AFTER;
  const historyIsLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= limit;
  /** Asked when something is recorded: only a task that history keeps records anything (see lengthOnRecord). */
  function noticeLongHistory() {
    // A closing cycle finishes its mails in this run.
    if (inDatabase && phase !== 'closed' && !finished && !stopping && historyIsLong()) stopping = true;
  }
  const alarm = oneAlarm ? createAlarm(() => stopping) : undefined;
  const items = itemsHeld ? installHeldItems({
    cycle, apply, deliverables: () => deliverables, delegationsFor: delegations.forItem,
    wait: async (done, ms) => {
      if (alarm && ms !== undefined && ms > 0) {
        await alarm.wait(done, ms);
        if (stopping) throw new Paused();
        return done();
      }
      await until(done, ms);
      return done();
    },
  }, carry?.items) : undefined;
  const alarmRuns = alarm ? alarm.run() : Promise.resolve();

  const mailer = pausable(runMailer());
  const writer = inDatabase ? pausable(runAuditWriter()) : Promise.resolve();
  // Both wait for something only the new Updates bring (targets, a grade): histories without them get no new command.
  const tracking = pausable(runTracking());
  const publication = pausable(runPublication());
  if (inDatabase && !lengthOnRecord) void pausable(watchHistory());
  for (const d of deliveries.values()) dispatch(d);
  if (!carry) record({ actor: startedBy, role: rolesOf(cycle, startedBy).join(' ') || 'operator', action: 'cycle-started', subject: cycle.cycleId });

  const steps: (() => Promise<void>)[] = [
    () => runPhase('plan'),
    () => runPhase('summary'),
    async () => {
      await until(() => false, millisUntil(windowOpens(cycle), new Date()));
      if (phase === 'review') return;
      await enterPhase('review');
      reviewWindow = 'open';
      record({ actor: SYSTEM, role: SYSTEM, action: 'review-window-opened', subject: cycle.cycleId });
    },
    async () => {
      await until(() => false, millisUntil(deadline(cycle, 'reviewEnd'), new Date()));
      if (reviewWindow !== 'closed') {
        reviewWindow = 'closed';
        record({ actor: SYSTEM, role: SYSTEM, action: 'review-window-closed', subject: cycle.cycleId });
      }
      await closeOpen('evidence', 'review window closed / 考评窗口已关闭');
      await closeOpen('progress', 'review window closed / 考评窗口已关闭');
      if (collected.scoringPackage) return;
      const withLedger = ledger.targets().length
        ? { targets: ledger.targets(), evidence: ledger.evidence(), marks: ledger.marks(), figures: ledger.figures() } : {};
      const pkg = await prepareScoring({
        cycleId: cycle.cycleId, unit: cycle.unit, year: cycle.year, collectedAt: nowIso(), deliverables: [...deliverables.values()], ...withLedger,
      });
      collected.scoringPackage = pkg.path;
      record({ actor: SYSTEM, role: SYSTEM, action: 'scoring-prepared', subject: cycle.cycleId, detail: pkg.path });
    },
    () => runPhase('scoring'),
    () => runPhase('publication'),
    () => runPhase('rectification'),
  ];
  try {
    for (; step < steps.length; step += 1) await steps[step]!();
    // A wait that was already over when the run was told to stop lets the last step finish while the
    // other loops (the mailer among them) have stopped: the cycle then closes in the next run, with them.
    if (lengthOnRecord && stopping) throw new Paused();
  } catch (err) {
    if (!(err instanceof Paused)) throw err;
    // Every loop has stopped at a wait; updates in progress finish first; nothing is in flight after.
    await Promise.all([mailer, tracking, publication, writer, alarmRuns]);
    await Promise.all([...sending]);
    await items?.stopped();
    await condition(allHandlersFinished);
    return continueAsNew<typeof evaluationCycle>({
      cycle, startedBy, ...(continueAsNewAfter !== undefined && { continueAsNewAfter }),
      carry: {
        step, seq, phase, reviewWindow, collected, deliverables: [...deliverables.values()], audit: [...storing, ...audit],
        pending, digestsSent: [...digestsSent], published, ledger: ledger.state(), applied: [...applied], held, deliveries: [...deliveries.values()],
        ...(delegations.all().length && { delegations: delegations.all() }),
        ...(items && { itemsHeld: true as const, items: items.state() }),
      },
    });
  }
  await enterPhase('closed');
  record({ actor: SYSTEM, role: SYSTEM, action: 'cycle-closed', subject: cycle.cycleId });
  finished = true;
  await Promise.all([mailer, tracking, publication]);
  while (sending.size) await Promise.all([...sending]);
  // An action still being applied to an item gets its answer before the cycle ends.
  if (items) await condition(allHandlersFinished);
  recordsDone = true;
  await writer;
  if (inDatabase) await storeFinalStatus({ cycle, status: status() });
  return status();

  async function watchHistory() {
    await condition(() => finished || historyIsLong());
    if (!finished) stopping = true;
  }

  /** Moves the audit into the database in the order recorded; what is stored leaves the workflow's memory. */
  async function runAuditWriter() {
    for (;;) {
      await until(() => audit.length > 0 || recordsDone);
      if (audit.length === 0) return;
      storing = audit.splice(0, AUDIT_BATCH);
      await storeAudit({ cycleId: cycle.cycleId, recorder: workflowId, entries: storing });
      storing = [];
    }
  }

  async function enterPhase(next: Phase) {
    const from = phase;
    phase = next;
    record({ actor: SYSTEM, role: SYSTEM, action: 'phase-changed', subject: cycle.cycleId, detail: `${from} → ${next}` });
  }

  async function runPhase(next: Phase) {
    if (next !== 'plan' && phase !== next) await enterPhase(next);
    const specs = deliverablesFor(next, cycle);
    // A run that continues a phase finds its deliverables open already.
    const fresh = specs.filter((s) => !deliverables.has(s.id));
    // Listed before any child starts, so a status read right after the phase change shows them all.
    for (const spec of fresh) list(spec);
    await Promise.all(fresh.map(open));
    const gate = gateOf(next, specs);
    await until(() => gate.every((id) => deliverables.get(id)?.state === 'accepted'));
  }

  function list(spec: DeliverableSpec) {
    deliverables.set(spec.id, {
      id: spec.id, kind: spec.kind, title: spec.title, ...(spec.department && { department: spec.department }),
      owner: spec.owner, state: 'open', stage: 0, actors: [spec.owner], due: spec.due, submissions: [], reviews: [], version: 0,
    });
  }

  async function open(spec: DeliverableSpec) {
    if (items) return items.open(spec);
    const handed = delegations.forNewItem(spec.id);
    await startChild(deliverableWorkflow, {
      workflowId: `${workflowId}.${spec.id}`,
      args: [{ cycleId: workflowId, spec, policy: cycle.policy, workCalendar: cycle.workCalendar, timeZone: zone, coordinator: cycle.roles.coordinator, ...(handed && { delegations: handed }) }],
      // A run that continues as new closes; its children must live on into the next run.
      parentClosePolicy: inDatabase ? ParentClosePolicy.ABANDON : ParentClosePolicy.TERMINATE,
    });
  }

  async function closeOpen(kind: DeliverableSpec['kind'], why: string) {
    for (const d of deliverables.values()) {
      if (d.kind === kind && d.state !== 'accepted' && d.state !== 'closed') {
        if (items) items.close(d.id, why);
        else await getExternalWorkflowHandle(`${workflowId}.${d.id}`).signal(closeSignal, why);
      }
    }
  }

  /** Monthly progress reports on the targets, from the first import until the summary deadline. */
  async function runTracking() {
    await until(() => ledger.targets().length > 0 || finished);
    for (const p of finished ? [] : progressPeriods(cycle, new Date())) {
      await until(() => false, millisUntil(p.opens, new Date()));
      if (finished || reviewWindow === 'closed') return;
      // The targets as they stand when the period opens: a re-import changes who reports from then on.
      const specs = progressSpecs(cycle, ledger.targets(), p).filter((s) => !deliverables.has(s.id));
      for (const spec of specs) list(spec);
      await Promise.all(specs.map(open));
    }
  }

  /** Publication (公布结果): each grade the city hands down is mailed to the director and the coordinator. */
  async function runPublication() {
    for (;;) {
      await until(() => ledger.grades.length > published || finished);
      const g = ledger.grades[published];
      if (!g) return;
      published += 1;
      const s = ledger.score();
      for (const to of [...new Set([cycle.roles.director, cycle.roles.coordinator])]) {
        const person = personOf(to);
        if (!person) continue;
        try {
          const sent = await sendResultMail({
            key: `${workflowId}|result|${g.gradingId}|${to}`, unitName: cycle.unit.name, cycleId: cycle.cycleId, year: cycle.year, to: person,
            grade: g.grade, rank: g.rank, units: g.units, score: g.score, reason: g.reason,
            ...(s.complete && { breakdown: s.breakdown }), ...ledger.consequences(g),
          });
          record({ actor: SYSTEM, role: SYSTEM, action: 'result-published', subject: cycle.cycleId, detail: `to=${to} grade=${g.grade} id=${sent.messageId}` });
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
          record({ actor: SYSTEM, role: SYSTEM, action: 'mail-failed', subject: cycle.cycleId, detail: `result to=${to}: ${err.cause?.message ?? err.message}` });
        }
      }
    }
  }

  async function runMailer() {
    for (;;) {
      await until(() => pending.length > 0 || finished);
      if (pending.length === 0) return;
      if (inDatabase) {
        await mailWhatIsDue();
        continue;
      }
      const earliest = Math.min(...pending.map((n) => Date.parse(n.slot)));
      await until(() => false, earliest + graceMs - new Date().getTime());
      const cutoff = new Date().getTime() - graceMs;
      const ready = pending.filter((n) => Date.parse(n.slot) <= cutoff);
      pending = pending.filter((n) => Date.parse(n.slot) > cutoff);
      for (const group of groupNotices(ready)) await deliver(group.to, group.slot, group.notices);
    }
  }

  /** When a notice falls due (mailDueAt), the notices of the same person and slot pending then go in its mail. */
  async function mailWhatIsDue() {
    const atOnce = (n: Notice) => urgeAtOnce && n.kind === 'urged';
    const dueAt = (n: Notice) => mailDueAt(n, graceMs, { urgeAtOnce, fromSchedule });
    // An urge raised while others wait their grace goes out at once (an urge already pending: no wait).
    await until(() => pending.some(atOnce), Math.min(...pending.map(dueAt)) - new Date().getTime());
    const now = new Date().getTime();
    const groupOf = (n: Notice) => `${n.to}|${n.slot}`;
    const due = new Set(pending.filter((n) => dueAt(n) <= now).map(groupOf));
    const ready = pending.filter((n) => due.has(groupOf(n)));
    pending = pending.filter((n) => !due.has(groupOf(n)));
    if (together) return deliverTogether(groupNotices(ready));
    for (const group of groupNotices(ready)) await deliver(group.to, group.slot, group.notices);
  }

  function deliverTogether(groups: ReturnType<typeof groupNotices>) {
    const batch = groups.map((g) => delivery(g.to, g.slot, g.notices)).filter((d): d is Delivery => d !== undefined);
    for (let i = 0; i < batch.length; i += DIGESTS_PER_ACTIVITY) dispatchTogether(batch.slice(i, i + DIGESTS_PER_ACTIVITY));
  }

  function dispatchTogether(batch: Delivery[]) {
    if (batch.length === 1) return dispatch(batch[0]!);
    for (const d of batch) deliveries.set(d.key, d);
    const run: Promise<void> = pausable(sendTogether(batch)).finally(() => void sending.delete(run));
    sending.add(run);
  }

  /** One round for the batch; each digest that did not go out goes on alone, like a mail of its own. */
  async function sendTogether(batch: Delivery[]) {
    const live = batch.filter(stillNews);
    if (live.length <= 1) return live[0] && redeliver(live[0]);
    let outcomes: DigestOutcome[];
    try {
      outcomes = await sendDigests({ digests: live.map((d) => digestOf(d.key, personOf(d.to)!, d.slot, d.notices)), lastAttempt: TRIES_PER_ROUND });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const cause = err.cause?.message ?? err.message;
      outcomes = live.map(() => ({ failed: cause, permanent: false }));
    }
    const later = live.filter((d, i) => {
      const o = outcomes[i]!;
      if ('sent' in o) return void delivered(d, o.sent);
      return failedRound(d, o.failed, o.permanent);
    });
    if (!later.length) return;
    await until(() => false, redeliverAfterMs(1));
    await Promise.all(later.map((d) => redeliver(d, 2)));
  }

  /** The mail activity's input: the notices with the names they speak of. */
  function digestOf(key: string, to: Person, slot: string, notices: Notice[]) {
    return { key, cycleId: cycle.cycleId, unit: cycle.unit, year: cycle.year, timeZone: zone, to, slot, notices, directory: mailDirectory({ people: [...cycle.people, ...guests()], departments: cycle.departments }, notices) };
  }

  /** Each mail on its own: one that cannot get through holds back nobody else's. */
  function dispatch(d: Delivery) {
    deliveries.set(d.key, d);
    const run: Promise<void> = pausable(redeliver(d)).finally(() => void sending.delete(run));
    sending.add(run);
  }

  /**
   * Just before a mail is first tried: what changed since its notice (approved, submitted, sent back) is
   * no longer news. A mail with nothing left is not sent, and not audited: the audit has the action that
   * made it moot. A mail already tried keeps what it says: its ledger row (and the dashboard) speak of it.
   */
  function stillNews(d: Delivery): boolean {
    if (!dropStale || d.attempts) return true;
    d.notices = currentNotices(d.notices, (id) => deliverables.get(id));
    if (d.notices.length) return true;
    deliveries.delete(d.key);
    return false;
  }

  function subjectOf(notices: Notice[]): string {
    return [...new Set(notices.map((x) => x.deliverableId))].join(',');
  }

  function delivered(d: Delivery, sent: SendResult) {
    deliveries.delete(d.key);
    const subject = subjectOf(d.notices);
    const kinds = [...new Set(d.notices.map((x) => x.kind))].join('+');
    // A chat robot that refused for good (issue 9): the digest went by e-mail instead, and the audit
    // says which robot and why, before the line that says how it went out. (Results recorded by
    // earlier versions have neither: their lines read as they did.)
    for (const f of sent.fallbacks ?? []) record({ actor: SYSTEM, role: SYSTEM, action: 'notice-fallback', subject, detail: `to=${d.to} channel=${f.channel} robot=${f.robotId} reason=${f.reason}` });
    const via = sent.via ? ` via=${sent.via.map((v) => v.channel).join('+')}` : '';
    record({ actor: SYSTEM, role: SYSTEM, action: 'reminder-sent', subject, detail: `to=${d.to} kinds=${kinds} id=${sent.messageId}${via}${d.attempts ? ` (已送达 delivered after ${d.attempts} failed attempts)` : ''}` });
  }

  /** A round of tries that failed, recorded; false when it will not heal (the mail is given up). */
  function failedRound(d: Delivery, cause: string, permanent: boolean): boolean {
    const subject = subjectOf(d.notices);
    if (permanent) {
      deliveries.delete(d.key);
      record({ actor: SYSTEM, role: SYSTEM, action: 'mail-failed', subject, detail: `to=${d.to}: ${cause}` });
      return false;
    }
    d.attempts += TRIES_PER_ROUND;
    record({ actor: SYSTEM, role: SYSTEM, action: 'mail-delayed', subject, detail: `to=${d.to} attempts=${d.attempts}: ${cause}` });
    return true;
  }

  async function redeliver(d: Delivery, firstRound = 1) {
    const person = personOf(d.to)!;
    if (firstRound === 1 && !stillNews(d)) return;
    for (let round = firstRound; ; round += 1) {
      try {
        return delivered(d, await sendDigestSoon(digestOf(d.key, person, d.slot, d.notices)));
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const permanent = err.cause instanceof ApplicationFailure && err.cause.nonRetryable === true;
        if (!failedRound(d, err.cause?.message ?? err.message, permanent)) return;
      }
      await until(() => false, redeliverAfterMs(round));
    }
  }

  /** The next mail to `to` for `slot` (numbered per person and slot); none for someone unknown, said in the audit. */
  function delivery(to: string, slot: string, notices: Notice[]): Delivery | undefined {
    const base = `${workflowId}|${to}|${slot}`;
    const n = (digestsSent.get(base) ?? 0) + 1;
    digestsSent.set(base, n);
    if (personOf(to)) return { to, slot, notices, key: `${base}|${n}`, attempts: 0 };
    record({ actor: SYSTEM, role: SYSTEM, action: 'mail-failed', subject: subjectOf(notices), detail: `unknown person ${to}` });
    return undefined;
  }

  async function deliver(to: string, slot: string, notices: Notice[]) {
    const d = delivery(to, slot, notices);
    if (!d) return;
    if (inDatabase) return dispatch(d);
    const subject = subjectOf(notices);
    try {
      const sent = await sendDigest(digestOf(d.key, personOf(to)!, slot, notices));
      record({ actor: SYSTEM, role: SYSTEM, action: 'reminder-sent', subject, detail: `to=${to} kinds=${[...new Set(notices.map((x) => x.kind))].join('+')} id=${sent.messageId}` });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      record({ actor: SYSTEM, role: SYSTEM, action: 'mail-failed', subject, detail: `to=${to}: ${err.cause?.message ?? err.message}` });
    }
  }
}
