// The organisation directory over HTTP (JSON API and the /admin page): its administrators only. A
// refusal is written to the directory's audit chain before the 403 goes back, and the trusted header
// of local scripts gets no way round it: an operator uses `perfcycle admin` on the server instead.
import type { FastifyRequest } from 'fastify';
import { parseDirectory } from '../../domain/directory.js';
import { clip, LIMITS } from '../../domain/limits.js';
import type { PersonPatch } from '../../store/directory.js';
import { directoryUserError, importDirectorySheet, readDirectoryFile } from '../directory-file.js';
import { UserError } from '../errors.js';
import type { ApiContext } from './context.js';
import { actorOf } from './plugins/actor.js';
import { withTempCopy } from './tables.js';
import type { Upload } from './uploads.js';

export async function requireAdmin(ctx: ApiContext, request: FastifyRequest, action: string, subject = 'directory'): Promise<string> {
  const actor = actorOf(request);
  const store = ctx.cycles.store;
  if (await store.directory.isAdmin(actor)) return actor;
  const reason = `${actor} 不是组织目录管理员 / ${actor} is not an administrator of the organisation directory`;
  await store.directory.recordRefusal({ actor: clip(actor, LIMITS.personId), action, subject: clip(subject, LIMITS.id), reason }, ctx.now());
  throw new UserError(reason, 'refused');
}

/** Units (with their coordinator), departments and people, as the page and GET /api/directory show them. */
export async function directoryView(ctx: ApiContext) {
  const d = ctx.cycles.store.directory;
  const [units, departments, people] = await Promise.all([d.units(), d.departments(), d.people()]);
  return { units, departments, people };
}

/** An uploaded file (JSON, CSV, XLSX), read like `perfcycle admin import`; errors name `file` and the row. */
export async function importUpload(ctx: ApiContext, upload: Upload, actor: string) {
  try {
    return await withTempCopy(upload, async (path) => importDirectorySheet(ctx.cycles.store, await readDirectoryFile(path), actor, path));
  } catch (err) {
    if (err instanceof UserError) throw new UserError(`file: ${err.message}`, err.code);
    throw err;
  }
}

export async function importBody(ctx: ApiContext, body: unknown, actor: string) {
  let data;
  try {
    data = parseDirectory(body);
  } catch (err) {
    throw directoryUserError(err, 'body');
  }
  return importDirectorySheet(ctx.cycles.store, { data, where: (p) => p }, actor, 'body');
}

export async function editPerson(ctx: ApiContext, id: string, patch: PersonPatch, actor: string, field = 'body') {
  try {
    return await ctx.cycles.store.directory.updatePerson(id, patch, actor, ctx.now());
  } catch (err) {
    throw directoryUserError(err, field);
  }
}
