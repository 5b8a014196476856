// Updates to one workflow take turns in this process rather than race Temporal's limit of Updates in
// flight per workflow (history.maxInFlightUpdates, 10 by default). Without the gate, a crowd acting on
// one cycle at once meets that limit, backs off and tries again, and the retries themselves keep the
// limit full: in test/api/races.test.ts, 198 requests at once on a loaded machine ran out their 20 s
// and answered 503. Waiting here costs nothing on the server; the places left over (the limit minus
// this gate) are for the other processes that act on the same cycle (CLI, a second API).
import pLimit, { type LimitFunction } from 'p-limit';

export class UpdateGate {
  private readonly gates = new Map<string, LimitFunction>();

  constructor(private readonly perWorkflow: number) {}

  /** Runs `fn` once a place for `workflowId` is free, telling it how long it waited (ms). */
  run<T>(workflowId: string, fn: (waitedMs: number) => Promise<T>): Promise<T> {
    let gate = this.gates.get(workflowId);
    if (!gate) {
      gate = pLimit(this.perWorkflow);
      this.gates.set(workflowId, gate);
    }
    const queued = Date.now();
    const g = gate;
    return g(() => fn(Date.now() - queued)).finally(() => {
      // An idle gate is forgotten: the map holds only workflows being acted on now.
      if (g.activeCount === 0 && g.pendingCount === 0 && this.gates.get(workflowId) === g) this.gates.delete(workflowId);
    });
  }

  /** Workflows with a place taken or waited for (tests look at it). */
  get size(): number {
    return this.gates.size;
  }
}
