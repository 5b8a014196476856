// Runtime settings of every process (worker, API, CLI), read from the environment.
// Pure: takes the environment as an argument so tests and docker-compose checks can call it.
import { z } from 'zod';

export const DEFAULT_TASK_QUEUE = 'perfcycle';

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
