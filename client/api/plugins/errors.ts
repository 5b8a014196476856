// One error shape for every route: {error: {code, message, field?}}. A 5xx says only that something
// failed and gives a reference; the details go to the log, never to the caller.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clip, tooLongMessage, tooManyMessage } from '../../../domain/limits.js';
import { BUSY_RETRY_AFTER_SECONDS, HTTP_STATUS, UserError } from '../../errors.js';
import { TableRowsError } from '../http-error.js';
import { StoreBusy } from '../../../store/index.js';

/** A day's shape (pattern) or existence (format "date", which refuses 2019-02-31) failed. */
function isDateCheck(v: { keyword: string; params?: Record<string, unknown> } | undefined): boolean {
  return (v?.keyword === 'format' && v.params?.format === 'date') || (v?.keyword === 'pattern' && v.params?.pattern === '^\\d{4}-\\d{2}-\\d{2}$');
}

interface ParamRoute { methods: string[]; parts: string[]; maxLength: Record<string, number | undefined> }
const paramRoutes = new WeakMap<FastifyInstance, ParamRoute[]>();

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof UserError) {
      const field = /^([a-zA-Z.[\]0-9_-]+): /.exec(err.message)?.[1];
      const rows = err instanceof TableRowsError ? { rows: err.rows } : {};
      // Busy (too many actions on one item at once, for longer than the client waits): try again shortly.
      if (err.code === 'busy') void reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
      return reply.status(HTTP_STATUS[err.code]).send({ error: { code: err.code, message: err.message, ...(field && { field }), ...rows } });
    }
    if (err instanceof StoreBusy) {
      request.log.warn({ err }, 'database busy');
      return reply.status(503).header('retry-after', String(BUSY_RETRY_AFTER_SECONDS))
        .send({ error: { code: 'busy', message: `系统繁忙，请稍后重试 / busy: please try again in ${BUSY_RETRY_AFTER_SECONDS} s` } });
    }
    if (err.validation) {
      const first = err.validation[0];
      const field = first ? `${err.validationContext ?? ''}${first.instancePath.replace(/\//g, '.')}${first.params && 'missingProperty' in first.params ? `.${String(first.params.missingProperty)}` : ''}` : undefined;
      // Too long or too many says so in both languages, like the workflow's own check (domain/limits.ts).
      const limit = Number(first?.params?.limit);
      const message = first?.keyword === 'maxLength' ? tooLongMessage(field ?? 'request', limit)
        : first?.keyword === 'maxItems' ? tooManyMessage(field ?? 'request', limit)
          : isDateCheck(first) ? `${field ?? 'request'}: 不是有效的日期 YYYY-MM-DD / not a valid date YYYY-MM-DD`
            : `${field ?? 'request'}: ${first?.message ?? err.message}`;
      return reply.status(400).send({ error: { code: 'invalid', message, ...(field && { field }) } });
    }
    if (err.statusCode && err.statusCode < 500) {
      const field = /^([a-zA-Z.[\]0-9_-]+): /.exec(err.message)?.[1];
      return reply.status(err.statusCode).send({ error: { code: err.code ?? 'invalid', message: err.message, ...(field && { field }) } });
    }
    // The request's id (plugins/logging.ts): the log's lines of this request carry it too.
    const ref = request.id;
    request.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: `服务器内部错误，参考号 ${ref} / internal error, reference ${ref}` } });
  });

  // Kept to name the parameter of a URL the router refuses as too long (frameworkErrors below).
  const routes: ParamRoute[] = [];
  paramRoutes.set(app, routes);
  app.addHook('onRoute', (r) => {
    if (!r.url.includes(':')) return;
    const props = (r.schema?.params as { properties?: Record<string, { maxLength?: number }> } | undefined)?.properties ?? {};
    routes.push({
      methods: [r.method].flat(), parts: r.url.split('/'),
      maxLength: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, v.maxLength])),
    });
  });
}

/** The path parameter of a known route that is longer than the router matches, e.g. params.targetId. */
function longParam(request: FastifyRequest, maxParam: number): { field: string; max: number } | undefined {
  const parts = (request.raw.url ?? '').split('?')[0]!.split('/');
  for (const r of paramRoutes.get(request.server) ?? []) {
    if (!r.methods.includes(request.raw.method ?? '') || r.parts.length !== parts.length) continue;
    if (!r.parts.every((p, i) => p.startsWith(':') || p === parts[i])) continue;
    const at = r.parts.findIndex((p, i) => p.startsWith(':') && parts[i]!.length > maxParam);
    const name = /^:([A-Za-z0-9_]+)/.exec(r.parts[at] ?? '')?.[1];
    if (name) return { field: `params.${name}`, max: r.maxLength[name] ?? maxParam };
  }
  return undefined;
}

/**
 * Fastify's `frameworkErrors` option (app.ts): errors raised before a route is found. By default a path
 * parameter longer than the router's maxParamLength (100) is a 414 whose message echoes the whole URL,
 * 1 MB of it if that is what was sent; here it is a 400 naming the parameter, like the schema's own check.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const maxParam = request.server.initialConfig.maxParamLength ?? 100;
    const p = longParam(request, maxParam) ?? { field: 'url', max: maxParam };
    return reply.status(400).send({ error: { code: 'invalid', message: tooLongMessage(p.field, p.max), field: p.field } });
  }
  if (err.code === 'FST_ERR_BAD_URL') {
    return reply.status(400).send({ error: { code: 'invalid', message: 'url: 网址无效 / not a valid URL', field: 'url' } });
  }
  return reply.status(err.statusCode ?? 400).send({ error: { code: 'invalid', message: clip(err.message, 200) } });
}
