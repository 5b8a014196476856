// Runtime settings of every process (worker, API, CLI), read from the environment.
// Pure: takes the environment as an argument so tests and docker-compose checks can call it.
import { z } from 'zod';

export const DEFAULT_TASK_QUEUE = 'perfcycle';

/** `ip:port` (IPv6 in brackets): where a metrics endpoint listens. An IP, not a host name: the
 * Temporal runtime's exporter takes a socket address. */
const bindAddress = z.string().refine((v) => {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(v);
  if (v4) return v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 65535;
  const v6 = /^\[([0-9a-fA-F:.]*:[0-9a-fA-F:.]*)\]:(\d{1,5})$/.exec(v);
  return !!v6 && Number(v6[2]) <= 65535;
}, { message: 'expected ip:port, e.g. 127.0.0.1:9464 or [::1]:9464' });

const configSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default(DEFAULT_TASK_QUEUE),
  DATA_DIR: z.string().default('data'),
  /** PostgreSQL for the application database; unset: the embedded PGlite that `npm start` serves. */
  DATABASE_URL: z.string().optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('perfcycle <perfcycle@localhost>'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  /** The API's request log (pino): its level, and a file, or `-` for standard output. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Unset: standard output, except `npm start`, which keeps DATA_DIR/logs/api.log. */
  LOG_FILE: z.string().optional(),
  // Metrics (README, Metrics). Every endpoint is off unless its variable is set.
  /** The worker: Temporal's own metrics (the SDK runtime's Prometheus exporter) at http://<this>/metrics. */
  WORKER_METRICS_ADDRESS: bindAddress.optional(),
  /** The worker: perfcycle's own metrics (reminder lateness, the process) at http://<this>/metrics. */
  WORKER_APP_METRICS_ADDRESS: bindAddress.optional(),
  /** The API: GET /metrics on the API's port, for `Authorization: Bearer <this>` only (at least 16 characters). */
  METRICS_TOKEN: z.string().min(16).optional(),
});

export type Config = z.infer<typeof configSchema>;

/** The environment variables the service reads; docker-compose is checked against this list. */
export const CONFIG_VARS = Object.keys(configSchema.shape) as (keyof Config)[];

export function parseConfig(env: Record<string, string | undefined>): Config {
  const picked = Object.fromEntries(CONFIG_VARS.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`配置错误 / invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

export function publicUrl(config: Config): string {
  return config.PUBLIC_URL ?? `http://${config.API_HOST}:${config.API_PORT}`;
}
