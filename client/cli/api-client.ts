// The CLI as a client of the HTTP API (Node's fetch): a person's commands go to the server with the
// bearer token of `perfcycle login`, and the server says who that is. The CLI never sends an actor.
// A bearer token needs no CSRF token (client/api/plugins/csrf.ts): no browser adds it by itself.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DeliverableSnapshot, FileRef } from '../../workflows/definitions.js';
import { UserError } from '../errors.js';
import type { CycleNames } from '../api/routes/people.js';
import { apiOf, forgetSession, pickIdentity, readSessions, sessionEnded } from './credentials.js';

/** An answer of the API other than 2xx, with the server's own message. */
export class ApiError extends UserError {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export class Api {
  constructor(readonly base: string, private readonly token?: string) {}

  json<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    return this.send<T>(method, path, body === undefined ? undefined : { body: JSON.stringify(body), type: 'application/json' });
  }

  /** Multipart: fetch sets the content type with its boundary. */
  form<T>(path: string, form: FormData): Promise<T> {
    return this.send<T>('POST', path, { body: form });
  }

  private async send<T>(method: string, path: string, content?: { body: string | FormData; type?: string }): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (content?.type) headers['content-type'] = content.type;
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers, ...(content && { body: content.body }) });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new UserError(`无法连接 API ${this.base}，请确认服务在运行，或用 --api / PERFCYCLE_API 指明地址 / cannot reach the API at ${this.base}: is it running? (set --api or PERFCYCLE_API) (${cause?.code ?? cause?.message ?? (err as Error).message})`);
    }
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (res.ok) return data as T;
    const message = (data as { error?: { message?: string } } | undefined)?.error?.message;
    throw new ApiError(res.status, message ? await this.named(path, message) : `HTTP ${res.status} ${res.statusText} (${method} ${path})`);
  }

  /** A refusal or conflict of a cycle names people by id: the CLI says their names (when the caller may read them). */
  private async named(path: string, message: string): Promise<string> {
    const cycleId = /^\/api\/cycles\/([^/?]+)\//.exec(path)?.[1];
    if (!cycleId || path.endsWith('/names')) return message;
    const names = await this.json<CycleNames>('GET', `/api/cycles/${cycleId}/names`).catch(() => undefined);
    if (!names) return message;
    // Imported on this error path only: the audit's words bring most of the domain (and zod) with them.
    const { namedIn } = await import('../portal/audit-text.js');
    return namedIn('zh', message, {
      people: new Map(names.people.map((p) => [p.id, p.name])), departments: new Map(names.departments.map((d) => [d.id, d.name])),
      items: new Map(), targets: new Map(), cycleId: decodeURIComponent(cycleId), unit: `${names.unit.name} ${names.year}`, zone: names.timeZone,
    });
  }
}

/** A path segment as given: ids with odd characters reach the server's own checks, not another route. */
export const seg = (s: string): string => encodeURIComponent(s);

/** Runs `run` as the signed-in person `as` names (or the only one); a 401 forgets the ended session. */
export async function asPerson<T>(as: string | undefined, run: (api: Api) => Promise<T>): Promise<T> {
  const sessions = await readSessions();
  const base = apiOf(sessions);
  const { id, session } = pickIdentity(sessions, base, as);
  try {
    return await run(new Api(base, session.token));
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    await forgetSession(base, id);
    throw new UserError(sessionEnded(id));
  }
}

async function fileBlob(path: string): Promise<Blob> {
  try {
    return new Blob([await readFile(path)]);
  } catch (err) {
    throw new UserError(`--file: 无法读取 / cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** A multipart form of text fields (empty ones left out) and files under `field`, named as on disk. */
export async function formOf(fields: Record<string, string | undefined>, field: string, paths: readonly string[]): Promise<FormData> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.append(k, v);
  for (const p of paths) form.append(field, await fileBlob(p), basename(p));
  return form;
}

/** Files go in first (POST /api/files); a submission then names them by hash. */
export async function uploadFiles(api: Api, paths: readonly string[]): Promise<FileRef[]> {
  if (paths.length === 0) return [];
  return api.form<FileRef[]>('/api/files', await formOf({}, 'files', paths));
}

/** submit, approve, reject, urge or extend: the server answers with the item's snapshot, as the workflow gives it. */
export function deliverableAction(api: Api, cycleId: string, deliverableId: string, verb: 'submit' | 'approve' | 'reject' | 'urge' | 'extend', body: object): Promise<DeliverableSnapshot> {
  return api.json<DeliverableSnapshot>('POST', `/api/cycles/${seg(cycleId)}/deliverables/${seg(deliverableId)}/${verb}`, body);
}
