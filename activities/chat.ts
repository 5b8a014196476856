// A digest as a chat robot's message (issue 9), sent once: claimed in the delivery ledger under its own
// id (`dingtalk/<hash of the digest key>`: one per channel and digest, whichever robot is configured at
// the time), the robot's rate respected by queueing, and every answer turned into what the caller needs:
// sent, already sent, refused for good (the caller falls back to e-mail; a retry finds the refusal in
// the ledger and does not knock again), or a retryable failure for Temporal.
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { RobotChannel, RobotConfig } from '../domain/notice-settings.js';
import type { MailInfo, MailLedgerStore } from '../store/mail-ledger.js';
import {
  dingTalkChannel, dingTalkRobotFromUrl, RobotRateLimiter, throwUnlessSent, weComChannel, weComRobotFromUrl,
  type Channel, type ChannelMessage, type PermanentReason, type RobotDeps,
} from './channels/index.js';
import { claimSend, type LeaseOptions } from './sent-ledger.js';

export interface ChatDeps {
  /** Per channel, where its robots answer and how long to wait (tests: the fake robots). */
  robots?: Partial<Record<RobotChannel, RobotDeps>>;
  /** One per worker process: the robots' 20-a-minute, shared by every digest it sends. */
  limiter?: RobotRateLimiter;
  /** A robot slot further off than this is not waited for inside the activity: Temporal retries then. */
  maxQueueWaitMs?: number;
  /** Overrides a robot's own "rate limited" wait (DingTalk: 10 minutes); tests shorten it. */
  rateLimitPauseMs?: number;
}

export const DEFAULT_MAX_QUEUE_WAIT_MS = 30_000;

export type ChatResult =
  | { status: 'sent' | 'already-sent'; messageId: string; robotId: string }
  | { status: 'refused'; messageId: string; robotId: string; reason: PermanentReason | string; message: string };

export function channelFor(robot: RobotConfig, deps: ChatDeps = {}): Channel {
  // The robot answers where its address says (a relay or the tests' fake robots), unless deps say otherwise.
  const d = { baseUrl: new URL(robot.webhook).origin, ...deps.robots?.[robot.channel] };
  return robot.channel === 'dingtalk'
    ? dingTalkChannel(dingTalkRobotFromUrl(robot.webhook, robot.secret), d)
    : weComChannel(weComRobotFromUrl(robot.webhook), d);
}

/** The ledger's id of a chat message: per channel and digest, never the robot's credentials. */
export const chatMessageId = (channel: RobotChannel, key: string): string => `${channel}/${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;

/**
 * Per limiter, the slot each message was given when told to come back for it (ChannelQueued): its retry
 * sends in that slot instead of reserving another. (Reserving again left the first slot standing, empty:
 * with more than a window's worth queued for one robot, those empty slots kept every retry a window
 * off, and nothing past the limit was ever sent.) Kept until used, or an hour past.
 */
const tickets = new WeakMap<RobotRateLimiter, Map<string, number>>();
const TICKET_TTL_MS = 3_600_000;

/** The wait before this message's send: its own slot when it comes back for one, else a new one. */
function slotFor(limiter: RobotRateLimiter, robot: string, messageId: string, maxWait: number): { wait: number; held: Map<string, number> } {
  const held = tickets.get(limiter) ?? new Map<string, number>();
  tickets.set(limiter, held);
  const now = limiter.clock.now();
  for (const [id, at] of held) if (at < now - TICKET_TTL_MS) held.delete(id);
  const ticket = held.get(messageId);
  held.delete(messageId);
  // Back on time, or a little late (Temporal's retry): that slot. Much later, it is gone: a new one.
  if (ticket !== undefined && ticket >= now - maxWait) return { wait: Math.max(0, ticket - now), held };
  return { wait: limiter.reserve(robot), held };
}

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // outside an activity (a plain test call): nobody to tell
  }
}

/** Sends `message` through `channel` once for `key`. */
export async function sendChatOnce(
  deps: ChatDeps & { ledger: MailLedgerStore; lease?: LeaseOptions },
  channel: Channel, key: string, message: ChannelMessage, info: Omit<MailInfo, 'key' | 'subject' | 'channel' | 'robotId'>,
): Promise<ChatResult> {
  const messageId = chatMessageId(channel.kind, key);
  const base = { messageId, robotId: channel.robotId };
  const before = await deps.ledger.get(messageId);
  if (before?.state === 'sent') return { ...base, status: 'already-sent' };
  if (before?.last_error_kind === 'refused') return { ...base, status: 'refused', reason: (before.last_error ?? '').split(' ')[0] || 'rejected', message: before.last_error ?? '' };

  const claim = await claimSend(deps.ledger, messageId, { ...info, key, subject: message.title, channel: channel.kind, robotId: channel.robotId }, deps.lease);
  if (claim === 'sent') return { ...base, status: 'already-sent' };
  const limiter = deps.limiter ?? new RobotRateLimiter();
  const maxWait = deps.maxQueueWaitMs ?? DEFAULT_MAX_QUEUE_WAIT_MS;
  const { wait, held } = slotFor(limiter, channel.robotId, messageId, maxWait);
  if (wait > maxWait) {
    held.set(messageId, limiter.clock.now() + wait);
    await claim.release();
    throw ApplicationFailure.create({ message: `机器人排队 / robot ${channel.robotId} busy for ${Math.ceil(wait / 1000)} s`, type: 'ChannelQueued', nextRetryDelay: wait });
  }
  if (wait > 0) {
    heartbeat();
    await limiter.clock.sleep(wait);
  }
  let outcome;
  try {
    outcome = await channel.send(message);
  } catch (err) {
    await claim.release({ kind: 'other', message: (err as Error).message });
    throw err;
  }
  if (outcome.status === 'sent') {
    await claim.sent(channel.robotId);
    return { ...base, status: 'sent' };
  }
  if (outcome.status === 'permanent') {
    await claim.release({ kind: 'refused', message: `${outcome.reason} ${outcome.code}: ${outcome.message}` });
    return { ...base, status: 'refused', reason: outcome.reason, message: `${outcome.code}: ${outcome.message}` };
  }
  if (outcome.status === 'rate-limited') {
    const pause = deps.rateLimitPauseMs ?? outcome.retryAfterMs;
    limiter.pause(channel.robotId, pause);
    await claim.release({ kind: 'busy', message: `${outcome.code}: ${outcome.message}` });
    return throwUnlessSent(channel, { ...outcome, retryAfterMs: pause }) as never;
  }
  await claim.release({ kind: outcome.code === 'timeout' ? 'timeout' : 'unreachable', message: `${outcome.code}: ${outcome.message}` });
  return throwUnlessSent(channel, outcome) as never;
}
