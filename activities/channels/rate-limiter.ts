// A robot takes 20 messages a minute (DingTalk and WeCom alike); over that it answers "rate limited"
// (DingTalk then throttles it for 10 minutes). So every send first takes a slot from this limiter:
// a sliding window per robot that queues, never drops. A send over the limit waits for the slot the
// window frees for it, in the order the sends asked; a robot that answered "rate limited" anyway (it
// is shared with another system, or another worker) is paused for the wait it asked for, and the send
// is tried again. Pure apart from its clock, which tests inject.
import type { Channel, ChannelMessage, SendOutcome } from './channel.js';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateOptions {
  /** Sends allowed in any window of `windowMs`. */
  limit: number;
  windowMs: number;
}

/** The robots' documented rate: 20 a minute. */
export const ROBOT_RATE: RateOptions = { limit: 20, windowMs: 60_000 };

export class RobotRateLimiter {
  /** Per robot, the instants of its sends (made or reserved), ascending; only the latest `limit` matter. */
  private readonly sends = new Map<string, number[]>();
  private readonly pausedUntil = new Map<string, number>();

  constructor(private readonly rate: RateOptions = ROBOT_RATE, readonly clock: Clock = systemClock) {
    if (!(rate.limit >= 1 && rate.windowMs > 0)) throw new Error(`invalid rate ${rate.limit}/${rate.windowMs} ms`);
  }

  /**
   * Reserves the robot's next send and says how long to wait for it (0: now). Never refuses: the k-th
   * send over the limit gets the instant one window after the send `limit` places before it.
   */
  reserve(robot: string): number {
    const now = this.clock.now();
    const times = this.sends.get(robot) ?? [];
    while (times.length > 0 && times[0]! <= now - this.rate.windowMs) times.shift();
    let at = Math.max(now, this.pausedUntil.get(robot) ?? 0, times.at(-1) ?? now);
    if (times.length >= this.rate.limit) at = Math.max(at, times[times.length - this.rate.limit]! + this.rate.windowMs);
    times.push(at);
    if (times.length > this.rate.limit) times.splice(0, times.length - this.rate.limit);
    this.sends.set(robot, times);
    return at - now;
  }

  /** Waits for the robot's next slot. */
  async acquire(robot: string): Promise<void> {
    const wait = this.reserve(robot);
    if (wait > 0) await this.clock.sleep(wait);
  }

  /** The robot said "rate limited": no send to it before `ms` from now (later reservations queue behind). */
  pause(robot: string, ms: number): void {
    const until = this.clock.now() + ms;
    this.pausedUntil.set(robot, Math.max(this.pausedUntil.get(robot) ?? 0, until));
  }

  /** Sends in the robot's current window (made or reserved), for tests and metrics. */
  inWindow(robot: string): number {
    const now = this.clock.now();
    return (this.sends.get(robot) ?? []).filter((t) => t > now - this.rate.windowMs && t <= now).length;
  }
}

/**
 * Sends through the limiter: waits for a slot, sends, and on "rate limited" pauses the robot for the
 * wait it asked for and sends again (up to `maxRateLimited` times; then the outcome is returned, for
 * Temporal to retry after the robot's wait). Permanent and temporary outcomes return at once.
 */
export async function sendQueued(
  channel: Pick<Channel, 'robotId' | 'send'>, limiter: RobotRateLimiter, message: ChannelMessage,
  { maxRateLimited = 3, onWait }: { maxRateLimited?: number; onWait?: (ms: number) => void } = {},
): Promise<SendOutcome> {
  for (let i = 0; ; i += 1) {
    const wait = limiter.reserve(channel.robotId);
    if (wait > 0) {
      onWait?.(wait); // an activity heartbeats here: a wait of minutes must not look like a hung worker
      await limiter.clock.sleep(wait);
    }
    const outcome = await channel.send(message);
    if (outcome.status !== 'rate-limited' || i >= maxRateLimited) return outcome;
    limiter.pause(channel.robotId, outcome.retryAfterMs);
  }
}
