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
  approveUpdate, auditQuery, delegateUpdate, revokeDelegationUpdate, type DelegateRequest, type RevokeDelegationRequest, cycleQuery, deliverableQuery, enterFigureUpdate, evidenceQuery, extendUpdate, fileEvidenceUpdate, gradingIdOf,
  gradingResultQuery, importTargetsUpdate, itemApproveUpdate, itemExtendUpdate, itemRejectUpdate, itemSubmitUpdate, itemUrgeUpdate,
  type OnItem, markTargetUpdate, rejectUpdate, scoreQuery, setVetoesUpdate, statusQuery, submitUpdate, targetsQuery,
  urgeUpdate, type ApproveRequest, type CycleStatus, type DeliverableSnapshot, type ExtendRequest, type FigureRequest, type FileEvidenceRequest,
  type FileRef, type GradingArgs, type GradingResult, type MarkRequest, type Refusal, type RejectRequest, type SubmitRequest, type UrgeRequest,
  type VetoRequest,
} from '../workflows/definitions.js';
import { CONFLICT, REFUSED } from '../workflows/refuse.js';
import { auditKey } from '../activities/records.js';
import { inputErrorCode } from '../workflows/input-errors.js';
import { rolesOf } from '../domain/cycle.js';
import { isValidLocalDate, toZonedIso } from '../domain/time.js';
import { clip, LIMITS } from '../domain/limits.js';
import type { Store } from '../store/index.js';
import { CycleConflict } from '../store/cycles.js';
import { UserError } from './errors.js';
import { isOperator } from './operator.js';
import type { Delegation } from '../domain/delegation.js';
import { conflictMessage, passing, retryBusy, urgedMessage, type Closing, type RetryOptions } from './conflicts.js';
import { UpdateGate } from './update-gate.js';

/**
 * How long an action may wait out a busy item (Temporal's limit of Updates in flight, an aborted Update)
 * before the answer is 503: attempts, pauses and the gRPC client's own retries together.
 */
const UPDATE_BUDGET_MS = 20_000;
/**
 * Updates one API process keeps in flight per workflow, out of Temporal's 10 (client/update-gate.ts):
 * the rest are for the CLI and other processes acting on the same cycle.
 */
export const UPDATES_IN_FLIGHT = 6;
/** Tries of a status or audit read when the worker answers too late. */
const QUERY_TRIES = 3;

export type DeliverableStatus = DeliverableSnapshot & { overdueDays: number };
export type StatusView = Omit<CycleStatus, 'deliverables'> & { deliverables: DeliverableStatus[]; asOf: string };

export interface CycleClientOptions {
  taskQueue: string;
  /** The application database: the audit, the register of cycles and closed cycles' final status. */
  store: Store;
  /** The clock overdue days are counted against; tests pass the test server's. */
  now?: () => Date | Promise<Date>;
}

/** The SDK's answer to an Update the workflow has no handler for: a cycle whose items are child workflows. */
const NO_ITEM_HANDLER = 'No registered handler for update: item.';
class ChildItems extends Error {}

export class CycleClient {
  /** Completed items never change: their last snapshot, kept for the next person who comes too late. */
  private readonly finals = new Map<string, Promise<DeliverableSnapshot>>();
  /** Whether a cycle holds its items or runs each as a child: fixed when it starts, learnt at its first action. */
  private readonly holds = new Map<string, boolean>();
  /** Queries on their way, by kind and cycle, with the count of actions done when each was asked (query()). */
  private readonly queries = new Map<string, { acted: number; answer: Promise<unknown> }>();
  /** Actions this process has done (Updates that went through): a query asked before one is not shared after it. */
  private acted = 0;
  private readonly gate = new UpdateGate(UPDATES_IN_FLIGHT);

  constructor(private readonly client: Client, private readonly opts: CycleClientOptions) {}

  get store(): Store {
    return this.opts.store;
  }

