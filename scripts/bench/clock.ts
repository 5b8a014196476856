// Moving the time-skipping server's clock, safely for long skips.
//
// env.sleep() (and test/helpers/worker.ts skipTo) call UnlockTimeSkippingWithSleep on the client's
// default connection, which pings every 30 s and retries UNAVAILABLE calls. The test server (Java gRPC)
// allows a ping every 5 minutes: after the third early ping it closes the connection (GOAWAY
// too_many_pings; grpc-js logs "rejected by server because of excess pings"), and the retry interceptor
// sends the sleep again while the server still runs the first one. The second unlock takes a lock that
// belongs to somebody else (a workflow task, an activity, a request in progress): time skips while work
// is outstanding, and when the stolen lock's owner releases it the count is already zero — the server
// throws "Unbalanced lock and unlock calls" (with its "Self Advancing Timer Lock Events" list) in the
// middle of that request, leaves the workflow's own lock held, and the clock stays locked from then on.
// Any skip that lasts longer than about 90 s of wall time does this. Here the sleep has a connection of
// its own: no keepalive pings, no retries.
import { Connection } from '@temporalio/client';
import connectionModule from '@temporalio/client/lib/connection.js';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { serverNow } from '../../test/helpers/temporal.js';

export interface Clock {
  skipTo(iso: string): Promise<void>;
  close(): Promise<void>;
}

export async function serverClock(env: TestWorkflowEnvironment): Promise<Clock> {
  const connection = await Connection.connect({
    address: env.address,
    interceptors: [],
    channelArgs: { 'grpc.keepalive_time_ms': 2 ** 31 - 1, 'grpc.keepalive_permit_without_calls': 0 },
    // The test service is only reachable through this (internal) option, as TestWorkflowEnvironment does.
    [connectionModule.InternalConnectionOptionsSymbol]: { supportsTestService: true },
  } as Parameters<typeof Connection.connect>[0]);
  return {
    async skipTo(iso) {
      const ms = Date.parse(iso) - (await serverNow(env)).getTime();
      if (ms <= 0) return;
      await connection.testService!.unlockTimeSkippingWithSleep({ duration: msToTs(ms) });
    },
    close: () => connection.close(),
  };
}
