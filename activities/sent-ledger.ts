// How a send holds its row in the sent-mail ledger (store/mail-ledger.ts, the application database
// every worker shares): claim it with a short lease, renew the lease (and heartbeat) while the SMTP
// exchange runs, then record it sent or give it back with the reason it failed. A worker that dies
// stops renewing, so its claim ends within one lease and the retry, on any worker, takes over (and the
// ledger counts the silent attempt as failed: people see the mail is held up, not just a gap).
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { MailFailure, MailInfo, MailLedgerStore } from '../store/mail-ledger.js';

export interface LeaseOptions {
  /** How long a claim lives without renewal: how soon a dead attempt's mail can be sent again. */
  leaseMs: number;
  /** Renewal period: a few renewals fit in one lease, so one slow database round-trip loses nothing. */
  renewMs: number;
}

export const DEFAULT_LEASE: LeaseOptions = { leaseMs: 15_000, renewMs: 5_000 };

export interface SendClaim {
  owner: string;
  attempts: number;
  /** Records the server's acceptance and stops renewing. */
  sent(deliveredTo: string): Promise<void>;
  /**
   * Stops renewing and frees the claim at once, so a retry need not wait for the lease to end; with the
   * failure, the ledger records it (count, reason, since when) for the dashboard.
   */
  release(failure?: MailFailure): Promise<void>;
}

function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // called outside an activity (a script, a plain test call)
  }
}

/** Unique per attempt, and readable in the ledger: which workflow, activity and attempt holds the claim. */
function attemptOwner(ctx: Context | undefined): string {
  const tag = randomUUID().slice(0, 8); // a mock context repeats its info; two claims must never match
  if (!ctx) return `local/${tag}`;
  const { workflowExecution, activityId, attempt } = ctx.info;
  return `${workflowExecution?.workflowId ?? 'activity'}/${activityId}/${attempt}/${tag}`;
}

/**
 * Claims the send of `messageId`: 'sent' if it went out already; throws a retryable MailInFlight if
 * another attempt holds a live lease (Temporal retries later and then finds it sent, or the lease over).
 */
export async function claimSend(ledger: MailLedgerStore, messageId: string, info: MailInfo, lease: LeaseOptions = DEFAULT_LEASE): Promise<SendClaim | 'sent'> {
  const ctx = activityContext();
  const owner = attemptOwner(ctx);
  const claim = await ledger.claim(messageId, owner, lease.leaseMs, info);
  if (!claim.ok && claim.state === 'sent') return 'sent';
  if (!claim.ok) throw ApplicationFailure.retryable(`邮件正由另一次尝试发送 / mail ${messageId} is being sent by another attempt`, 'MailInFlight');

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  const renew = async () => {
    try {
      ctx?.heartbeat();
      if (await ledger.renew(messageId, owner, lease.leaseMs)) return;
      // Our lease lapsed and another attempt took over: the SMTP exchange cannot be recalled, so this
      // mail may go out twice. Say so; the row keeps whichever acceptance comes first.
      stopped = true;
      warn(ctx, `mail ${messageId}: claim lost to another attempt while sending`);
    } catch (err) {
      warn(ctx, `mail ${messageId}: lease renewal failed: ${(err as Error).message}`);
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      inFlight = renew().finally(() => { if (!stopped) schedule(); });
    }, lease.renewMs);
  };
  const stop = async () => {
    stopped = true;
    clearTimeout(timer);
    await inFlight; // no renewal may land after the row is settled
  };
  ctx?.heartbeat();
  schedule();

  return {
    owner,
    attempts: claim.attempts,
    async sent(deliveredTo) {
      // Retried a little: every failure here widens the window in which a retry repeats the mail.
      try {
        for (let i = 0; ; i += 1) {
          try {
            await ledger.markSent(messageId, owner, deliveredTo);
            return;
          } catch (err) {
            if (i >= 2) throw err;
            await new Promise((r) => setTimeout(r, 250 * 4 ** i));
          }
        }
      } finally {
        await stop();
      }
    },
    async release(failure) {
      await stop();
      // A release that fails must not hide the send's own error: the lease then ends by itself (and the
      // next claim records the attempt as cut off).
      await ledger.release(messageId, owner, failure).catch((err: unknown) => warn(ctx, `mail ${messageId}: release failed: ${(err as Error).message}`));
    },
  };
}

function warn(ctx: Context | undefined, message: string): void {
  if (ctx) ctx.log.warn(message);
  else console.warn(message);
}
