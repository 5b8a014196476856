// When two people act on one item at the same moment, the one who comes second is told, in words,
// what happened first and who did it (409); a moment when the item is only busy (Temporal's limit on
// Updates in flight, an Update aborted by the server) is tried again briefly, then answered 503.
import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { DateTime } from 'luxon';
import { SYSTEM } from '../domain/audit.js';
import { clip } from '../domain/limits.js';
import type { DeliverableSnapshot } from '../workflows/definitions.js';
import { UserError } from './errors.js';

/** Who is who in the cycle and its zone: names for people, local times. */
export interface Directory { people: readonly { id: string; name: string }[]; timeZone: string }

/** The closing of an item, from its audit line. */
export interface Closing { at: string; why?: string }

type Change = { kind: 'submitted' | 'approved' | 'rejected'; by: string; at: string; reason?: string };

function lastChange(d: DeliverableSnapshot): Change | undefined {
  const changes: Change[] = [
    ...d.submissions.map((s) => ({ kind: 'submitted' as const, by: s.by, at: s.at })),
    ...d.reviews.map((r) => ({ kind: r.decision, by: r.by, at: r.at, ...(r.reason && { reason: r.reason }) })),
  ];
  // Stable: a submission and a review of the same millisecond keep the workflow's order (submission first).
  return changes.map((c, i) => ({ c, i, ms: DateTime.fromISO(c.at).toMillis() }))
    .sort((a, b) => a.ms - b.ms || a.i - b.i).at(-1)?.c;
}

/**
 * The current state of an item and who brought it there, zh-CN first, then English, e.g.
 * 「绩效评估工作方案」已由 王志明 于 2026-11-25 10:32 审批通过 / plan: already approved by 王志明 at 2026-11-25 10:32.
 */
export function conflictMessage(d: DeliverableSnapshot, dir: Directory, closing?: Closing): string {
  const name = (id: string) => (id === SYSTEM ? '系统' : dir.people.find((p) => p.id === id)?.name ?? id);
  const time = (at: string) => DateTime.fromISO(at).setZone(dir.timeZone).toFormat('yyyy-MM-dd HH:mm');
  const waiting = d.actors.map(name).join('、') || name(d.owner);
  const head = `「${d.title.zh}」`;
  const last = lastChange(d);
  if (d.state === 'closed') {
    if (!closing) return `${head}已关闭，不能再办理 / ${d.id} is closed: nothing more can be done`;
    const why = closing.why ? `（${clip(closing.why, 60)}）` : '';
    return `${head}已于 ${time(closing.at)} 关闭${why}，不能再办理 / ${d.id}: closed at ${time(closing.at)}${closing.why ? ` (${clip(closing.why, 60)})` : ''}; nothing more can be done`;
  }
  if (!last) return `${head}尚未提交，现待 ${waiting} 提交 / ${d.id}: not submitted yet; waiting for ${waiting}`;
  const who = name(last.by);
  const when = time(last.at);
  if (d.state === 'accepted') {
    return last.kind === 'approved'
      ? `${head}已由 ${who} 于 ${when} 审批通过 / ${d.id}: already approved by ${who} at ${when}`
      : `${head}已由 ${who} 于 ${when} 提交并通过（无需审核）/ ${d.id}: already submitted by ${who} at ${when} and accepted (no review)`;
  }
  if (d.state === 'in-review') {
    return last.kind === 'approved'
      ? `${head}已由 ${who} 于 ${when} 审核通过，现待 ${waiting} 审核 / ${d.id}: already approved by ${who} at ${when}; now waiting for ${waiting}`
      : `${head}已由 ${who} 于 ${when} 提交，现待 ${waiting} 审核 / ${d.id}: already submitted by ${who} at ${when}; now waiting for ${waiting}'s review`;
  }
  const reason = last.reason ? clip(last.reason, 60) : '';
  return last.kind === 'rejected'
    ? `${head}已由 ${who} 于 ${when} 退回${reason && `（理由：${reason}）`}，现待 ${waiting} 重新提交 / ${d.id}: sent back by ${who} at ${when}${reason && ` (reason: ${reason})`}; now waiting for ${waiting} to resubmit`
    : `${head}现待 ${waiting} 提交 / ${d.id}: waiting for ${waiting} to submit`;
}

/**
 * A second urge (催办) of the same person on the same day, in words: who urged them and when, e.g.
 * 「…」今天已由 林晓燕 于 2026-11-25 10:32 催办过 蔡明（每人每天一次，明天可再催办）/ … 蔡明 was already urged today by 林晓燕 at 2026-11-25 10:32 ….
 * Undefined when the snapshot shows no urge of whoever must act now.
 */
