// The request log: pino through Fastify, one JSON line per request and per failure. Every request gets
// a random id that a 5xx answer gives as its reference (plugins/errors.ts), so a person reading out
// "参考号 …" leads the operator to the stack in the log. Secrets in paths (sign-in links, calendar
// tokens) are masked; headers (cookies, bearer tokens) are never logged.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { LogController, type FastifyServerOptions } from 'fastify';
import type { Config } from '../../../domain/config.js';

export interface LogOptions {
  level?: string;
  /** A file to append to; absent: standard output. */
  file?: string;
  /** Tests read the lines from here. */
  stream?: Writable;
}

/** `/auth/link/<token>` and `/ical/<token>.ics` would put a live credential in the log. */
export function maskedUrl(url: string): string {
  return url
    .replace(/(\/auth\/link\/)[^/?#]+/g, '$1***')
    .replace(/(\/ical\/)[^/?#]+?(\.ics)?(?=$|[?#])/g, '$1***$2')
    .replace(/([?&](?:token|_csrf)=)[^&#]*/g, '$1***');
}

/** The log settings of a process: the level and file from the environment, `-` meaning standard output. */
export function logOptionsFrom(config: Config, defaultFile?: string): LogOptions {
  const file = config.LOG_FILE ?? defaultFile;
  return { level: config.LOG_LEVEL, ...(file && file !== '-' && { file }) };
}

export function fastifyLogging(opts: LogOptions | false | undefined): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'logController'> {
  const ids = { genReqId: () => randomUUID(), logController: new LogController({ requestIdLogLabel: 'ref' }) };
  if (!opts) return { ...ids, logger: false };
  if (opts.file) mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
  return {
    ...ids,
    logger: {
      level: opts.level ?? 'info',
      ...(opts.file && { file: opts.file }),
      ...(opts.stream && { stream: opts.stream }),
      serializers: {
        req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: maskedUrl(req.url), remoteAddress: req.ip }),
      },
    },
  };
}
