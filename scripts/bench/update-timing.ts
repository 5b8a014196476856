// Each Update's round trip as the client sees it (UpdateWorkflowExecution, waiting for its completion),
// collected by a client interceptor; both benchmarks report its p50/p99. `ms` is emptied between phases.
import type { WorkflowClientInterceptor } from '@temporalio/client';

export function updateTiming(): { interceptor: WorkflowClientInterceptor; ms: number[] } {
  const ms: number[] = [];
  const interceptor: WorkflowClientInterceptor = {
    async startUpdate(input, next) {
      const t = performance.now();
      try {
        return await next(input);
      } finally {
        ms.push(performance.now() - t);
      }
    },
  };
  return { interceptor, ms };
}
