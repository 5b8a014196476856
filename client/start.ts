// `npm start`: with no TEMPORAL_ADDRESS, the embedded default — Temporal's dev server (SQLite under
// DATA_DIR), and with no DATABASE_URL the embedded PostgreSQL (PGlite under DATA_DIR, served on a
// socket for the CLI), the worker and the HTTP API in one process tree; mail to DATA_DIR/outbox unless
// SMTP_URL. Ctrl-C stops them all; started again, every running cycle carries on.
import { join } from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { parseConfig, publicUrl } from '../domain/config.js';
import { embeddedSocketDir, startEmbeddedDatabase, type EmbeddedDatabase } from '../store/embedded.js';
import { openStore } from '../store/index.js';
import { activityDepsFor, createWorker } from '../worker/create-worker.js';
import { startWorkerMetrics } from '../worker/metrics.js';
import { buildApi } from './api/app.js';
import { logOptionsFrom } from './api/plugins/logging.js';
import { connect } from './connect.js';
import { startDevServer, type DevServer } from './embedded/dev-server.js';
import { importLegacyFiles } from './legacy-import.js';

// Everything written under DATA_DIR (the outbox's sign-in links, uploads, Temporal's SQLite file) is
// for this user only.
process.umask(0o077);
const config = parseConfig(process.env);
// Before any connection: Temporal's runtime (and its Prometheus exporter, when asked for) is installed once.
const exported = await startWorkerMetrics(config);
let server: DevServer | undefined;
let database: EmbeddedDatabase | undefined;
if (!config.DATABASE_URL) database = await startEmbeddedDatabase({ dataDir: config.DATA_DIR, socketDir: embeddedSocketDir(config.DATA_DIR) });
const store = await openStore(config.DATABASE_URL ?? database!.connection);
const imported = await importLegacyFiles(store, config.DATA_DIR);
if (!process.env.TEMPORAL_ADDRESS) {
  server = await startDevServer({ dataDir: config.DATA_DIR });
  config.TEMPORAL_ADDRESS = server.address;
}
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const deps = activityDepsFor(config, store, undefined, exported.metrics);
const worker = await createWorker({ connection, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.TEMPORAL_TASK_QUEUE, deps });
const running = worker.run();
const { cycles, close } = await connect(config, { store });
const log = logOptionsFrom(config, join(config.DATA_DIR, 'logs', 'api.log'));
const api = await buildApi({ cycles, log });
await api.listen({ host: config.API_HOST, port: config.API_PORT });

console.log([
  '',
  'perfcycle 已启动 / is running',
  `  API:       ${publicUrl(config)}   (OpenAPI: ${publicUrl(config)}/openapi.json)`,
  `  Temporal:  ${config.TEMPORAL_ADDRESS}${server ? `   UI: ${server.uiUrl}   data: ${config.DATA_DIR}/temporal.db (retention ${server.retentionDays} days)` : ''}`,
  `  数据库 database: ${config.DATABASE_URL ? 'DATABASE_URL' : `${config.DATA_DIR}/pglite (embedded PostgreSQL)`}${imported.length ? `; imported ${imported.join(', ')}` : ''}`,
  `  邮件 mail: ${config.SMTP_URL ? config.SMTP_URL : `${config.DATA_DIR}/outbox/*.eml`}`,
  `  请求日志 request log: ${log.file ?? 'stdout'}`,
  `  指标 metrics: ${exported.describe()}`,
  '  Ctrl-C 停止 / to stop',
  '',
].join('\n'));

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: 正在停止 / stopping…`);
  await api.close();
  await close();
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
  await connection.close();
  deps.sender.close();
  await exported.close();
  await server?.stop();
  await store.close();
  await database?.stop();
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));
await running.catch(async (err: unknown) => {
  console.error('worker failed:', err);
  await server?.stop();
  await database?.stop();
  process.exit(1);
});
