// One thing someone must deliver, as a state machine its host runs: the deliverable child workflow of
// cycles started before items were held in the cycle, or the cycle itself (workflows/held-items.ts).
// It chases whoever must act now until the item is accepted.
import { chaseEvents, chaseOffsetSeconds, type ChaseEvent } from '../domain/chase.js';
import { endOfDay, isValidLocalDate, localDateOf, millisUntil, toZonedIso } from '../domain/time.js';
import { addWorkdays } from '../domain/workdays.js';
import { SYSTEM, type AuditInput } from '../domain/audit.js';
import type { DeliverableState } from '../domain/deliverables.js';
import type { Notice, NoticeKind } from '../domain/notices.js';
import { activeDelegation, type Delegation } from '../domain/delegation.js';
import { approveLimits, clip, extendLimits, rejectLimits, submitLimits, urgeLimits } from '../domain/limits.js';
import type {
  ApproveRequest, DeliverableArgs, DeliverableEvent, DeliverableSnapshot, ExtendRequest, RejectRequest, ReviewRecord, Submission,
  SubmitRequest, UrgeRecord, UrgeRequest,
} from './definitions.js';
import { invalid } from './input-errors.js';
import { conflict, refuse } from './refuse.js';

export interface ItemHost {
  /** Tells the cycle of a change (a child signals it; the cycle applies it at once). */
  report(ev: DeliverableEvent): Promise<void> | void;
  /** Waits until `done` or `ms` passed; true when `done`. The cycle's wait gives up when its run continues as new. */
  wait(done: () => boolean, ms?: number): Promise<boolean>;
  /** The delegations in force that concern this item, as they stand now. */
  delegations(): readonly Delegation[];
  /** Whether a handler checks again at its start (histories of children recorded before that ran without). */
  serial: boolean;
}

/** Where a run that continued as new found the item: its snapshot, and how far its chase had got. */
export interface ItemResume { snapshot: DeliverableSnapshot; escalations: number; chasedToMs: number }

type Verb = 'submit' | 'approve' | 'reject';
const VERB_ZH: Record<Verb, string> = { submit: '提交', approve: '审批', reject: '退回' };

/** Size limits come before every other check: a refusal must not carry a huge value anywhere. */
const within = (error: string | undefined) => {
  if (error) refuse(error);
};

/** An action on the item: `validate` throws the refusal, conflict or input error; `run` acts. */
export interface ItemVerb<Req> { validate(req: Req): void; run(req: Req): Promise<DeliverableSnapshot> }

export type Item = ReturnType<typeof createItem>;

