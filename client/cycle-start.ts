// The one way a cycle starts, for every front end (POST /api/cycles, the dashboard's start button,
// `perfcycle cycle start`). Who may start a unit's cycle is the directory's word, not the file's: an
// operator, a directory administrator, or the coordinator the directory registers for the unit. Who a
// person is (name, e-mail) is the directory's word too: the file names people by id.
import { CycleFileError } from '../domain/cycle-file.js';
import { cycleIdOf, type CycleInput } from '../domain/cycle.js';
import { clip, LIMITS } from '../domain/limits.js';
import type { DirectoryEntry } from '../store/directory.js';
import type { Store } from '../store/index.js';
import type { CycleClient } from './cycle-client.js';
import { resolveCycleData } from './cycle-file-loader.js';
import { UserError } from './errors.js';
import { isOperator } from './operator.js';

type Issue = { path: string; message: string };
type Ctx = { cycles: CycleClient };

const NOT_IN_DIRECTORY = '组织目录中没有此人 / not in the organisation directory';
const differs = (field: string) => `与组织目录不一致（${field}），邮箱等只能在组织目录中修改 / differs from the organisation directory (${field}); change it there`;

const record = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Every person id the file names, with where: its people list first (so the cycle keeps the file's
 * order), then roles, the review team and departments.
 */
function references(file: Record<string, unknown>): { id: string; path: string }[] {
  const refs: { id: string; path: string }[] = [];
  const add = (v: unknown, path: string) => { if (typeof v === 'string') refs.push({ id: v, path }); };
  list(file.people).forEach((p, i) => add(record(p)?.id, `people.${i}.id`));
  for (const [role, who] of Object.entries(record(file.roles) ?? {})) {
    if (Array.isArray(who)) who.forEach((w, i) => add(w, `roles.${role}.${i}`));
    else add(who, `roles.${role}`);
  }
  list(file.departments).forEach((d, i) => {
    add(record(d)?.owner, `departments.${i}.owner`);
    add(record(d)?.leader, `departments.${i}.leader`);
  });
  return refs;
}

/** Where a person the file (or a registered cycle) lists differs from the directory's entry. */
function mismatch(listed: Record<string, unknown>, entry: DirectoryEntry, path: string): Issue | undefined {
  const email = typeof listed.email === 'string' ? listed.email.trim().toLowerCase() : listed.email;
  if (listed.email !== undefined && email !== entry.email.toLowerCase()) return { path: `${path}.email`, message: differs('email') };
  if (listed.name !== undefined && listed.name !== entry.name) return { path: `${path}.name`, message: differs('name') };
  if (listed.lang !== undefined && listed.lang !== entry.lang) return { path: `${path}.lang`, message: differs('lang') };
  return undefined;
}

function fail(issues: Issue[], field: string): void {
  if (issues.length) throw new UserError(`${field}: ${new CycleFileError(issues).message}`);
}

/** The file with its `people` taken from the directory: every id it names, as the directory has them. */
async function withDirectoryPeople(store: Store, file: Record<string, unknown>, field: string): Promise<Record<string, unknown>> {
  const refs = references(file);
  const ids = [...new Set(refs.map((r) => r.id))];
  const found = new Map((await store.directory.people(ids)).map((p) => [p.id, p]));
  const issues: Issue[] = refs.filter((r) => !found.has(r.id)).map((r) => ({ path: r.path, message: `${NOT_IN_DIRECTORY}: "${clip(r.id)}"` }));
  list(file.people).forEach((p, i) => {
    const listed = record(p);
    const entry = listed && typeof listed.id === 'string' ? found.get(listed.id) : undefined;
    const bad = listed && entry && mismatch(listed, entry, `people.${i}`);
    if (bad) issues.push(bad);
  });
  fail(issues, field);
  return { ...file, people: ids.map((id) => found.get(id)!).map(({ id, name, email, lang }) => ({ id, name, email, lang })) };
}

/** An operator, a directory administrator, or the unit's registered coordinator. */
export async function mayStart(store: Store, actor: string, unitId: string): Promise<boolean> {
  return isOperator(actor) || (await store.directory.isAdmin(actor)) || (await store.directory.coordinatorOf(unitId)) === actor;
}

async function authorize(store: Store, actor: string, unitId: string, subject: string): Promise<void> {
  if (await mayStart(store, actor, unitId)) return;
  const reason = `${actor} 无权启动 ${unitId} 的评估周期：只有组织目录登记的该单位协调人或管理员可以启动 / ${actor} may not start cycles of ${unitId}: only the coordinator the organisation directory registers for the unit, or an administrator, may`;
  // Before the cycle exists there is no cycle audit: refusals to start are the directory's.
  await store.directory.recordRefusal({ actor: clip(actor, LIMITS.personId), action: 'start', subject: clip(subject, LIMITS.id), reason });
  throw new UserError(reason, 'refused');
}

/** Starts, then links the people: a refused or conflicting start leaves every cycle's members as they were. */
async function launch(ctx: Ctx, input: CycleInput, actor: string): Promise<string> {
  const id = await ctx.cycles.start(input, actor);
  await ctx.cycles.store.accounts.addMembers(id, input.people.map((p) => p.id));
  return id;
}

/**
 * Starts a cycle from a cycle file's data. `field` names the source in errors (`body`, a file path).
 * Errors: 403 refused (audited in the directory chain), 400 naming the file's field, 409 for a cycle
 * id that exists (running, closed, terminated, or registered with another input).
 */
export async function startCycleFile(ctx: Ctx, raw: unknown, actor: string, field = 'body'): Promise<string> {
  const file = record(raw);
  const unit = record(file?.unit)?.id;
  if (!file || typeof unit !== 'string') {
    // Without a unit there is nobody to ask: the file's own errors, which tell nothing about the directory.
    resolveCycleData(raw, field);
    throw new UserError(`${field}: unit.id: 缺少单位 / missing`);
  }
  await authorize(ctx.cycles.store, actor, unit, typeof file.year === 'number' ? cycleIdOf(unit, file.year) : unit);
  if (!(await ctx.cycles.store.directory.units()).some((u) => u.id === unit)) {
    fail([{ path: 'unit.id', message: `组织目录中没有此单位 / not a unit of the organisation directory: "${clip(unit)}"` }], field);
  }
  const input = resolveCycleData(await withDirectoryPeople(ctx.cycles.store, file, field), field);
  return launch(ctx, input, actor);
}

/** The dashboard's start button: a cycle registered earlier, its people still as the directory has them. */
export async function startRegistered(ctx: Ctx, input: CycleInput, actor: string): Promise<string> {
  const store = ctx.cycles.store;
  await authorize(store, actor, input.unit.id, input.cycleId);
  const found = new Map((await store.directory.people(input.people.map((p) => p.id))).map((p) => [p.id, p]));
  const issues = input.people.flatMap((p, i): Issue[] => {
    const entry = found.get(p.id);
    if (!entry) return [{ path: `people.${i}.id`, message: `${NOT_IN_DIRECTORY}: "${p.id}"` }];
    const bad = mismatch(p as unknown as Record<string, unknown>, entry, `people.${i}`);
    return bad ? [bad] : [];
  });
  if (issues.length) throw new UserError(`${input.cycleId}: ${new CycleFileError(issues).message}`, 'conflict');
  return launch(ctx, input, actor);
}
