// One error shape for every route: {error: {code, message, field?}}. A 5xx says only that something
// failed and gives a reference; the details go to the log, never to the caller.
import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance } from 'fastify';
import { UserError } from '../../errors.js';
import { TableRowsError } from '../http-error.js';

const STATUS: Record<UserError['code'], number> = { invalid: 400, refused: 403, 'not-found': 404, conflict: 409 };

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof UserError) {
      const field = /^([a-zA-Z.[\]0-9_-]+): /.exec(err.message)?.[1];
      const rows = err instanceof TableRowsError ? { rows: err.rows } : {};
      return reply.status(STATUS[err.code]).send({ error: { code: err.code, message: err.message, ...(field && { field }), ...rows } });
    }
    if (err.validation) {
      const first = err.validation[0];
      const field = first ? `${err.validationContext ?? ''}${first.instancePath.replace(/\//g, '.')}${first.params && 'missingProperty' in first.params ? `.${String(first.params.missingProperty)}` : ''}` : undefined;
      return reply.status(400).send({ error: { code: 'invalid', message: `${field ?? 'request'}: ${first?.message ?? err.message}`, ...(field && { field }) } });
    }
    if (err.statusCode && err.statusCode < 500) {
      const field = /^([a-zA-Z.[\]0-9_-]+): /.exec(err.message)?.[1];
      return reply.status(err.statusCode).send({ error: { code: err.code ?? 'invalid', message: err.message, ...(field && { field }) } });
    }
    const ref = randomUUID();
    request.log.error({ err, ref }, 'request failed');
    return reply.status(500).send({ error: { code: 'internal', message: `服务器内部错误，参考号 ${ref} / internal error, reference ${ref}` } });
  });
}
