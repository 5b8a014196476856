// What the worker process exports for Prometheus (README, Metrics), each endpoint off unless set:
// - WORKER_METRICS_ADDRESS: Temporal's own metrics (polls, task latencies, slots, sticky cache,
//   requests to the server…), served by the SDK runtime's exporter. The runtime is one per process
//   and made with the first connection, worker or test server: installWorkerRuntime must come first.
// - WORKER_APP_METRICS_ADDRESS: perfcycle's own, with prom-client on a small HTTP server of its own
//   (the runtime's exporter takes no custom metrics): how late each reminder mail went out against
//   its slot, and the process (memory, CPU, event loop).
// Neither asks for credentials, like Temporal's exporter: bind them to loopback or a private network.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Runtime, type Logger } from '@temporalio/worker';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Config } from '../domain/config.js';

/**
 * Seconds from a digest's slot to its sending. A notice waits the cycle's grace (digestGraceSeconds,
 * default 60 s) after its slot so that the notices of one person and minute go in one mail: a mail
 * on time lands just above 60 s, hence the fine buckets there; minutes to days are a mail held up
 * (SMTP down, worker stopped) or a cycle started after its dates.
 */
export const LATENESS_BUCKETS = [1, 5, 15, 30, 60, 61, 62, 65, 70, 90, 120, 300, 900, 3600, 21_600, 86_400, 604_800];
export const LATENESS_METRIC = 'perfcycle_reminder_lateness_seconds';

export interface WorkerMetrics {
  registry: Registry;
  /** The mail activity's dependency (activities/mail.ts): one observation per digest actually sent. */
  observeLateness(seconds: number): void;
}

/** A registry of its own (never prom-client's global one), so tests and several workers can each have theirs. */
export function createWorkerMetrics(opts: { processMetrics?: boolean } = {}): WorkerMetrics {
  const registry = new Registry();
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const lateness = new Histogram({
    name: LATENESS_METRIC,
    help: 'How late each reminder mail (digest) went out: seconds from the instant it was scheduled for (its slot) until it was sent. Includes the gathering grace (60 s by default); a retry that finds it already sent is not counted.',
    buckets: LATENESS_BUCKETS,
    registers: [registry],
  });
  return { registry, observeLateness: (seconds) => lateness.observe(seconds) };
}

/** `ip:port` (IPv6 in brackets) as node's listen() takes it. */
export function splitBindAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(i + 1)) };
}

export interface MetricsServer {
  /** Where it listens, `ip:port` (the real port when asked for port 0). */
  address: string;
  close(): Promise<void>;
}

/** GET /metrics in Prometheus' text format; anything else is a 404 (405 for another method). */
export async function serveMetrics(registry: Registry, bindAddress: string): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`),
    );
  });
  const { host, port } = splitBindAddress(bindAddress);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/**
 * Installs the process's Temporal runtime, with the Prometheus exporter on WORKER_METRICS_ADDRESS
 * when it is set (otherwise nothing is installed and the SDK makes its default runtime). Before any
 * NativeConnection, Worker or test server of the process: the SDK refuses a second runtime.
 * Durations are in milliseconds and counters carry no `_total`, the SDK's defaults (what Temporal's
 * published SDK dashboards read).
 */
export function installWorkerRuntime(config: Pick<Config, 'WORKER_METRICS_ADDRESS'>, opts: { logger?: Logger } = {}): boolean {
  if (!config.WORKER_METRICS_ADDRESS) return false;
  try {
    Runtime.install({
      ...(opts.logger && { logger: opts.logger }),
      telemetryOptions: { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } },
    });
  } catch (err) {
    throw new Error(`WORKER_METRICS_ADDRESS=${config.WORKER_METRICS_ADDRESS}: Temporal 指标无法启动 / cannot export Temporal's metrics: ${(err as Error).message}`);
  }
  return true;
}

/**
 * Everything a worker process exports: the runtime's exporter (installWorkerRuntime) and, on
 * WORKER_APP_METRICS_ADDRESS, perfcycle's own. `metrics` goes into activityDepsFor whether or not it
 * is served, so the mail activity's code is the same either way.
 */
export async function startWorkerMetrics(config: Pick<Config, 'WORKER_METRICS_ADDRESS' | 'WORKER_APP_METRICS_ADDRESS'>, opts: { logger?: Logger } = {}) {
  const temporal = installWorkerRuntime(config, opts);
  const metrics = createWorkerMetrics({ processMetrics: !!config.WORKER_APP_METRICS_ADDRESS });
  const server = config.WORKER_APP_METRICS_ADDRESS ? await serveMetrics(metrics.registry, config.WORKER_APP_METRICS_ADDRESS) : undefined;
  return {
    metrics,
    /** What to print at start: the endpoints, or that there are none. */
    describe: () => [
      temporal ? `Temporal http://${config.WORKER_METRICS_ADDRESS}/metrics` : undefined,
      server ? `perfcycle http://${server.address}/metrics` : undefined,
    ].filter(Boolean).join('   ') || 'off (WORKER_METRICS_ADDRESS, WORKER_APP_METRICS_ADDRESS)',
    close: async () => { await server?.close(); },
  };
}
