// The typed client every front end uses (CLI, HTTP API, tests): one place for starting cycles,
// acting on deliverables, auditing refusals and reading status.
import {
  WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client,
} from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition } from '@temporalio/common';
import type { CycleInput } from '../domain/cycle.js';
import { overdueDays } from '../domain/time.js';
import type { AuditEntry } from '../domain/audit.js';
import {
  approveUpdate, auditQuery, refusalSignal, rejectUpdate, statusQuery, submitUpdate,
  type ApproveRequest, type CycleStatus, type DeliverableSnapshot, type Refusal, type RejectRequest, type SubmitRequest,
} from '../workflows/definitions.js';
import { REFUSED } from '../workflows/refuse.js';
import { UserError } from './errors.js';

export type DeliverableStatus = DeliverableSnapshot & { overdueDays: number };
export type StatusView = Omit<CycleStatus, 'deliverables'> & { deliverables: DeliverableStatus[]; asOf: string };

export interface CycleClientOptions {
  taskQueue: string;
  /** The clock overdue days are counted against; tests pass the test server's. */
  now?: () => Date | Promise<Date>;
}

export class CycleClient {
  constructor(private readonly client: Client, private readonly opts: CycleClientOptions) {}

  async start(cycle: CycleInput, startedBy: string): Promise<string> {
    if (startedBy !== cycle.roles.coordinator) {
      throw new UserError(`${startedBy} 无权启动评估周期，应由局办公室 ${cycle.roles.coordinator} 启动 / only the coordinator ${cycle.roles.coordinator} may start the cycle`, 'refused');
    }
    try {
      await this.client.workflow.start('evaluationCycle', {
        taskQueue: this.opts.taskQueue, workflowId: cycle.cycleId, args: [{ cycle, startedBy }],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new UserError(`评估周期 ${cycle.cycleId} 已在运行 / cycle ${cycle.cycleId} is already running`, 'conflict');
      }
      throw err;
    }
    return cycle.cycleId;
  }

  async status(cycleId: string): Promise<StatusView> {
    const s = await this.query(cycleId, statusQuery);
    const now = await (this.opts.now?.() ?? new Date());
    return {
      ...s,
      asOf: now.toISOString(),
      deliverables: s.deliverables.map((d) => ({
        ...d, overdueDays: d.state === 'accepted' || d.state === 'closed' ? 0 : overdueDays(d.due, now, s.timeZone),
      })),
    };
  }

  async audit(cycleId: string): Promise<AuditEntry[]> {
    return this.query(cycleId, auditQuery);
  }

  submit(cycleId: string, deliverableId: string, req: SubmitRequest) {
    return this.act(cycleId, deliverableId, 'submit', () => this.child(cycleId, deliverableId).executeUpdate(submitUpdate, { args: [req] }), req.actor);
  }

  approve(cycleId: string, deliverableId: string, req: ApproveRequest) {
    return this.act(cycleId, deliverableId, 'approve', () => this.child(cycleId, deliverableId).executeUpdate(approveUpdate, { args: [req] }), req.actor);
  }

  reject(cycleId: string, deliverableId: string, req: RejectRequest) {
    return this.act(cycleId, deliverableId, 'reject', () => this.child(cycleId, deliverableId).executeUpdate(rejectUpdate, { args: [req] }), req.actor);
  }

  /** A refusal decided before the workflow is asked (the HTTP API's rights check) goes to the same audit. */
  async recordRefusal(cycleId: string, refusal: Refusal): Promise<void> {
    await this.client.workflow.getHandle(cycleId).signal(refusalSignal, refusal);
  }

  private child(cycleId: string, deliverableId: string) {
    return this.client.workflow.getHandle(`${cycleId}.${deliverableId}`);
  }

  private async query<T>(cycleId: string, def: QueryDefinition<T>): Promise<T> {
    try {
      return await this.client.workflow.getHandle(cycleId).query(def);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new UserError(`找不到评估周期 ${cycleId} / no such cycle`, 'not-found');
      throw err;
    }
  }

  /**
   * Runs one update. A refusal by the workflow's validator never reaches history, so the refusal
   * is recorded here, in the cycle's audit, before the error goes back to the user.
   */
  private async act(cycleId: string, deliverableId: string, action: string, run: () => Promise<DeliverableSnapshot>, actor: string): Promise<DeliverableSnapshot> {
    let snapshot: DeliverableSnapshot;
    try {
      snapshot = await run();
    } catch (err) {
      const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === REFUSED) {
        await this.client.workflow.getHandle(cycleId).signal(refusalSignal, { actor, action, subject: deliverableId, reason: cause.message });
        throw new UserError(cause.message, 'refused');
      }
      if (err instanceof WorkflowNotFoundError) {
        await this.status(cycleId);
        throw new UserError(`${cycleId} 中没有正在进行的事项 ${deliverableId} / no open deliverable ${deliverableId} in ${cycleId}`, 'not-found');
      }
      throw err;
    }
    await this.waitUntilCycleSees(cycleId, snapshot);
    return snapshot;
  }

  /** The cycle learns of a deliverable's change by signal; wait for it so `status` right after is current. */
  private async waitUntilCycleSees(cycleId: string, snapshot: DeliverableSnapshot): Promise<void> {
    for (let i = 0; i < 50; i += 1) {
      const s = await this.query(cycleId, statusQuery);
      if ((s.deliverables.find((d) => d.id === snapshot.id)?.version ?? 0) >= snapshot.version) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
