// A notice channel: one message to one chat robot (a DingTalk custom robot, a WeCom group robot), with
// an answer the caller can act on: sent; rate-limited (wait, then send again: nothing is dropped);
// refused for good (a wrong secret, a removed robot, a bad key: retrying cannot help, so the caller
// stops, audits and falls back to e-mail); or failed for now (network, timeout, 5xx: retry).
// Each channel is built from its dependencies (base URL, timeout, clock), like the mail sender.
//
// A robot's token, key and secret are credentials: they never appear in a result, an error or a log
// line. A robot is named by `robotId`, a short hash of its address, which is also the rate limiter's key.
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';

export type ChannelKind = 'dingtalk' | 'wecom';
export type ChannelFormat = 'markdown' | 'text';

/** Whom a message mentions (@): by mobile number (both robots), or by WeCom userid (WeCom markdown). */
export interface Mentions {
  mobiles?: readonly string[];
  userIds?: readonly string[];
}

export interface ChannelMessage {
  /** DingTalk shows the title in the notification and the chat list; WeCom has none. */
  title: string;
  /** In the format the channel asks for (`formatFor`), already fitted to its size (`fits`). */
  body: string;
  format: ChannelFormat;
  mentions?: Mentions;
}

/** Why a robot refused for good; each is a configuration to fix, not a moment to wait out. */
export type PermanentReason =
  | 'bad-secret' // DingTalk signature does not match the robot's secret
  | 'clock-skew' // DingTalk timestamp outside the hour around the robot's clock: this host's clock is wrong
  | 'security-setting' // DingTalk keyword or IP whitelist not satisfied
  | 'robot-removed' // the robot (token) does not exist, was removed, or its group dissolved
  | 'bad-key' // WeCom webhook key invalid (robot removed or key wrong)
  | 'bad-message' // body refused (type, size, fields): a bug here, not in the robot
  | 'rejected'; // a code this module does not know: refused, said in its own words

export type SendOutcome =
  | { status: 'sent' }
  | { status: 'rate-limited'; retryAfterMs: number; code: string; message: string }
  | { status: 'permanent'; reason: PermanentReason; code: string; message: string }
  | { status: 'temporary'; code: string; message: string };

export interface Channel {
  readonly kind: ChannelKind;
  /** The robot's name in ledgers, logs and the rate limiter: `dingtalk:1a2b3c4d`, never its credentials. */
  readonly robotId: string;
  /** The format a message with these mentions is sent in (WeCom mentions by mobile only in text). */
  formatFor(mentions?: Mentions): ChannelFormat;
  /** Whether the robot accepts this body (its documented size limit, measured as sent). */
  fits(message: ChannelMessage): boolean;
  send(message: ChannelMessage): Promise<SendOutcome>;
}

/** What every robot channel is built from; tests point `baseUrl` at a local server. */
export interface RobotDeps {
  baseUrl?: string;
  /** Per request, connection to answer; default 10 s (Temporal owns retries: an activity must not hang). */
  timeoutMs?: number;
  /** The clock DingTalk's signature timestamp is read from (tests share theirs with the fake robot). */
  now?: () => number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export function robotId(kind: ChannelKind, credential: string): string {
  return `${kind}:${createHash('sha256').update(`${kind}\n${credential}`).digest('hex').slice(0, 8)}`;
}

/** Every occurrence of a credential, raw or URL-encoded, replaced by `***`. */
export function redact(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    for (const form of new Set([s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)])) {
      out = out.split(form).join('***');
    }
  }
  return out;
}

const utf8 = new TextEncoder();
export const byteLength = (s: string): number => utf8.encode(s).length;

export interface RobotAnswer { httpStatus: number; errcode?: number; errmsg?: string }

/**
 * POSTs JSON and reads a robot's `{ errcode, errmsg }`. A network error, a timeout, a 5xx or an answer
 * that is not the robot's JSON is a temporary outcome here; anything else is the robot's answer, for
 * the channel to classify. Messages are redacted of `secrets`.
 */
export async function postRobot(url: URL, body: unknown, timeoutMs: number, secrets: (string | undefined)[]): Promise<RobotAnswer | SendOutcome> {
  const clean = (s: string) => redact(s, secrets).slice(0, 300);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    const code = timedOut ? 'timeout' : e.cause?.code ?? 'network';
    return { status: 'temporary', code, message: clean(timedOut ? `no answer within ${timeoutMs} ms` : `${e.message}${e.cause?.message ? `: ${e.cause.message}` : ''}`) };
  }
  const text = await res.text().catch(() => '');
  if (res.status >= 500 || res.status === 429) {
    return { status: 'temporary', code: `http-${res.status}`, message: clean(`HTTP ${res.status} ${text}`) };
  }
  let parsed: { errcode?: unknown; errmsg?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return { status: 'temporary', code: `http-${res.status}`, message: clean(`HTTP ${res.status}, not a robot's answer: ${text}`) };
  }
  if (typeof parsed.errcode !== 'number') {
    return { status: 'temporary', code: `http-${res.status}`, message: clean(`HTTP ${res.status}, no errcode: ${text}`) };
  }
  return { httpStatus: res.status, errcode: parsed.errcode, errmsg: clean(String(parsed.errmsg ?? '')) };
}

export const isOutcome = (a: RobotAnswer | SendOutcome): a is SendOutcome => 'status' in a;

/**
 * An outcome as an activity ends: sent returns; rate-limited and temporary throw retryable failures
 * (rate-limited with the robot's wait as Temporal's next retry delay); permanent throws non-retryable
 * `ChannelRefused`, whose details carry the reason for the audit and the fall-back to e-mail.
 */
export function throwUnlessSent(channel: Pick<Channel, 'kind' | 'robotId'>, outcome: SendOutcome): void {
  if (outcome.status === 'sent') return;
  const what = `${channel.robotId} ${outcome.code}: ${outcome.message}`;
  if (outcome.status === 'permanent') {
    throw ApplicationFailure.create({
      message: `机器人拒收 / robot refused the message (${outcome.reason}): ${what}`, type: 'ChannelRefused', nonRetryable: true,
      details: [{ kind: channel.kind, robotId: channel.robotId, reason: outcome.reason, code: outcome.code }],
    });
  }
  if (outcome.status === 'rate-limited') {
    throw ApplicationFailure.create({
      message: `机器人限流 / robot rate-limited: ${what}`, type: 'ChannelRateLimited', nextRetryDelay: outcome.retryAfterMs,
    });
  }
  throw ApplicationFailure.retryable(`机器人暂时不可用 / robot unavailable: ${what}`, 'ChannelUnavailable');
}
