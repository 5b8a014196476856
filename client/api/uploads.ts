// Reads a multipart form: text fields, and files checked against the type and size limits before
// they are stored by content hash (client/file-store.ts).
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { FastifyRequest } from 'fastify';
import type { FileRef } from '../../workflows/definitions.js';
import { UserError } from '../errors.js';
import type { ApiContext } from './context.js';
import { HttpError } from './http-error.js';

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
      else files.push(await ctx.files.put(part.filename, bytes));
    }
  } catch (err) {
    const code = (err as { code?: string }).code;
    const field = opts.field ?? 'files';
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new HttpError(413, 'too-large', `${field}: 文件超过 ${mb} MB / a file is larger than ${mb} MB`);
    if (code === 'FST_FILES_LIMIT') throw new HttpError(413, 'too-large', `${field}: 一次最多 20 个文件 / at most 20 files at once`);
    throw err;
  }
  return { fields, files, uploads };
}

/** A submission may name only files this server holds (uploaded first), so the hash proves the bytes. */
export async function checkStored(ctx: ApiContext, files: FileRef[]): Promise<void> {
  for (const [i, f] of files.entries()) {
    checkType(ctx, f.name);
    const size = await stat(ctx.files.pathOf(f.sha256)).then((st) => st.size, () => -1);
    if (size !== f.size) throw new UserError(`files.${i}.sha256: 服务器上没有该文件，请先上传 / no such uploaded file: upload it first (POST /api/files)`);
  }
}
