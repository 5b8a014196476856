// The typed client every front end uses (CLI, HTTP API, tests): one place for starting cycles,
// acting on deliverables, auditing refusals and reading status.
import { randomUUID } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client,
} from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition, type UpdateDefinition } from '@temporalio/common';
import type { CycleInput } from '../domain/cycle.js';
import { parseGradingRules, parseUnits, type GradingRulesInput, type UnitScore } from '../domain/grading.js';
import { checkTargetTable, formatRowErrors } from '../domain/target-ledger.js';
import { overdueDays } from '../domain/time.js';
import type { AuditEntry } from '../domain/audit.js';
import {
  approveUpdate, auditQuery, cycleQuery, enterFigureUpdate, evidenceQuery, fileEvidenceUpdate, gradingIdOf, gradingResultQuery,
  importTargetsUpdate, markTargetUpdate, rejectUpdate, scoreQuery, setVetoesUpdate, statusQuery, submitUpdate, targetsQuery,
  type ApproveRequest, type CycleStatus, type DeliverableSnapshot, type FigureRequest, type FileEvidenceRequest, type FileRef,
  type GradingArgs, type GradingResult, type MarkRequest, type Refusal, type RejectRequest, type SubmitRequest, type VetoRequest,
} from '../workflows/definitions.js';
import { REFUSED } from '../workflows/refuse.js';
import { auditKey } from '../activities/records.js';
import { rolesOf } from '../domain/cycle.js';
import { toZonedIso } from '../domain/time.js';
import { clip, LIMITS } from '../domain/limits.js';
import type { Store } from '../store/index.js';
import { UserError } from './errors.js';

export type DeliverableStatus = DeliverableSnapshot & { overdueDays: number };
export type StatusView = Omit<CycleStatus, 'deliverables'> & { deliverables: DeliverableStatus[]; asOf: string };

export interface CycleClientOptions {
  taskQueue: string;
  /** The application database: the audit, the register of cycles and closed cycles' final status. */
  store: Store;
  /** The clock overdue days are counted against; tests pass the test server's. */
  now?: () => Date | Promise<Date>;
}

export class CycleClient {
  constructor(private readonly client: Client, private readonly opts: CycleClientOptions) {}

  get store(): Store {
    return this.opts.store;
  }