export function urgedMessage(d: DeliverableSnapshot, dir: Directory): string | undefined {
  const last = d.urged?.find((u) => d.actors.includes(u.to));
  if (!last) return undefined;
  const name = (id: string) => dir.people.find((p) => p.id === id)?.name ?? id;
  const [who, by] = [name(last.to), name(last.by)];
  const when = DateTime.fromISO(last.at).setZone(dir.timeZone).toFormat('yyyy-MM-dd HH:mm');
  return `「${d.title.zh}」今天已由 ${by} 于 ${when} 催办过 ${who}（每人每天一次，明天可再催办）/ ${d.id}: ${who} was already urged today by ${by} at ${when} (once a day per person: try again tomorrow)`;
}

// gRPC codes of a passing state: in-flight limit (8), unavailable / aborted Update (14), aborted (10),
// workflow not ready after a failed workflow task (9), deadline (4).
const PASSING_CODES = new Set([4, 8, 9, 10, 14]);
const PASSING_TEXT = /in-flight|was aborted|workflow task|not ready|closing|wasn't processed|completed before/i;

/**
 * Whether an Update's failure is a busy moment worth another try: 'retry' (nothing was done), 'unsure'
 * (the call timed out: it may yet go through; a retry under the same Update id joins it), or undefined
 * (an answer to pass on: a refusal, a conflict, a failure).
 */
export function passing(err: unknown): 'retry' | 'unsure' | undefined {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'unsure';
  if (err instanceof ServiceError) {
    const cause = err.cause;
    if (isGrpcServiceError(cause)) return PASSING_CODES.has(cause.code) || PASSING_TEXT.test(cause.details) ? 'retry' : undefined;
    return PASSING_TEXT.test(`${err.message} ${cause?.message ?? ''}`) ? 'retry' : undefined;
  }
  // The server's own failures of an Update (not processed, the workflow completed first), not the workflow's answer.
  if (err instanceof WorkflowUpdateFailedError && err.cause && !('type' in err.cause && err.cause.type)) {
    return PASSING_TEXT.test(err.cause.message) ? 'retry' : undefined;
  }
  return undefined;
}

export function busyError(subject: string, unsure: boolean): UserError {
  const zh = `${subject} 正有多人同时办理，系统繁忙，请稍后再试${unsure ? '；如不确定是否已办理，请先刷新查看' : ''}`;
  const en = `${subject}: too many actions on it at once, try again in a moment${unsure ? ' (it may still go through: look at its status first)' : ''}`;
  return new UserError(`${zh} / ${en}`, 'busy');
}

export interface RetryOptions {
  /** Time allowed in all, attempts and pauses (the last attempt gets what is left as its gRPC deadline). */
  budgetMs: number;
  /** Checked after each busy moment: an answer (409, 404) when the item was settled meanwhile. */
  settled: () => Promise<UserError | undefined>;
  subject: string;
  /**
   * Whether a failure means the item is still being opened: a phase lists its items in the cycle's
   * status a moment before their workflows exist, and an action in that moment is retried, not a 404.
   */
  opening?: (err: unknown) => Promise<boolean>;
}

/** Runs `attempt` (given its deadline) until it answers, retrying busy moments with a short backoff. */
export async function retryBusy<T>(attempt: (deadline: Date) => Promise<T>, o: RetryOptions): Promise<T> {
  // The whole time went waiting for a turn (client/update-gate.ts): nothing was tried.
  if (o.budgetMs <= 0) throw busyError(o.subject, false);
  const end = Date.now() + o.budgetMs;
  let pause = 100;
  let unsure = false;
  for (;;) {
    try {
      return await attempt(new Date(end));
    } catch (err) {
      const kind = passing(err) ?? ((await o.opening?.(err)) ? 'retry' : undefined);
      if (!kind) throw err;
      unsure ||= kind === 'unsure';
      // A look that is itself caught in the busy moment settles nothing: try again.
      const answer = await o.settled().catch((e: unknown) => {
        if (passing(e)) return undefined;
        throw e;
      });
      if (answer) throw answer;
      if (Date.now() + pause >= end) throw busyError(o.subject, unsure);
      await new Promise((r) => setTimeout(r, pause * (0.75 + Math.random() / 2)));
      pause = Math.min(pause * 2, 1000);
    }
  }
}
