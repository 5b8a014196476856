// Sends a file that was handed in with a deliverable or as a target's evidence, by its hash, as an
// attachment: never shown inline, so an uploaded HTML or SVG cannot run in the portal's origin.
import { extname } from 'node:path';
import type { FastifyReply } from 'fastify';
import type { DeliverableStatus } from '../cycle-client.js';
import type { FileRef } from '../../workflows/definitions.js';
import { UserError } from '../errors.js';
import type { ApiContext } from './context.js';

const TYPES: Record<string, string> = {
  pdf: 'application/pdf', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  txt: 'text/plain; charset=utf-8', md: 'text/markdown; charset=utf-8', csv: 'text/csv; charset=utf-8',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp',
  mp3: 'audio/mpeg', mp4: 'video/mp4', wav: 'audio/wav', zip: 'application/zip',
};

/** A file of a deliverable's submissions (the caller may see `d`: checked before). */
export function sendSubmittedFile(ctx: ApiContext, reply: FastifyReply, cycleId: string, d: DeliverableStatus, sha256: string) {
  return sendStoredFile(ctx, reply, { cycleId, on: d.id, handedIn: d.submissions.flatMap((s) => s.files.map((file) => ({ file, by: s.by }))) }, sha256);
}

/**
 * One of the files handed in on `on` (a deliverable or a target of `cycleId`, which the caller may see),
 * by its hash. The item's own record must list it, and the database must tie it to that item
 * (store/files.ts servable): a hash copied into one's own item does not reach another person's file.
 */
export async function sendStoredFile(ctx: ApiContext, reply: FastifyReply, item: { cycleId: string; on: string; handedIn: { file: FileRef; by: string }[] }, sha256: string) {
  const { cycleId, on } = item;
  const listed = item.handedIn.filter((h) => h.file.sha256 === sha256);
  const ref = listed[0]?.file;
  const noSuch = () => new UserError(`sha256: ${on} 没有该附件 / no such attachment on ${on}`, 'not-found');
  if (!ref) throw noSuch();
  // Not found rather than refused: to the caller the file is simply not one of this item's.
  if (!await ctx.cycles.store.files.servable(sha256, cycleId, on, listed.map((h) => h.by))) throw noSuch();
  const bytes = await ctx.files.read(sha256);
  const ascii = ref.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .type(TYPES[extname(ref.name).slice(1).toLowerCase()] ?? 'application/octet-stream')
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(ref.name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=0')
    .send(bytes);
}