  /** `continueAsNewAfter`: history events per run (tests set it low to see a cycle continue as new). */
  async start(cycle: CycleInput, startedBy: string, opts: { continueAsNewAfter?: number } = {}): Promise<string> {
    if (startedBy !== cycle.roles.coordinator) {
      throw new UserError(`${startedBy} 无权启动评估周期，应由局办公室 ${cycle.roles.coordinator} 启动 / only the coordinator ${cycle.roles.coordinator} may start the cycle`, 'refused');
    }
    // A cycle that ran once (even closed, even forgotten by Temporal) keeps its record: never started over.
    const running = await this.client.workflow.getHandle(cycle.cycleId).describe().then((d) => d.status.name, (err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
    if (running === 'RUNNING') throw new UserError(`评估周期 ${cycle.cycleId} 已在运行 / cycle ${cycle.cycleId} is already running`, 'conflict');
    if (running || (await this.opts.store.cycles.finalStatus(cycle.cycleId)) || (await this.opts.store.audit.hasWorkflowEntries(cycle.cycleId))) {
      throw new UserError(`评估周期 ${cycle.cycleId} 已存在（${running ?? 'closed'}）/ cycle ${cycle.cycleId} exists already`, 'conflict');
    }
    await this.opts.store.cycles.save(cycle);
    try {
      await this.client.workflow.start('evaluationCycle', {
        taskQueue: this.opts.taskQueue, workflowId: cycle.cycleId, args: [{ cycle, startedBy, ...opts }],
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new UserError(`评估周期 ${cycle.cycleId} 已在运行 / cycle ${cycle.cycleId} is already running`, 'conflict');
      }
      throw err;
    }
    return cycle.cycleId;
  }

  /** From the running (or retained) workflow; once Temporal has forgotten a closed cycle, from the database. */
  async status(cycleId: string): Promise<StatusView> {
    let s: CycleStatus;
    try {
      s = await this.query(cycleId, statusQuery);
    } catch (err) {
      const kept = err instanceof UserError && err.code === 'not-found' ? await this.opts.store.cycles.finalStatus<CycleStatus>(cycleId) : undefined;
      if (!kept) throw err;
      s = kept;
    }
    const now = await (this.opts.now?.() ?? new Date());
    return {
      ...s,
      asOf: now.toISOString(),
      deliverables: s.deliverables.map((d) => ({
        ...d, overdueDays: d.state === 'accepted' || d.state === 'closed' ? 0 : overdueDays(d.due, now, s.timeZone),
      })),
    };
  }

  /**
   * The stored audit, then what the running cycle has recorded but not yet stored (a write is an
   * activity, so the newest entries may be a moment behind); numbered on from the stored rows.
   */
  async audit(cycleId: string): Promise<AuditEntry[]> {
    const stored = await this.opts.store.audit.list(cycleId);
    let pending: AuditEntry[] = [];
    try {
      pending = await this.query(cycleId, auditQuery);
    } catch (err) {
      if (!(err instanceof UserError && err.code === 'not-found')) throw err;
      if (stored.length === 0 && !(await this.opts.store.cycles.get(cycleId))) throw err;
    }
    const keys = new Set(stored.map((e) => e.key));
    const fresh = pending.filter((e) => !keys.has(auditKey(cycleId, e.seq)));
    return [...stored.map(({ key: _key, ...e }) => e), ...fresh.map((e, i) => ({ ...e, seq: stored.length + i + 1 }))];
  }

  verifyAudit(cycleId: string) {
    return this.opts.store.audit.verify(cycleId);
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

  /**
   * A refusal (by the API's rights check or a workflow's validator) is written straight to the cycle's
   * audit in the database: it never enters workflow history, so refusals cannot grow it.
   */
  async recordRefusal(cycleId: string, refusal: Refusal): Promise<void> {
    const input = await this.opts.store.cycles.get(cycleId);
    if (!input) throw new UserError(`找不到评估周期 ${cycleId} / no such cycle`, 'not-found');
    const now = await (this.opts.now?.() ?? new Date());
    await this.opts.store.audit.append(cycleId, [{
      sourceKey: `api:${randomUUID()}`,
      entry: {
        // Refused values may be huge (that can be why they were refused): the record keeps a bounded clip.
        actor: clip(refusal.actor, LIMITS.personId), role: rolesOf(input, refusal.actor).join(' ') || 'none', action: 'refused', subject: clip(refusal.subject, LIMITS.id),
        detail: `${refusal.action}: ${refusal.reason}`, at: toZonedIso(now, input.timeZone), workflowId: cycleId,
      },
    }]);
  }

  // ---- targets, evidence, scores (issue 3) ----

  /** The cycle's resolved input as it runs (people, departments, scheme, bonus settings). */
  cycleInput(cycleId: string): Promise<CycleInput> {
    return this.query(cycleId, cycleQuery);
  }

  /**
   * Checks the table's rows against the cycle first, so a bad file changes nothing and every error names
   * its row and column; only a valid table reaches the workflow (whose validator checks again).
   */
  async importTargets(cycleId: string, rows: readonly Record<string, unknown>[], actor: string, source?: FileRef) {
    const checked = checkTargetTable(rows, await this.cycleInput(cycleId));
    if (!checked.ok) throw new UserError(`考评表有误，未导入 / the target table is invalid, nothing imported:\n${formatRowErrors(checked.errors)}`);
    return this.update(cycleId, importTargetsUpdate, { actor, targets: checked.targets, ...(source && { source }) }, 'importTargets', cycleId);
  }

  targets(cycleId: string) {
    return this.query(cycleId, targetsQuery);
  }

  fileEvidence(cycleId: string, req: FileEvidenceRequest) {
    return this.update(cycleId, fileEvidenceUpdate, req, 'fileEvidence', req.targetId);
  }

  evidence(cycleId: string) {
    return this.query(cycleId, evidenceQuery);
  }

  markTarget(cycleId: string, req: MarkRequest) {
    return this.update(cycleId, markTargetUpdate, req, 'markTarget', req.targetId);
  }

  enterFigure(cycleId: string, req: FigureRequest) {
    return this.update(cycleId, enterFigureUpdate, req, 'enterFigure', `figure:${String(req.figure)}`);
  }

  setVetoes(cycleId: string, req: VetoRequest) {
    return this.update(cycleId, setVetoesUpdate, req, 'setVetoes', cycleId);
  }

  score(cycleId: string) {
    return this.query(cycleId, scoreQuery);
  }

  /**
   * Starts the city's grading and waits for its result. Checked first: the actor is the efficiency office
   * of every cycle named (a refusal goes to each cycle's audit), every score is complete, the units are valid.
   */
  async startGrading(req: { year: number; cycles: string[]; external: unknown; rules?: unknown; actor: string }): Promise<GradingResult> {
    const invalid = (err: unknown) => new UserError((err as Error).message);
    let external: UnitScore[];
    let rules: GradingRulesInput | undefined;
    try {
      external = parseUnits(req.external ?? []);
      rules = req.rules === undefined ? undefined : parseGradingRules(req.rules);
    } catch (err) { throw invalid(err); }
    const own: UnitScore[] = [];
    for (const id of req.cycles) {
      const input = await this.cycleInput(id);
      if (input.year !== req.year) throw new UserError(`${id}: 是 ${input.year} 年度的周期，不是 ${req.year} / is a cycle of ${input.year}, not ${req.year}`);
      if (req.actor !== input.roles.efficiencyOffice) {
        const reason = `${req.actor} 无权评定等次，应由市效能办 ${input.roles.efficiencyOffice} 评定 / only the efficiency office ${input.roles.efficiencyOffice} may grade`;
        await this.recordRefusal(id, { actor: req.actor, action: 'startGrading', subject: id, reason });
        throw new UserError(reason, 'refused');
      }
      const s = await this.score(id);
      if (!s.view.complete) throw new UserError(`${id}: 得分不完整 / incomplete score: ${s.view.missing.map((m) => `${m.zh} / ${m.en}`).join('; ')}`);
      own.push({ unit: input.unit.name, score: s.view.breakdown.finalScore, vetoes: s.vetoes });
    }
    try { parseUnits([...own, ...external]); } catch (err) { throw invalid(err); }
    const args: GradingArgs = { year: req.year, cycles: req.cycles, external, ...(rules && { rules }), startedBy: req.actor };
    let handle;
    try {
      handle = await this.client.workflow.start('cityGrading', { taskQueue: this.opts.taskQueue, workflowId: gradingIdOf(req.year), args: [args] });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new UserError(`${req.year} 年度等次评定正在进行 / grading for ${req.year} is already running`, 'conflict');
      throw err;
    }
    try {
      return (await handle.result()) as GradingResult;
    } catch (err) {
      if (err instanceof WorkflowFailedError) throw new UserError(`等次评定失败 / grading failed: ${err.cause?.message ?? err.message}`);
      throw err;
    }
  }

  /** The latest grading of a year: its result once done, null while it is still collecting. */
  async gradingResult(year: number): Promise<GradingResult | null> {
    const handle = this.client.workflow.getHandle(gradingIdOf(year));
    try {
      const d = await handle.describe();
      if (d.status.name === 'COMPLETED') return (await handle.result()) as GradingResult;
      if (d.status.name === 'RUNNING') return await handle.query(gradingResultQuery);
      throw new UserError(`${year} 年度等次评定未完成（${d.status.name}）/ the ${year} grading did not complete (${d.status.name})`);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new UserError(`${year} 年度尚未评定等次 / no grading for ${year}`, 'not-found');
      throw err;
    }
  }

  /** An Update on the cycle itself; a refusal is audited in the cycle like the deliverables' ones. */
  private async update<Ret, Req extends { actor: string }>(cycleId: string, def: UpdateDefinition<Ret, [Req]>, req: Req, action: string, subject: string): Promise<Ret> {
    try {
      return await this.client.workflow.getHandle(cycleId).executeUpdate(def, { args: [req] });
    } catch (err) {
      const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === REFUSED) {
        await this.recordRefusal(cycleId, { actor: req.actor, action, subject, reason: cause.message });
        throw new UserError(cause.message, 'refused');
      }
      if (err instanceof WorkflowNotFoundError) throw new UserError(`找不到评估周期 ${cycleId} / no such cycle`, 'not-found');
      throw err;
    }
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
        await this.recordRefusal(cycleId, { actor, action, subject: deliverableId, reason: cause.message });
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
