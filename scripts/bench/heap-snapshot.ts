// BENCH_HEAP_SNAPSHOT=<dir>: a heap snapshot of each of the worker's threads once it caches
// BENCH_HEAP_SNAPSHOT_CACHED workflows (default 80). The workflow thread is where the memory is (the
// reusable V8 context), and the SDK does not hand its threads out, so the worker_threads Worker class is
// wrapped before the SDK creates them. For finding costs only: taking a snapshot costs its size in RSS.
// Read one with scripts/bench/heap-summary.ts.
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type * as WorkerThreads from 'node:worker_threads';

export function heapSnapshots(dir: string | undefined, cachedAt: number): (cached: number) => void {
  if (!dir) return () => {};
  const wt = createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;
  const threads: WorkerThreads.Worker[] = [];
  const Original = wt.Worker;
  wt.Worker = class extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      threads.push(this);
    }
  };
  let taken = false;
  return (cached) => {
    if (taken || cached < cachedAt) return;
    taken = true;
    threads.forEach((thread, i) => {
      const file = join(dir, `worker-thread-${i}.heapsnapshot`);
      void thread.getHeapSnapshot()
        .then((snapshot) => pipeline(snapshot, createWriteStream(file)))
        .then(() => console.error(`[bench] ${file}: heap of the worker's thread ${i} at ${cached} cached workflows`));
    });
  };
}
