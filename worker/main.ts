// The worker process on its own (production: docker-compose's `worker` service).
import { NativeConnection } from '@temporalio/worker';
import { parseConfig } from '../domain/config.js';
import { connectionFor, openStore } from '../store/index.js';
import { activityDepsFor, createWorker } from './create-worker.js';
import { startWorkerMetrics } from './metrics.js';

const config = parseConfig(process.env);
// First: the Temporal runtime (and its metrics exporter) must exist before the connection.
const exported = await startWorkerMetrics(config);
const store = await openStore(connectionFor(config));
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const worker = await createWorker({
  connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, deps: activityDepsFor(config, store, undefined, exported.metrics),
});
console.log(`perfcycle worker: ${config.TEMPORAL_ADDRESS} namespace=${config.TEMPORAL_NAMESPACE} queue=${config.TEMPORAL_TASK_QUEUE} metrics: ${exported.describe()}`);
// Worker.run() shuts down gracefully on SIGINT/SIGTERM.
await worker.run();
await connection.close();
await store.close();
await exported.close();
