// Request bodies are checked as sent: Fastify's default validator coerces types (a mark of `null` or
// `false` would be stored as 0, `true` as 1), which is right for query strings and path parameters,
// where everything arrives as text, and wrong for a JSON body, where a type is part of what was said.
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// Fastify's defaults (@fastify/ajv-compiler), with strictTypes off as app.ts asks of it.
const common: Options = { useDefaults: true, removeAdditional: true, allErrors: false, allowUnionTypes: true, strictTypes: false, addUsedSchema: false };

export function registerBodyValidation(app: FastifyInstance): void {
  const bodies = addFormats(new Ajv({ ...common, coerceTypes: false }));
  const text = addFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodies : text).compile(schema));
}