  /**
   * Starts a resolved cycle, no questions about who asks: the authority check and the directory's
   * people are client/cycle-start.ts's, the one start path of every front end. Tests call this directly.
   * `continueAsNewAfter`: history events per run (tests set it low to see a cycle continue as new).
   */
  async start(cycle: CycleInput, startedBy: string, opts: { continueAsNewAfter?: number } = {}): Promise<string> {
    // A cycle that ran once (even closed, even forgotten by Temporal) keeps its record: never started over.
    const running = await this.client.workflow.getHandle(cycle.cycleId).describe().then((d) => d.status.name, (err: unknown) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    });
    if (running === 'RUNNING') throw new UserError(`评估周期 ${cycle.cycleId} 已在运行 / cycle ${cycle.cycleId} is already running`, 'conflict');
    if (running || (await this.opts.store.cycles.finalStatus(cycle.cycleId)) || (await this.opts.store.audit.hasWorkflowEntries(cycle.cycleId))) {
      throw new UserError(`评估周期 ${cycle.cycleId} 已存在（${running ?? 'closed'}）/ cycle ${cycle.cycleId} exists already`, 'conflict');
    }
    try {
      await this.opts.store.cycles.save(cycle);
    } catch (err) {
      if (err instanceof CycleConflict) throw new UserError(err.message, 'conflict');
      throw err;
    }
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
   * activity, so the newest entries may be a moment behind); numbered on from the stored rows. The
   * cycle is asked first: an entry it stops holding while the rows are read is among the rows by then.
   */
  async audit(cycleId: string): Promise<AuditEntry[]> {
    let pending: AuditEntry[] = [];
    let gone: unknown;
    try {
      pending = await this.query(cycleId, auditQuery);
    } catch (err) {
      if (!(err instanceof UserError && err.code === 'not-found')) throw err;
      gone = err;
    }
    const stored = await this.opts.store.audit.list(cycleId);
    if (gone && stored.length === 0 && !(await this.opts.store.cycles.get(cycleId))) throw gone;
    const keys = new Set(stored.map((e) => e.key));
    const fresh = pending.filter((e) => !keys.has(auditKey(cycleId, e.seq)));
    return [...stored.map(({ key: _key, ...e }) => e), ...fresh.map((e, i) => ({ ...e, seq: stored.length + i + 1 }))];
  }

  verifyAudit(cycleId: string) {
    return this.opts.store.audit.verify(cycleId);
  }

  submit(cycleId: string, deliverableId: string, req: SubmitRequest) {
    return this.act(cycleId, deliverableId, 'submit', { child: submitUpdate, held: itemSubmitUpdate }, req);
  }

  approve(cycleId: string, deliverableId: string, req: ApproveRequest) {
    return this.act(cycleId, deliverableId, 'approve', { child: approveUpdate, held: itemApproveUpdate }, req);
  }

  reject(cycleId: string, deliverableId: string, req: RejectRequest) {
    return this.dated(req.due) ?? this.act(cycleId, deliverableId, 'reject', { child: rejectUpdate, held: itemRejectUpdate }, req);
  }

  /**
   * 催办: whoever must act on the item now (the owner, or the reviewer in review) is mailed at once. Only the
   * coordinator, the director and the item's responsible leader may (403, audited); the same person twice
   * on one day is a 409 naming who urged them and when.
   */
  urge(cycleId: string, deliverableId: string, req: UrgeRequest) {
    return this.act(cycleId, deliverableId, 'urge', { child: urgeUpdate, held: itemUrgeUpdate }, req);
  }

  /** 延期: the coordinator moves the deadline of whoever must act to a later day, with a reason; the chase starts again from it. */
  extend(cycleId: string, deliverableId: string, req: ExtendRequest) {
    return this.dated(req.due) ?? this.act(cycleId, deliverableId, 'extend', { child: extendUpdate, held: itemExtendUpdate }, req);
  }

  /**
   * 委托 / 转办: one item, or every item of the person from `start` to `end`, handed to a colleague, who may
   * then act where that person may act now. The person themselves or the coordinator (403 otherwise, audited).
   */
  delegate(cycleId: string, req: DelegateRequest): Promise<Delegation> {
    return this.update(cycleId, delegateUpdate, req, 'delegate', req.deliverableId ?? cycleId);
  }

  /** Takes a delegation back: its maker, the person it was for, or the coordinator. */
  revokeDelegation(cycleId: string, req: RevokeDelegationRequest): Promise<Delegation> {
    return this.update(cycleId, revokeDelegationUpdate, req, 'revokeDelegation', cycleId);
  }

  /** A day that does not exist is the caller's mistake (400), before anyone's rights are weighed. */
  private dated(due: string | undefined): Promise<never> | undefined {
    if (due === undefined || isValidLocalDate(due)) return undefined;
    return Promise.reject(new UserError(`due: 不是有效的日期 YYYY-MM-DD / not a valid date YYYY-MM-DD (got "${clip(String(due), 40)}")`));
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
      // An operator (direct mode, no sign-in) is trusted with the service anyway, and is audited as such.
      if (req.actor !== input.roles.efficiencyOffice && !isOperator(req.actor)) {
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
    const handle = this.client.workflow.getHandle(cycleId);
    // One id for every attempt: a retry after a timeout joins the first attempt instead of acting twice.
    const updateId = randomUUID();
    try {
      return await this.gated(cycleId, () => handle.executeUpdate(def, { args: [req], updateId }), { subject: cycleId, settled: () => this.cycleEnded(cycleId) });
    } catch (err) {
      const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === REFUSED) {
        await this.recordRefusal(cycleId, { actor: req.actor, action, subject, reason: cause.message });
        throw new UserError(cause.message, 'refused');
      }
      if (cause instanceof ApplicationFailure && cause.type === CONFLICT) throw new UserError(cause.message, 'conflict');
      // Bad input the validator found (a mark above the points, an unknown target): 400 / 404, not a refusal, not audited.
      const input = cause instanceof ApplicationFailure ? inputErrorCode(cause.type) : undefined;
      if (input && cause) throw new UserError(cause.message, input);
      if (err instanceof WorkflowNotFoundError) throw (await this.cycleEnded(cycleId)) ?? new UserError(`找不到评估周期 ${cycleId} / no such cycle`, 'not-found');
      throw err;
    }
  }

  /** A cycle whose workflow has ended takes no more actions: 409 once its final status is stored. */
  private async cycleEnded(cycleId: string): Promise<UserError | undefined> {
    if (!(await this.opts.store.cycles.finalStatus(cycleId))) return undefined;
    return new UserError(`评估周期 ${cycleId} 已结束，不能再办理 / cycle ${cycleId} has closed: nothing more can be done`, 'conflict');
  }

  private child(cycleId: string, deliverableId: string) {
    return this.client.workflow.getHandle(`${cycleId}.${deliverableId}`);
  }

  /**
   * An Update's attempts, once its turn comes (client/update-gate.ts), within what is left of the budget;
   * an Update that went through is counted, so no query asked before it is shared after it.
   */
  private async gated<T>(workflowId: string, attempt: () => Promise<T>, o: Omit<RetryOptions, 'budgetMs'>): Promise<T> {
    const done = await this.gate.run(workflowId, (waited) =>
      retryBusy((deadline) => this.client.withDeadline(deadline, attempt), { ...o, budgetMs: UPDATE_BUDGET_MS - waited }));
    this.acted += 1;
    return done;
  }

  /**
   * One query of a cycle at a time per kind: callers that ask while it is on its way share its answer.
   * A workflow answers queries one after another, between its tasks, so a crowd acting on one cycle
   * (each request reads the status to check rights) would otherwise queue a query per person ahead of
   * their Updates. The shared answer is no older than the moment the first caller asked, and none is
   * shared across an action done by this process: whoever acted reads their own change.
   */
  private query<T>(cycleId: string, def: QueryDefinition<T>): Promise<T> {
    const key = `${def.name}\u0000${cycleId}`;
    const pending = this.queries.get(key);
    if (pending?.acted === this.acted) return pending.answer as Promise<T>;
    const asked = { acted: this.acted, answer: this.queryOnce(cycleId, def) };
    const forget = () => {
      if (this.queries.get(key) === asked) this.queries.delete(key);
    };
    asked.answer.then(forget, forget);
    this.queries.set(key, asked);
    return asked.answer;
  }

  private async queryOnce<T>(cycleId: string, def: QueryDefinition<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.client.workflow.getHandle(cycleId).query(def);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new UserError(`找不到评估周期 ${cycleId} / no such cycle`, 'not-found');
        // A worker busy with a burst of reminders answers a query late (deadline exceeded): a read is
        // worth another try before it becomes a 5xx.
        if (attempt < QUERY_TRIES && passing(err)) continue;
        throw err;
      }
    }
  }

  /**
   * Runs one update. A refusal by the workflow's validator never reaches history, so the refusal
   * is recorded here, in the cycle's audit, before the error goes back to the user. Coming too late
   * (someone acted first) is a 409 naming who and when; a busy item is tried again for a moment, then 503.
   */
  private async act<Req extends { actor: string }>(
    cycleId: string, deliverableId: string, action: string,
    defs: { child: UpdateDefinition<DeliverableSnapshot, [Req]>; held: UpdateDefinition<DeliverableSnapshot, [OnItem<Req>]> }, req: Req,
  ): Promise<DeliverableSnapshot> {
    // A cycle holds its items unless it was started before they were (then it has no handler for
    // item.*, and the SDK rejects the Update before it reaches history): each kind is learnt once.
    if (this.holds.get(cycleId) !== false) {
      const held = await this.actOn(true, cycleId, deliverableId, action, defs, req).catch((err: unknown) => {
        if (!(err instanceof ChildItems)) throw err;
        return undefined;
      });
      if (held) return this.remember(cycleId, true, held);
      this.remember(cycleId, false, undefined);
    }
    return this.actOn(false, cycleId, deliverableId, action, defs, req);
  }

  private remember<T>(cycleId: string, held: boolean, result: T): T {
    if (!this.holds.has(cycleId) && this.holds.size >= 10_000) this.holds.delete(this.holds.keys().next().value!);
    this.holds.set(cycleId, held);
    return result;
  }

  private async actOn<Req extends { actor: string }>(
    held: boolean, cycleId: string, deliverableId: string, action: string,
    defs: { child: UpdateDefinition<DeliverableSnapshot, [Req]>; held: UpdateDefinition<DeliverableSnapshot, [OnItem<Req>]> }, req: Req,
  ): Promise<DeliverableSnapshot> {
    // One id for every attempt: a retry after a timeout joins the first attempt instead of acting twice.
    const updateId = randomUUID();
    const run = held
      ? () => this.client.workflow.getHandle(cycleId).executeUpdate(defs.held, { args: [{ ...req, deliverableId }], updateId })
      : () => this.child(cycleId, deliverableId).executeUpdate(defs.child, { args: [req], updateId });
    let snapshot: DeliverableSnapshot;
    try {
      snapshot = await this.gated(held ? cycleId : `${cycleId}.${deliverableId}`, run, {
        subject: deliverableId, settled: () => (held ? this.cycleEnded(cycleId) : this.settled(cycleId, deliverableId)),
        opening: async (err) => !held && err instanceof WorkflowNotFoundError && await this.listedOpen(cycleId, deliverableId),
      });
    } catch (err) {
      const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
      if (held && cause instanceof ApplicationFailure && cause.message.startsWith(NO_ITEM_HANDLER)) throw new ChildItems();
      if (cause instanceof ApplicationFailure && cause.type === REFUSED) {
        await this.recordRefusal(cycleId, { actor: req.actor, action, subject: deliverableId, reason: cause.message });
        throw new UserError(cause.message, 'refused');
      }
      // Entitled but late: not a refusal, nothing to audit; the failure carries the state the workflow saw.
      if (cause instanceof ApplicationFailure && cause.type === CONFLICT) {
        throw await this.conflict(cycleId, cause.details?.[0] as DeliverableSnapshot | undefined, cause.message, action);
      }
      // Bad input the validator found (no reason, a due date in the past): 400, not audited.
      const input = cause instanceof ApplicationFailure ? inputErrorCode(cause.type) : undefined;
      if (input && cause) throw new UserError(cause.message, input);
      if (err instanceof WorkflowNotFoundError) {
        throw (await (held ? this.cycleEnded(cycleId) : this.settled(cycleId, deliverableId)))
          ?? new UserError(`${cycleId} 中没有正在进行的事项 ${deliverableId} / no open deliverable ${deliverableId} in ${cycleId}`, 'not-found');
      }
      throw err;
    }
    if (!held) await this.waitUntilCycleSees(cycleId, snapshot);
    return snapshot;
  }

  /** Whether the cycle lists the item as still to be done (its workflow may not have started yet). */
  private async listedOpen(cycleId: string, deliverableId: string): Promise<boolean> {
    const listed = await this.status(cycleId).then((s) => s.deliverables.find((d) => d.id === deliverableId), () => undefined);
    return listed !== undefined && listed.state !== 'accepted' && listed.state !== 'closed';
  }

  /**
   * The 409 for an item whose workflow has ended (accepted or closed), saying who accepted it; undefined
   * while it runs, or when the cycle has no such item (a missing cycle is a 404 from status()).
   */
  private async settled(cycleId: string, deliverableId: string): Promise<UserError | undefined> {
    const handle = this.child(cycleId, deliverableId);
    let final: DeliverableSnapshot | undefined;
    try {
      const { status } = await handle.describe();
      if (status.name === 'RUNNING') return undefined;
      if (status.name === 'COMPLETED') final = await this.finalOf(cycleId, deliverableId);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) && !passing(err)) throw err;
    }
    // Gone from Temporal (retention), terminated, or unreadable for a moment: the cycle's record of it.
    final ??= (await this.status(cycleId)).deliverables.find((d) => d.id === deliverableId);
    if (final?.state !== 'accepted' && final?.state !== 'closed') return undefined;
    return this.conflict(cycleId, final, `${deliverableId}: ${final.state}`);
  }

  /**
   * The last snapshot of a completed item. A query works on a completed workflow (result() would let the
   * time-skipping test server skip time), but replays it on a worker: the losers of one race share one.
   */
  private finalOf(cycleId: string, deliverableId: string): Promise<DeliverableSnapshot> {
    const key = `${cycleId}.${deliverableId}`;
    let final = this.finals.get(key);
    if (!final) {
      final = this.child(cycleId, deliverableId).query(deliverableQuery);
      final.catch(() => this.finals.delete(key));
      if (this.finals.size >= 1000) this.finals.delete(this.finals.keys().next().value!);
      this.finals.set(key, final);
    }
    return final;
  }

  /** A 409 in words for people: the cycle's names and zone; `fallback` when the directory is not at hand. */
  private async conflict(cycleId: string, d: DeliverableSnapshot | undefined, fallback: string, action?: string): Promise<UserError> {
    const input = await this.opts.store.cycles.get(cycleId);
    if (!d || !input) return new UserError(fallback, 'conflict');
    // An item still waiting that refuses an urge was urged today already.
    const urged = action === 'urge' && (d.state === 'open' || d.state === 'in-review') ? urgedMessage(d, input) : undefined;
    if (urged) return new UserError(urged, 'conflict');
    let closing: Closing | undefined;
    if (d.state === 'closed') {
      const line = (await this.audit(cycleId)).filter((e) => e.subject === d.id && e.action === 'deliverable-closed').at(-1);
      if (line) closing = { at: line.at, ...(line.detail && { why: line.detail }) };
    }
    return new UserError(conflictMessage(d, input, closing), 'conflict');
  }

  /**
   * The cycle learns of a deliverable's change by signal; wait for it so `status` right after is current
   * (for up to 5 s, and only while the cycle answers).
   */
  private async waitUntilCycleSees(cycleId: string, snapshot: DeliverableSnapshot): Promise<void> {
    for (let i = 0; i < 50; i += 1) {
      // The action is done: a status that cannot be read now must not report it failed.
      const s = await this.query(cycleId, statusQuery).catch(() => undefined);
      if (!s || (s.deliverables.find((d) => d.id === snapshot.id)?.version ?? 0) >= snapshot.version) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
