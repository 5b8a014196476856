// One thing someone must deliver: chases whoever must act now until it is accepted.
import { allHandlersFinished, condition, getExternalWorkflowHandle, patched, setHandler } from '@temporalio/workflow';
import { chaseEvents, type ChaseEvent } from '../domain/chase.js';
import { endOfDay, isValidLocalDate, localDateOf, millisUntil, toZonedIso } from '../domain/time.js';
import { addWorkdays } from '../domain/workdays.js';
import type { AuditInput } from '../domain/audit.js';
import type { DeliverableState } from '../domain/deliverables.js';
import type { Notice, NoticeKind } from '../domain/notices.js';
import { SYSTEM } from '../domain/audit.js';
import { activeDelegation, type Delegation } from '../domain/delegation.js';
import { approveLimits, clip, extendLimits, rejectLimits, submitLimits, urgeLimits } from '../domain/limits.js';
import {
  approveUpdate, closeSignal, delegationsSignal, deliverableEventSignal, deliverableQuery, extendUpdate, rejectUpdate, submitUpdate, urgeUpdate,
  type DeliverableArgs, type DeliverableSnapshot, type ExtendRequest, type ReviewRecord, type Submission, type UrgeRecord, type UrgeRequest,
} from './definitions.js';
import { invalid } from './input-errors.js';
import { conflict, refuse } from './refuse.js';

/** Size limits come before every other check: a refusal must not carry a huge value anywhere. */
const within = (error: string | undefined) => {
  if (error) refuse(error);
};

type Verb = 'submit' | 'approve' | 'reject';
const VERB_ZH: Record<Verb, string> = { submit: '提交', approve: '审批', reject: '退回' };

