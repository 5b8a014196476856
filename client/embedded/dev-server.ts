// The embedded Temporal: `temporal server start-dev` with its SQLite file under DATA_DIR, so every
// running cycle survives a restart of `npm start`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { temporalCliPath } from '../../worker/temporal-binaries.js';

export interface DevServer { address: string; uiUrl: string; retentionDays: number; process: ChildProcess; stop(): Promise<void> }

/**
 * How long the embedded server keeps a closed workflow. Nothing the product shows depends on it (the
 * audit and a closed cycle's status live in the application database); it is long enough to look at a
 * whole year's histories in the Temporal UI. The dev server's own default is 24 hours.
 */
export const EMBEDDED_RETENTION_DAYS = 400;

export function devServerArgs(opts: { dataDir: string; port: number; uiPort: number; namespace: string }): string[] {
  return [
    'server', 'start-dev',
    '--db-filename', join(opts.dataDir, 'temporal.db'),
    '--ip', '127.0.0.1', '--port', String(opts.port), '--ui-port', String(opts.uiPort),
    '--namespace', opts.namespace, '--log-level', 'warn',
    // Updates must be on (the SDK's own test server start does the same).
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true',
    '--dynamic-config-value', 'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
  ];
}

export async function startDevServer(opts: { dataDir: string; port?: number; uiPort?: number; namespace?: string; retentionDays?: number }): Promise<DevServer> {
  const port = opts.port ?? 7233;
  const uiPort = opts.uiPort ?? 8233;
  mkdirSync(opts.dataDir, { recursive: true });
  const child = spawn(temporalCliPath(), devServerArgs({ dataDir: opts.dataDir, port, uiPort, namespace: opts.namespace ?? 'default' }), {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const early = await Promise.race([exited, new Promise<'wait'>((r) => setTimeout(() => r('wait'), 250))]);
    if (early !== 'wait') throw new Error(`Temporal dev server exited (code ${early}); is port ${port} free?`);
    try {
      const c = await Connection.connect({ address, connectTimeout: '1 second' });
      try {
        await c.workflowService.updateNamespace({
          namespace: opts.namespace ?? 'default',
          config: { workflowExecutionRetentionTtl: msToTs(`${opts.retentionDays ?? EMBEDDED_RETENTION_DAYS} days`) },
        });
      } finally {
        await c.close();
      }
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`Temporal dev server did not answer on ${address} within 30 s`);
    }
  }
  return {
    address, uiUrl: `http://127.0.0.1:${uiPort}`, retentionDays: opts.retentionDays ?? EMBEDDED_RETENTION_DAYS, process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