export function createItem(args: DeliverableArgs, host: ItemHost, resume?: ItemResume) {
  const { spec, policy, workCalendar, timeZone } = args;
  // Cycles started before the spread have none in their policy: their chase stays on the hour.
  const chaseOffset = chaseOffsetSeconds(args.cycleId, policy);
  const was = resume?.snapshot;
  let state: DeliverableState = was?.state ?? 'open';
  let stage = was?.stage ?? 0;
  let due = was?.due ?? spec.due;
  // The owner's deadline, kept once the item moves on to review (a send-back or an extension moves it).
  let ownerDue = was?.ownerDue ?? due;
  let version = was?.version ?? 0;
  // Bumped by every change of state or deadline: it stops the chase in progress and re-arms it.
  let epoch = 0;
  // Counted per deadline and person chased: a new submission or deadline starts again at the first.
  let escalations = resume?.escalations ?? 0;
  let closedBecause = '';
  const submissions: Submission[] = [...(was?.submissions ?? [])];
  const reviews: ReviewRecord[] = [...(was?.reviews ?? [])];
  /** The latest urge of each person urged (at most once a day each). */
  const urged = new Map<string, UrgeRecord>((was?.urged ?? []).map((u) => [u.to, u]));
  const changed = () => {
    epoch += 1;
    escalations = 0;
  };

  const now = () => new Date();
  const nowIso = () => toZonedIso(now(), timeZone);
  // Notices group into mails by slot: whole minutes, so notices raised in the same moment share one.
  const minuteIso = () => toZonedIso(new Date(Math.floor(now().getTime() / 60_000) * 60_000), timeZone);
  const reviewer = () => spec.stages[stage];
  const actor = () => (state === 'open' ? spec.owner : state === 'in-review' ? reviewer()?.person : undefined);
  const snapshot = (): DeliverableSnapshot => {
    const a = actor();
    return {
      id: spec.id, kind: spec.kind, title: spec.title, ...(spec.department && { department: spec.department }),
      owner: spec.owner, state, stage, actors: a ? [a] : [], due, submissions, reviews, version,
      ...(urged.size > 0 && { urged: [...urged.values()] }), ...(ownerDue !== due && { ownerDue }),
    };
  };
  const notice = (to: string, kind: NoticeKind, extra: Partial<Notice> = {}): Notice =>
    ({ slot: minuteIso(), to, kind, deliverableId: spec.id, title: spec.title, due, owner: spec.owner, waitingFor: actor() ?? spec.owner, ...extra });
  /** Who acts for `person` on this item now (委托), if anyone. */
  const delegateOf = (person: string) => activeDelegation(host.delegations(), person, spec.id, now(), timeZone)?.to;
  /** To a person who must act: while a delegation is in force, to their delegate, with them in copy. */
  const toActor = (person: string, kind: NoticeKind, extra: Partial<Notice> = {}): Notice[] => {
    const d = delegateOf(person);
    return d ? [notice(d, kind, { ...extra, onBehalfOf: person }), notice(person, kind, { ...extra, delegatedTo: d })] : [notice(person, kind, extra)];
  };
  const report = async (audit: AuditInput[], notices: Notice[] = []) => {
    version += 1;
    await host.report({ snapshot: snapshot(), audit, notices });
  };
  const workdaysFromToday = (n: number) => endOfDay(addWorkdays(localDateOf(now(), timeZone), n, workCalendar), timeZone);
  const later = (a: string, b: string) => (millisUntil(a, now()) >= millisUntil(b, now()) ? a : b);

  /**
   * Whether `actorId` may `verb` it now. A wrong person, or one who comes too early (nothing submitted
   * yet, an earlier review stage still waiting), is refused. One who comes too late (someone submitted,
   * approved, sent back or closed it first) gets a conflict carrying the current state: they were
   * entitled, the item just moved on.
   */
  const mayNow = (verb: Verb, actorId: string) => {
    const [zh, en] = [VERB_ZH[verb], verb];
    const tooLate = () => conflict(`${spec.id} 当前状态为 ${state}，不能${zh} / is ${state}: cannot ${en}`, snapshot());
    if (verb === 'submit') {
      if (spec.owner !== actorId) refuse(`${clip(actorId)} 无权${zh}「${spec.title.zh}」/ ${clip(actorId)} may not ${en} ${spec.id}`);
      if (state !== 'open') tooLate();
      return;
    }
    const mine = spec.stages.flatMap((s, i) => (s.person === actorId ? [i] : []));
    // Whether the person may act at all comes first: it is the answer a wrong person needs.
    if (!mine.length) refuse(`${clip(actorId)} 无权${zh}「${spec.title.zh}」/ ${clip(actorId)} may not ${en} ${spec.id}`);
    if (state === 'in-review' && mine.includes(stage)) return;
    const late = state === 'accepted' || state === 'closed' || (state === 'open' && submissions.length > 0)
      || (state === 'in-review' && mine.every((i) => i < stage));
    if (late) tooLate();
    if (state !== 'in-review') refuse(`${spec.id} 当前状态为 ${state}，不能${zh} / is ${state}: cannot ${en}`);
    const who = reviewer()?.person;
    refuse(`现在应由 ${who} 办理，不是 ${clip(actorId)} / it is ${who}'s turn, not ${clip(actorId)}'s`);
  };
  /** Whom `actorId` acts as: the person who may `verb` now, when `actorId` is their delegate; else themselves. */
  const principalOf = (verb: Verb, actorId: string) => {
    const entitled = verb === 'submit' ? spec.owner : reviewer()?.person;
    return entitled && entitled !== actorId && delegateOf(entitled) === actorId ? entitled : actorId;
  };
  /** The delegate's act as the audit and the records say it: who acted, for whom. */
  const actedFor = (verb: Verb, actorId: string): { for?: string } => {
    const p = principalOf(verb, actorId);
    return p !== actorId ? { for: p } : {};
  };
  /** At a handler's start, before its first await: a second Update accepted on the same state acts on nothing. */
  const stillMayNow = (verb: Verb, actorId: string) => {
    if (host.serial) mayNow(verb, principalOf(verb, actorId));
  };

  const submit: ItemVerb<SubmitRequest> = {
    validate: (req) => {
      within(submitLimits(req));
      mayNow('submit', principalOf('submit', req.actor));
    },
    run: async (req) => {
      stillMayNow('submit', req.actor);
      const acted = actedFor('submit', req.actor);
      changed();
      submissions.push({ at: nowIso(), by: req.actor, ...acted, ...(req.note && { note: req.note }), files: req.files ?? [] });
      const next = reviewer();
      const audit: AuditInput[] = [{
        actor: req.actor, role: spec.ownerRole, action: 'submitted', subject: spec.id, ...(req.note && { detail: req.note }), ...(acted.for && { onBehalfOf: acted.for }),
      }];
      if (next) {
        state = 'in-review';
        due = next.due ? later(next.due, workdaysFromToday(policy.reviewWorkdays)) : workdaysFromToday(policy.reviewWorkdays);
        await report(audit, toActor(next.person, 'review-requested'));
      } else {
        state = 'accepted';
        await report([...audit, { actor: SYSTEM, role: SYSTEM, action: 'approved', subject: spec.id, detail: 'no review stage' }]);
      }
      return snapshot();
    },
  };

  const approve: ItemVerb<ApproveRequest> = {
    validate: (req) => {
      within(approveLimits(req));
      mayNow('approve', principalOf('approve', req.actor));
    },
    run: async (req) => {
      stillMayNow('approve', req.actor);
      const acted = actedFor('approve', req.actor);
      const s = reviewer();
      reviews.push({ at: nowIso(), by: req.actor, ...acted, role: s?.role ?? '', decision: 'approved', ...(req.comment && { reason: req.comment }) });
      stage += 1;
      changed();
      const next = reviewer();
      const audit: AuditInput[] = [{ actor: req.actor, role: s?.role ?? '', action: 'approved', subject: spec.id, detail: s?.label.zh, ...(acted.for && { onBehalfOf: acted.for }) }];
      if (next) {
        due = next.due ? later(next.due, workdaysFromToday(policy.reviewWorkdays)) : workdaysFromToday(policy.reviewWorkdays);
        await report(audit, toActor(next.person, 'review-requested'));
      } else {
        state = 'accepted';
        await report(audit, toActor(spec.owner, 'accepted'));
      }
      return snapshot();
    },
  };

  const reject: ItemVerb<RejectRequest> = {
    validate: (req) => {
      within(rejectLimits(req));
      mayNow('reject', principalOf('reject', req.actor));
      // Bad input, not a refusal (400, not audited). A day that does not exist (2019-02-31) is caught
      // here: the date library would throw, and an Update failure of no known type is a 500.
      if (!req.reason?.trim()) invalid('reason: 退回必须说明理由 / a rejection needs a reason');
      if (req.due !== undefined && (!isValidLocalDate(req.due) || millisUntil(endOfDay(req.due, timeZone), now()) <= 0)) {
        invalid(`due: 新的期限须为今天或以后的日期 YYYY-MM-DD / the new due date must be today or later (got "${clip(req.due)}")`);
      }
    },
    run: async (req) => {
      stillMayNow('reject', req.actor);
      const acted = actedFor('reject', req.actor);
      const s = reviewer();
      reviews.push({ at: nowIso(), by: req.actor, ...acted, role: s?.role ?? '', decision: 'rejected', reason: req.reason });
      state = 'open';
      stage = 0;
      changed();
      due = req.due ? endOfDay(req.due, timeZone) : workdaysFromToday(policy.resubmitWorkdays);
      ownerDue = due;
      await report([{ actor: req.actor, role: s?.role ?? '', action: 'rejected', subject: spec.id, detail: req.reason, ...(acted.for && { onBehalfOf: acted.for }) }],
        toActor(spec.owner, 'rejected', { reason: req.reason }));
      return snapshot();
    },
  };

  // ---- chasing by hand (issue 11): 催办 urges whoever must act now, 延期 moves their deadline ----
  // An item started before its args named the coordinator finds them among its own roles (owner, filing stage).
  const coordinator = args.coordinator
    ?? (spec.ownerRole === 'coordinator' ? spec.owner : spec.stages.find((s) => s.role === 'coordinator')?.person);
  /** The role in which a person may urge this item: the coordinator, the director, its responsible leader. */
  const urgerRole = (id: string) => (id === coordinator ? 'coordinator' : id === spec.director ? 'director'
    : id === spec.leader ? (spec.department ? `leader:${spec.department}` : 'leader') : undefined);
  const today = () => localDateOf(now(), timeZone);
  const notDone = (zh: string, en: string) => {
    if (state === 'accepted' || state === 'closed') conflict(`${spec.id} 当前状态为 ${state}，不能${zh} / is ${state}: cannot ${en}`, snapshot());
  };
  /** Whom `req.actor` may urge now (whoever must act), or the refusal, conflict or error saying why not. */
  const mayUrge = (req: UrgeRequest): string => {
    if (!urgerRole(req.actor)) refuse(`${clip(req.actor)} 无权催办「${spec.title.zh}」/ ${clip(req.actor)} may not urge ${spec.id}`);
    notDone('催办', 'urge');
    const to = actor() ?? spec.owner;
    if (to === req.actor || delegateOf(to) === req.actor) invalid(`「${spec.title.zh}」正待您本人办理，不能催办自己 / ${spec.id} is waiting for you: you cannot urge yourself`);
    const last = urged.get(to);
    // Once a day (in the cycle's zone) per person urged, whoever urges: the client names who and when.
    if (last && localDateOf(last.at, timeZone) === today()) {
      conflict(`${to} 今天已由 ${last.by} 于 ${last.at} 催办过（每人每天一次）/ ${to} was already urged today by ${last.by} at ${last.at} (once a day)`, snapshot());
    }
    return to;
  };
  const mayExtend = (req: ExtendRequest) => {
    const who = coordinator ?? 'coordinator';
    if (req.actor !== coordinator) refuse(`${clip(req.actor)} 无权延期「${spec.title.zh}」，应由 ${who} 办理 / ${clip(req.actor)} may not extend ${spec.id}; only ${who} may`);
    notDone('延期', 'extend');
    // Bad input (400, not audited); the day is checked here too: the date library would throw on 2019-02-31.
    if (!req.reason?.trim()) invalid('reason: 延期必须说明理由 / an extension needs a reason');
    const got = `(got "${clip(req.due)}")`;
    if (typeof req.due !== 'string' || !isValidLocalDate(req.due) || req.due <= today()) {
      invalid(`due: 新的期限须为今天以后的日期 YYYY-MM-DD / the new due date must be a day after today ${got}`);
    }
    const current = localDateOf(due, timeZone);
    if (req.due <= current) invalid(`due: 新的期限须晚于现在的期限 ${current} / the new due date must be after the current one, ${current} ${got}`);
  };

  const urge: ItemVerb<UrgeRequest> = {
    validate: (req) => {
      within(urgeLimits(req));
      mayUrge(req);
    },
    run: async (req) => {
      // Checked again before the first await: of two urges accepted together, the second is a conflict.
      const to = mayUrge(req);
      const message = req.message?.trim();
      urged.set(to, { to, by: req.actor, at: nowIso() });
      await report([{ actor: req.actor, role: urgerRole(req.actor) ?? '', action: 'urged', subject: spec.id, detail: `to=${to}${message ? `: ${message}` : ''}` }],
        toActor(to, 'urged', { urgedBy: req.actor, ...(message && { message }) }));
      return snapshot();
    },
  };

  const extend: ItemVerb<ExtendRequest> = {
    validate: (req) => {
      within(extendLimits(req));
      mayExtend(req);
    },
    run: async (req) => {
      mayExtend(req);
      const from = localDateOf(due, timeZone);
      const reason = req.reason.trim();
      due = endOfDay(req.due, timeZone);
      if (state === 'open') ownerDue = due;
      // Re-arms the chase from the new deadline, as a rejection's new due date does.
      changed();
      const to = actor() ?? spec.owner;
      await report([{ actor: req.actor, role: 'coordinator', action: 'deadline-extended', subject: spec.id, detail: `${from} → ${req.due}: ${reason}` }],
        to === req.actor ? [] : toActor(to, 'extended', { reason }));
      return snapshot();
    },
  };

  const close = (why: string) => {
    if (state === 'accepted' || state === 'closed') return;
    state = 'closed';
    changed();
    closedBecause = why;
  };

  const recipients = (ev: ChaseEvent, who: string): string[] => [...new Set(ev.to.map((t) =>
    t === 'actor' ? who : t === 'leader' ? spec.leader : spec.director))];

  /** `escalation`: the how-many-th of this deadline (the mail says the first is the first, and counts the rest). */
  const fire = async (ev: ChaseEvent, chasing: string, slot: string, escalation?: number) => {
    // Whoever acts for the person chased is chased in their place; that person reads a copy.
    const delegate = ev.to.includes('actor') ? delegateOf(chasing) : undefined;
    const to = [...new Set([...recipients(ev, chasing), ...(delegate ? [delegate] : [])])];
    const acting = delegate ?? chasing;
    const audit: AuditInput[] = ev.kind === 'reminder' ? [] : [{
      actor: SYSTEM, role: SYSTEM, action: 'escalated', subject: spec.id,
      detail: `${ev.kind} → ${to.join(', ')} (waiting for ${chasing})`,
    }];
    await report(audit, to.map((p) => notice(p, ev.kind, {
      slot, ...(ev.daysBefore !== undefined && { daysBefore: ev.daysBefore }),
      ...(escalation !== undefined && { escalation, ...(p === acting && { copied: to.filter((x) => x !== p) }) }),
      ...(delegate && p === delegate && { onBehalfOf: chasing }), ...(delegate && p === chasing && { delegatedTo: delegate }),
    })));
  };

  /** The latest chase instant handled (fired, or passed over as already past): a resumed run goes on after it. */
  let chasedTo = resume?.chasedToMs ?? 0;

  /** Chases until the item is accepted or closed. */
  const run = async (): Promise<void> => {
    if (!resume) {
      await report([{ actor: SYSTEM, role: SYSTEM, action: 'deliverable-opened', subject: spec.id, detail: `owner=${spec.owner} due=${due}` }],
        toActor(spec.owner, 'assigned'));
    }
    // A resumed item sends what fell due while the runs changed over, and nothing its earlier run
    // handled (its first round only).
    let resumedAt = resume ? chasedTo : undefined;
    while (state === 'open' || state === 'in-review') {
      const seen = epoch;
      const chasing = actor() ?? spec.owner;
      const fireNext = (ev: ChaseEvent, slot: string) => fire(ev, chasing, slot, ev.kind === 'reminder' ? undefined : (escalations += 1));
      // Opened when already overdue (a late start, a cycle for a past year): escalate once now, then go on.
      let missed: ChaseEvent | undefined;
      for (const ev of chaseEvents(due, policy, workCalendar, timeZone, chaseOffset)) {
        const at = Date.parse(ev.at);
        if (millisUntil(ev.at, now()) <= 0) {
          if (resumedAt !== undefined) {
            if (at > resumedAt) {
              chasedTo = at;
              await fireNext(ev, ev.at);
            }
            continue;
          }
          if (ev.kind !== 'reminder') missed = ev;
          chasedTo = Math.max(chasedTo, at);
          continue;
        }
        if (missed) {
          await fireNext(missed, minuteIso());
          missed = undefined;
        }
        if (await host.wait(() => epoch !== seen, millisUntil(ev.at, now()))) break;
        chasedTo = at;
        await fireNext(ev, ev.at);
      }
      if (missed && epoch === seen) await fireNext(missed, minuteIso());
      resumedAt = undefined;
      await host.wait(() => epoch !== seen);
    }
    if (state === 'closed') {
      await report([{ actor: SYSTEM, role: SYSTEM, action: 'deliverable-closed', subject: spec.id, detail: closedBecause }]);
    }
  };

  return {
    id: spec.id,
    spec,
    snapshot,
    verbs: { submit, approve, reject, urge, extend },
    close,
    run,
    /** What the next run needs to go on chasing where this one stopped. */
    resumeState: (): ItemResume => ({ snapshot: snapshot(), escalations, chasedToMs: chasedTo }),
  };
}