export async function deliverableWorkflow(args: DeliverableArgs): Promise<DeliverableSnapshot> {
  const { spec, policy, workCalendar, timeZone } = args;
  const parent = getExternalWorkflowHandle(args.cycleId);
  let state: DeliverableState = 'open';
  let stage = 0;
  let due = spec.due;
  // The owner's deadline, kept once the item moves on to review (a send-back or an extension moves it).
  let ownerDue = spec.due;
  let version = 0;
  // Bumped by every change of state or deadline: it stops the chase in progress and re-arms it.
  let epoch = 0;
  let closedBecause = '';
  const submissions: Submission[] = [];
  const reviews: ReviewRecord[] = [];
  /** The latest urge of each person urged (at most once a day each). */
  const urged = new Map<string, UrgeRecord>();

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
  // ---- 委托 (issue 11): the cycle's delegations that concern this item, whole, as the cycle sends them ----
  let delegations: Delegation[] = args.delegations ?? [];
  setHandler(delegationsSignal, (list) => {
    delegations = list;
  });
  /** Who acts for `person` on this item now, if anyone. */
  const delegateOf = (person: string) => activeDelegation(delegations, person, spec.id, now(), timeZone)?.to;
  /** To a person who must act: while a delegation is in force, to their delegate, with them in copy. */
  const toActor = (person: string, kind: NoticeKind, extra: Partial<Notice> = {}): Notice[] => {
    const d = delegateOf(person);
    return d ? [notice(d, kind, { ...extra, onBehalfOf: person }), notice(person, kind, { ...extra, delegatedTo: d })] : [notice(person, kind, extra)];
  };
  const report = async (audit: AuditInput[], notices: Notice[] = []) => {
    version += 1;
    await parent.signal(deliverableEventSignal, { snapshot: snapshot(), audit, notices });
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
  // Histories recorded before this version ran handlers without a second look; they replay as they ran.
  const serial = patched('serial-updates');
  /** At a handler's start, before its first await: a second Update accepted on the same state acts on nothing. */
  const stillMayNow = (verb: Verb, actorId: string) => {
    if (serial) mayNow(verb, principalOf(verb, actorId));
  };

  setHandler(deliverableQuery, snapshot);

  setHandler(submitUpdate, async (req) => {
    stillMayNow('submit', req.actor);
    const acted = actedFor('submit', req.actor);
    epoch += 1;
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
  }, {
    validator: (req) => {
      within(submitLimits(req));
      mayNow('submit', principalOf('submit', req.actor));
    },
  });

  setHandler(approveUpdate, async (req) => {
    stillMayNow('approve', req.actor);
    const acted = actedFor('approve', req.actor);
    const s = reviewer();
    reviews.push({ at: nowIso(), by: req.actor, ...acted, role: s?.role ?? '', decision: 'approved', ...(req.comment && { reason: req.comment }) });
    stage += 1;
    epoch += 1;
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
  }, {
    validator: (req) => {
      within(approveLimits(req));
      mayNow('approve', principalOf('approve', req.actor));
    },
  });

  setHandler(rejectUpdate, async (req) => {
    stillMayNow('reject', req.actor);
    const acted = actedFor('reject', req.actor);
    const s = reviewer();
    reviews.push({ at: nowIso(), by: req.actor, ...acted, role: s?.role ?? '', decision: 'rejected', reason: req.reason });
    state = 'open';
    stage = 0;
    epoch += 1;
    due = req.due ? endOfDay(req.due, timeZone) : workdaysFromToday(policy.resubmitWorkdays);
    ownerDue = due;
    await report([{ actor: req.actor, role: s?.role ?? '', action: 'rejected', subject: spec.id, detail: req.reason, ...(acted.for && { onBehalfOf: acted.for }) }],
      toActor(spec.owner, 'rejected', { reason: req.reason }));
    return snapshot();
  }, {
    validator: (req) => {
      within(rejectLimits(req));
      mayNow('reject', principalOf('reject', req.actor));
      // Bad input, not a refusal (400, not audited). A day that does not exist (2019-02-31) is caught
      // here: the date library would throw, and an Update failure of no known type is a 500.
      if (!req.reason?.trim()) invalid('reason: 退回必须说明理由 / a rejection needs a reason');
      if (req.due !== undefined && (!isValidLocalDate(req.due) || millisUntil(endOfDay(req.due, timeZone), now()) <= 0)) {
        invalid(`due: 新的期限须为今天或以后的日期 YYYY-MM-DD / the new due date must be today or later (got "${clip(req.due)}")`);
      }
    },
  });

  // ---- chasing by hand (issue 11): 催办 urges whoever must act now, 延期 moves their deadline ----
  // New Updates: no recorded history holds one, so they replay as they ran without a patch. An item
  // started before its args named the coordinator finds them among its own roles (owner, filing stage).
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

  setHandler(urgeUpdate, async (req) => {
    // Checked again before the first await: of two urges accepted together, the second is a conflict.
    const to = mayUrge(req);
    const message = req.message?.trim();
    urged.set(to, { to, by: req.actor, at: nowIso() });
    await report([{ actor: req.actor, role: urgerRole(req.actor) ?? '', action: 'urged', subject: spec.id, detail: `to=${to}${message ? `: ${message}` : ''}` }],
      toActor(to, 'urged', { urgedBy: req.actor, ...(message && { message }) }));
    return snapshot();
  }, {
    validator: (req) => {
      within(urgeLimits(req));
      mayUrge(req);
    },
  });

  setHandler(extendUpdate, async (req) => {
    mayExtend(req);
    const from = localDateOf(due, timeZone);
    const reason = req.reason.trim();
    due = endOfDay(req.due, timeZone);
    if (state === 'open') ownerDue = due;
    // Re-arms the chase from the new deadline, as a rejection's new due date does.
    epoch += 1;
    const to = actor() ?? spec.owner;
    await report([{ actor: req.actor, role: 'coordinator', action: 'deadline-extended', subject: spec.id, detail: `${from} → ${req.due}: ${reason}` }],
      to === req.actor ? [] : toActor(to, 'extended', { reason }));
    return snapshot();
  }, {
    validator: (req) => {
      within(extendLimits(req));
      mayExtend(req);
    },
  });

  setHandler(closeSignal, (why) => {
    if (state === 'accepted' || state === 'closed') return;
    state = 'closed';
    epoch += 1;
    closedBecause = why;
  });

  await report([{ actor: SYSTEM, role: SYSTEM, action: 'deliverable-opened', subject: spec.id, detail: `owner=${spec.owner} due=${due}` }],
    toActor(spec.owner, 'assigned'));

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

  while (state === 'open' || state === 'in-review') {
    const seen = epoch;
    const chasing = actor() ?? spec.owner;
    // Counted per deadline and person chased: a new submission or deadline starts again at the first.
    let escalations = 0;
    const fireNext = (ev: ChaseEvent, slot: string) => fire(ev, chasing, slot, ev.kind === 'reminder' ? undefined : (escalations += 1));
    // Opened when already overdue (a late start, a cycle for a past year): escalate once now, then go on.
    let missed: ChaseEvent | undefined;
    for (const ev of chaseEvents(due, policy, workCalendar, timeZone)) {
      if (millisUntil(ev.at, now()) <= 0) {
        if (ev.kind !== 'reminder') missed = ev;
        continue;
      }
      if (missed) {
        await fireNext(missed, minuteIso());
        missed = undefined;
      }
      const changed = await condition(() => epoch !== seen, millisUntil(ev.at, now()));
      if (changed) break;
      await fireNext(ev, ev.at);
    }
    if (missed && epoch === seen) await fireNext(missed, minuteIso());
    await condition(() => epoch !== seen);
  }
  if (state === 'closed') {
    await report([{ actor: SYSTEM, role: SYSTEM, action: 'deliverable-closed', subject: spec.id, detail: closedBecause }]);
  }
  // The update that accepted it is still reporting to the cycle: let it answer its caller first.
  await condition(allHandlersFinished);
  return snapshot();
}
