// Sends a file that was handed in with a deliverable, by its hash, as an attachment: never shown
// inline, so an uploaded HTML or SVG cannot run in the portal's origin.
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

export function sendSubmittedFile(ctx: ApiContext, reply: FastifyReply, d: DeliverableStatus, sha256: string) {
  return sendStoredFile(ctx, reply, d.submissions.flatMap((s) => s.files), sha256, d.id);
}

/** One of `refs` (the files recorded for `on`, a deliverable or a target), by its hash. */
export async function sendStoredFile(ctx: ApiContext, reply: FastifyReply, refs: FileRef[], sha256: string, on: string) {
  const ref = refs.find((f) => f.sha256 === sha256);
  if (!ref) throw new UserError(`sha256: ${on} 没有该附件 / no such attachment on ${on}`, 'not-found');
  const bytes = await ctx.files.read(sha256);
  const ascii = ref.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .type(TYPES[extname(ref.name).slice(1).toLowerCase()] ?? 'application/octet-stream')
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(ref.name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, max-age=0')
    .send(bytes);
}
