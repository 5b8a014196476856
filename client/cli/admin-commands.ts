// `perfcycle admin …`: the organisation directory, kept by whoever runs the server. Operator mode: the
// database directly (DATABASE_URL, or the socket of `npm start`), no sign-in, every change recorded
// in the directory's audit as `operator:<os user>`. No Temporal is needed.
import { parseConfig } from '../../domain/config.js';
import type { Store } from '../../store/index.js';
import type { PersonPatch } from '../../store/directory.js';
import { directoryUserError, importDirectorySheet, readDirectoryFile } from '../directory-file.js';
import { UserError } from '../errors.js';
import { operatorActor } from '../operator.js';
import { portalSettings } from '../portal/settings.js';
import { io, json, out, withStore } from './io.js';
import { textTable } from './table.js';

/** The database alone (io.ts withStore: opened by the command that needs it), the directory's errors in words. */
function withDirectory<T>(work: (store: Store) => Promise<T>): Promise<T> {
  return withStore(async (store) => {
    try {
      return await work(store);
    } catch (err) {
      throw directoryUserError(err);
    }
  });
}

async function listPeople(store: Store, asJson: boolean): Promise<void> {
  const [people, units, departments] = await Promise.all([store.directory.people(), store.directory.units(), store.directory.departments()]);
  if (asJson) return json({ units, departments, people });
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const deptName = new Map(departments.map((d) => [`${d.unit}/${d.id}`, d.name]));
  const coordinates = new Map(units.filter((u) => u.coordinator).map((u) => [u.coordinator!, u.id]));
  out(textTable(['id', '姓名 name', '邮箱 e-mail', '电话 phone', '单位 unit', '科室 department', '角色 role'], people.map((p) => [
    p.id, p.name, p.email, p.phone ?? '', p.unit ? unitName.get(p.unit) ?? p.unit : '', p.department ? deptName.get(`${p.unit}/${p.department}`) ?? p.department : '',
    [p.admin ? '管理员 admin' : '', coordinates.has(p.id) ? `协调人 coordinator (${coordinates.get(p.id)})` : ''].filter(Boolean).join(', '),
  ])));
}

// The actions (their command lines: register/admin.ts).

export async function importDirectory(file: string): Promise<void> {
  const sheet = await readDirectoryFile(file);
  const { added, changed } = await withDirectory((store) => importDirectorySheet(store, sheet, operatorActor(), file));
  out(`组织目录 directory: 新增 added ${added.length}, 变更 changed ${changed.length}${changed.length ? ` (${changed.join(', ')})` : ''}`);
}

export function people(opts: { json?: boolean }): Promise<void> {
  return withDirectory((store) => listPeople(store, !!opts.json));
}

export async function person(id: string, opts: { name?: string; email?: string; phone?: string }): Promise<void> {
  const patch: PersonPatch = { ...(opts.name !== undefined && { name: opts.name }), ...(opts.email !== undefined && { email: opts.email }), ...(opts.phone !== undefined && { phone: opts.phone || null }) };
  if (Object.keys(patch).length === 0) throw new UserError('请至少给出 --name、--email、--phone 之一 / give --name, --email or --phone');
  const p = await withDirectory((store) => store.directory.updatePerson(id, patch, operatorActor()));
  out(`${p.id}\t${p.name}\t${p.email}\t${p.phone ?? ''}`);
}

export async function grant(id: string): Promise<void> {
  await withDirectory((store) => store.directory.grantAdmin(id, operatorActor()));
  out(`${id}: 管理员 / admin`);
}

export async function revoke(id: string): Promise<void> {
  await withDirectory((store) => store.directory.revokeAdmin(id, operatorActor()));
  out(`${id}: 不再是管理员 / no longer admin`);
}

export async function coordinator(unit: string, personId: string): Promise<void> {
  await withDirectory((store) => store.directory.setCoordinator(unit, personId, operatorActor()));
  out(`${unit}: 协调人 coordinator ${personId}`);
}

export async function link(id: string): Promise<void> {
  const settings = portalSettings(io().env, parseConfig(io().env));
  const token = await withDirectory(async (store) => {
    if (!(await store.accounts.get(id))) throw new UserError(`组织目录中没有此人 / not in the organisation directory: ${id}`, 'not-found');
    return store.accounts.issueLink(id, settings.linkMs);
  });
  out(`${settings.publicUrl}/auth/link/${token}`);
}
