// Reads a multipart form: text fields, and files checked against the type and size limits before
// they are stored by content hash with their uploader (client/file-store.ts). Files named by hash are
// checked against those records.
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { FileRef } from '../../workflows/definitions.js';
import { UserError } from '../errors.js';
import { fileStore, type UploadStore } from '../file-store.js';
import type { ApiContext } from './context.js';
import { refuse } from './guard.js';
import { HttpError } from './http-error.js';
import { actorOf } from './plugins/actor.js';

/** The file store that records who uploads (the context's own `files` only reads). */
export const uploadStore = (ctx: ApiContext): UploadStore => fileStore(ctx.settings.dataDir, ctx.cycles.store);

export function checkType(ctx: ApiContext, name: string, types: readonly string[] = ctx.settings.uploadTypes, field = 'files'): void {
  const ext = extname(name).slice(1).toLowerCase();
  if (!types.includes(ext)) {
    throw new UserError(`${field}: 不允许的文件类型 / file type not allowed: ${name} (${types.join(', ')})`);
  }
}

export interface Upload { field: string; name: string; bytes: Buffer }

/**
 * Text fields and files. By default files must be of PORTAL_UPLOAD_TYPES and are stored; with `types`
 * (e.g. tables: csv, xlsx, json) they are checked against those and handed back unstored in `uploads`.
 */
export async function readMultipart(ctx: ApiContext, request: FastifyRequest, opts: { types?: readonly string[]; field?: string } = {}): Promise<{ fields: Record<string, string>; files: FileRef[]; uploads: Upload[] }> {
  if (!request.isMultipart()) throw new UserError('body: 应为 multipart/form-data / expected multipart/form-data');
  const fields: Record<string, string> = {};
  const files: FileRef[] = [];
  const uploads: Upload[] = [];
  const mb = Math.round(ctx.settings.maxUploadBytes / 1024 / 1024 * 10) / 10;
  const store = uploadStore(ctx);
  // Errors while storing are the server's (disk, database): only those while parsing are the body's.
  let storing = false;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') fields[part.fieldname] = part.value;
        continue;
      }
      // A file input left empty still sends a part with no name and no bytes.
      if (!part.filename) {
        await part.toBuffer();
        continue;
      }
      checkType(ctx, part.filename, opts.types, opts.field);
      const bytes = await part.toBuffer();
      if (opts.types) uploads.push({ field: part.fieldname, name: part.filename, bytes });
      else {
        storing = true;
        files.push(await store.put(part.filename, bytes, actorOf(request)));
        storing = false;
      }
    }
  } catch (err) {
    if (storing || err instanceof UserError) throw err;
    throw multipartError(request, err, opts.field ?? 'files', mb);
  }
  return { fields, files, uploads };
}

/**
 * What went wrong reading the body, as the caller's error. The limits of @fastify/multipart carry
 * their code and a 4xx status; busboy's parse errors (a boundary that is not the one in the header, a
 * body cut short, a malformed part header) carry neither and used to answer 500: they are a 400 on
 * `body`, without busboy's words.
 */
function multipartError(request: FastifyRequest, err: unknown, field: string, mb: number): Error {
  const e = err as { code?: string; statusCode?: number };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE') return new HttpError(413, 'too-large', `${field}: 文件超过 ${mb} MB / a file is larger than ${mb} MB`);
  if (e.code === 'FST_FILES_LIMIT') return new HttpError(413, 'too-large', `${field}: 一次最多 20 个文件 / at most 20 files at once`);
  if (err instanceof HttpError || (e.statusCode && e.statusCode < 500)) return err as Error;
  request.log.info({ err }, 'malformed multipart body');
  return new UserError('body: 不是有效的 multipart/form-data 请求体（分隔符与请求头不符，或内容不完整）/ not a valid multipart/form-data body (its boundary is not the one in the header, or it is cut short)');
}

/**
 * Files named by hash (POST /api/files first, then the submission) must be on this server, so the hash
 * proves the bytes, and uploaded by the one who names them, or handed in by them on the same item
 * before: otherwise a hash seen anywhere would hand over another person's file. The refusal is audited.
 */
export async function checkStored(ctx: ApiContext, request: FastifyRequest, on: { actor: string; cycleId: string; subject: string; action: string }, files: FileRef[]): Promise<void> {
  for (const [i, f] of files.entries()) {
    checkType(ctx, f.name);
    const field = `files.${i}.sha256`;
    const size = await stat(ctx.files.pathOf(f.sha256)).then((st) => st.size, () => -1);
    const named = size === f.size ? await ctx.cycles.store.files.mayName(f, on.actor, on.cycleId, on.subject) : 'unknown';
    if (named === 'unknown') throw new UserError(`${field}: 服务器上没有该文件，请先上传 / no such uploaded file: upload it first (POST /api/files)`);
    if (named === 'not-theirs') {
      await refuse(ctx, request, on.cycleId, {
        actor: on.actor, action: on.action, subject: on.subject,
        reason: `${field}: 只能提交本人上传的文件，请先上传 / only files you uploaded may be named: upload it yourself first (POST /api/files)`,
      });
    }
  }
}
