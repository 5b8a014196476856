// The organisation directory: units, departments, and the accounts as its people. The only place a
// person's name, e-mail or phone is written (besides the one-time restore of earlier versions'
// accounts); every change is written with its audit line, in the chain `directory`, in one transaction.
import { randomUUID } from 'node:crypto';
import type { AuditAction } from '../domain/audit.js';
import { DirectoryError, directoryPersonSchema, type DirectoryData, type DirectoryIssue, type DirectoryPerson } from '../domain/directory.js';
import { DEFAULT_ZONE, toZonedIso } from '../domain/time.js';
import { newToken } from './accounts.js';
import { appendIn, lockChain, type AuditWrite } from './audit.js';
import { inTx, type Db, type Tx } from './db.js';

/** The audit chain of the directory (a cycle id is always `perfcycle-…`, so it never clashes). */
export const DIRECTORY_CHAIN = 'directory';

export interface OrgUnit { id: string; name: string; coordinator?: string }
export interface OrgDepartment { unit: string; id: string; name: string }
export interface DirectoryEntry {
  id: string; name: string; email: string; lang: 'zh-CN' | 'en';
  phone?: string; unit?: string; department?: string; admin: boolean;
}
export type PersonPatch = Partial<{ name: string; email: string; phone: string | null; lang: 'zh-CN' | 'en'; unit: string | null; department: string | null }>;

export class DirectoryNotFound extends Error {}

type AccountRow = { id: string; name: string; email: string; lang: string; phone: string | null; unit_id: string | null; department_id: string | null; admin: boolean };

const toEntry = (r: AccountRow): DirectoryEntry => ({
  id: r.id, name: r.name, email: r.email, lang: r.lang as DirectoryEntry['lang'], admin: r.admin,
  ...(r.phone && { phone: r.phone }), ...(r.unit_id && { unit: r.unit_id }), ...(r.department_id && { department: r.department_id }),
});

/** Operators are `operator:<user>` (a directory id never has ':'); everyone else who may change it is an admin. */
const roleOf = (actor: string) => (actor.includes(':') ? 'operator' : 'admin');

/** The audit lines of one transaction, written with it. */
export class Changes {
  private readonly writes: AuditWrite[] = [];
  constructor(private readonly actor: string, private readonly at: string, private readonly role = roleOf(actor)) {}
  add(action: AuditAction, subject: string, detail?: string, role = this.role) {
    this.writes.push({
      sourceKey: `directory:${randomUUID()}`,
      entry: { actor: this.actor, role, action, subject, ...(detail && { detail }), at: this.at, workflowId: DIRECTORY_CHAIN },
    });
  }
  write(tx: Tx) {
    return appendIn(tx, DIRECTORY_CHAIN, this.writes);
  }
}

const FIELDS = [['name', 'name'], ['email', 'email'], ['phone', 'phone'], ['unit_id', 'unit'], ['department_id', 'department']] as const;

/** "email: a@x → b@y; phone: - → 123": what an update changes, or '' when nothing. */
function difference(before: AccountRow, after: Omit<AccountRow, 'id' | 'lang' | 'admin'>): string {
  return FIELDS.filter(([col]) => (before[col] ?? null) !== (after[col] ?? null))
    .map(([col, label]) => `${label}: ${before[col] ?? '-'} → ${after[col] ?? '-'}`).join('; ');
}

async function account(tx: Tx, id: string): Promise<AccountRow | undefined> {
  return tx.selectFrom('accounts').select(['id', 'name', 'email', 'lang', 'phone', 'unit_id', 'department_id', 'admin']).where('id', '=', id).executeTakeFirst();
}

/** Unit and department must exist (in the database, this transaction's writes included). */
async function placeIssues(tx: Tx, path: string, unit: string | null, department: string | null): Promise<DirectoryIssue[]> {
  const at = (field: string) => (path ? `${path}.${field}` : field);
  if (!unit) return department ? [{ path: at('unit'), message: '填写科室时须填写单位 / a department needs its unit' }] : [];
  if (!(await tx.selectFrom('org_units').select('id').where('id', '=', unit).executeTakeFirst())) {
    return [{ path: at('unit'), message: `组织目录中没有单位 "${unit}" / no unit "${unit}" in the directory` }];
  }
  if (department && !(await tx.selectFrom('org_departments').select('id').where('unit_id', '=', unit).where('id', '=', department).executeTakeFirst())) {
    return [{ path: at('department'), message: `单位 ${unit} 没有科室 "${department}" / unit ${unit} has no department "${department}"` }];
  }
  return [];
}

/** Inserts or updates one person; returns whether it was added, changed (and how) or left. */
async function upsertPerson(tx: Tx, p: DirectoryPerson, changes: Changes): Promise<'added' | 'changed' | undefined> {
  const next = { name: p.name, email: p.email, phone: p.phone ?? null, unit_id: p.unit ?? null, department_id: p.department ?? null };
  const before = await account(tx, p.id);
  if (!before) {
    await tx.insertInto('accounts').values({ id: p.id, ...next, lang: p.lang ?? 'zh-CN', epoch: 0, ical_token: newToken() }).execute();
    changes.add('person-added', p.id, `${p.name} <${p.email}>`);
    return 'added';
  }
  const diff = difference(before, next);
  await tx.updateTable('accounts').set({ ...next, ...(p.lang && { lang: p.lang }) }).where('id', '=', p.id).execute();
  if (!diff) return undefined;
  changes.add('person-changed', p.id, diff);
  return 'changed';
}

async function setCoordinatorIn(tx: Tx, unitId: string, personId: string | null, changes: Changes, path: string): Promise<DirectoryIssue[]> {
  const unit = await tx.selectFrom('org_units').selectAll().where('id', '=', unitId).executeTakeFirst();
  if (!unit) return [{ path, message: `组织目录中没有单位 "${unitId}" / no unit "${unitId}" in the directory` }];
  if (personId && !(await account(tx, personId))) return [{ path, message: `组织目录中没有此人 "${personId}" / "${personId}" is not in the organisation directory` }];
  if (unit.coordinator_id === personId) return [];
  await tx.updateTable('org_units').set({ coordinator_id: personId }).where('id', '=', unitId).execute();
  changes.add('coordinator-set', unitId, `${unit.coordinator_id ?? '-'} → ${personId ?? '-'}`);
  return [];
}

/** A patched person must still be a valid directory row; errors name the field. */
function checkedPerson(p: DirectoryPerson): DirectoryPerson {
  const result = directoryPersonSchema.safeParse(p);
  if (result.success) return result.data;
  throw new DirectoryError(result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

function fail(issues: DirectoryIssue[]): void {
  if (issues.length) throw new DirectoryError(issues);
}

/** One change of the directory with its audit, in one transaction. */
export function changeDirectory<T>(db: Db, actor: string, now: Date, work: (tx: Tx, changes: Changes) => Promise<T>): Promise<T> {
  return inTx(db, async (tx) => {
    // Changes to the directory take turns (two imports naming one new id would otherwise collide).
    await lockChain(tx, DIRECTORY_CHAIN);
    const changes = new Changes(actor, toZonedIso(now, DEFAULT_ZONE));
    const result = await work(tx, changes);
    await changes.write(tx);
    return result;
  });
}

export function directoryStore(db: Db) {
  const change = <T>(actor: string, now: Date, work: (tx: Tx, changes: Changes) => Promise<T>) => changeDirectory(db, actor, now, work);
  const setAdmin = (id: string, admin: boolean, actor: string, now: Date) => change(actor, now, async (tx, changes) => {
    const before = await account(tx, id);
    if (!before) throw new DirectoryNotFound(`组织目录中没有此人 "${id}" / "${id}" is not in the organisation directory`);
    if (before.admin === admin) return;
    await tx.updateTable('accounts').set({ admin }).where('id', '=', id).execute();
    changes.add(admin ? 'admin-granted' : 'admin-revoked', id);
  });

  return {
    /** Upserts by id; a bad row anywhere changes nothing. Every person added or changed is audited. */
    importDirectory(data: DirectoryData, actor: string, now = new Date()): Promise<{ added: string[]; changed: string[] }> {
      return change(actor, now, async (tx, changes) => {
        const issues: DirectoryIssue[] = [];
        for (const u of data.units) {
          await tx.insertInto('org_units').values({ id: u.id, name: u.name }).onConflict((oc) => oc.column('id').doUpdateSet({ name: u.name })).execute();
        }
        for (const [i, d] of data.departments.entries()) {
          const missing = await placeIssues(tx, `departments.${i}`, d.unit, null);
          if (missing.length) issues.push(...missing);
          else await tx.insertInto('org_departments').values({ unit_id: d.unit, id: d.id, name: d.name }).onConflict((oc) => oc.columns(['unit_id', 'id']).doUpdateSet({ name: d.name })).execute();
        }
        const added: string[] = [];
        const changed: string[] = [];
        for (const [i, p] of data.people.entries()) {
          const missing = await placeIssues(tx, `people.${i}`, p.unit ?? null, p.department ?? null);
          if (missing.length) {
            issues.push(...missing);
            continue;
          }
          const result = await upsertPerson(tx, p, changes);
          if (result === 'added') added.push(p.id);
          if (result === 'changed') changed.push(p.id);
        }
        for (const [i, u] of data.units.entries()) {
          if (u.coordinator) issues.push(...await setCoordinatorIn(tx, u.id, u.coordinator, changes, `units.${i}.coordinator`));
        }
        fail(issues);
        changes.add('directory-imported', DIRECTORY_CHAIN, `units=${data.units.length} departments=${data.departments.length} people=${data.people.length} added=${added.length} changed=${changed.length}`);
        return { added, changed };
      });
    },

    /** The one way to change a single person's name, e-mail, phone or place (audited). */
    updatePerson(id: string, patch: PersonPatch, actor: string, now = new Date()): Promise<DirectoryEntry> {
      return change(actor, now, async (tx, changes) => {
        const before = await account(tx, id);
        if (!before) throw new DirectoryNotFound(`组织目录中没有此人 "${id}" / "${id}" is not in the organisation directory`);
        const unit = patch.unit === undefined ? before.unit_id : patch.unit;
        // Moving to another unit leaves the old unit's department behind.
        const department = patch.department === undefined ? (unit === before.unit_id ? before.department_id : null) : patch.department;
        fail(await placeIssues(tx, '', unit, department));
        const phone = patch.phone === undefined ? before.phone : patch.phone;
        const p = checkedPerson({
          id, name: patch.name ?? before.name, email: patch.email ?? before.email, lang: patch.lang ?? (before.lang as DirectoryEntry['lang']),
          ...(phone && { phone }), ...(unit && { unit }), ...(department && { department }),
        });
        await upsertPerson(tx, p, changes);
        return toEntry((await account(tx, id))!);
      });
    },

    grantAdmin: (id: string, actor: string, now = new Date()) => setAdmin(id, true, actor, now),
    revokeAdmin: (id: string, actor: string, now = new Date()) => setAdmin(id, false, actor, now),

    /** `personId` null: the unit has no coordinator (only an admin or an operator may start its cycles). */
    setCoordinator(unitId: string, personId: string | null, actor: string, now = new Date()): Promise<void> {
      return change(actor, now, async (tx, changes) => fail(await setCoordinatorIn(tx, unitId, personId, changes, 'coordinator')));
    },

    /** A refusal about the directory (reading it, changing it, starting a cycle) goes to its chain. */
    recordRefusal(r: { actor: string; action: string; subject: string; reason: string }, now = new Date()): Promise<void> {
      return change(r.actor, now, async (_tx, changes) => changes.add('refused', r.subject, `${r.action}: ${r.reason}`, 'none'));
    },

    person: (id: string) => inTx(db, async (tx) => {
      const r = await account(tx, id);
      return r && toEntry(r);
    }),
    people: (ids?: string[]) => inTx(db, async (tx) => {
      if (ids?.length === 0) return [];
      let q = tx.selectFrom('accounts').select(['id', 'name', 'email', 'lang', 'phone', 'unit_id', 'department_id', 'admin']);
      if (ids) q = q.where('id', 'in', ids);
      return (await q.orderBy('id').execute()).map(toEntry);
    }),
    units: () => inTx(db, async (tx) => (await tx.selectFrom('org_units').selectAll().orderBy('id').execute())
      .map((u): OrgUnit => ({ id: u.id, name: u.name, ...(u.coordinator_id && { coordinator: u.coordinator_id }) }))),
    departments: () => inTx(db, async (tx) => (await tx.selectFrom('org_departments').selectAll().orderBy('unit_id').orderBy('id').execute())
      .map((d): OrgDepartment => ({ unit: d.unit_id, id: d.id, name: d.name }))),
    isAdmin: (id: string) => inTx(db, async (tx) => !!(await account(tx, id))?.admin),
    coordinatorOf: (unitId: string) => inTx(db, async (tx) => (await tx.selectFrom('org_units').select('coordinator_id').where('id', '=', unitId).executeTakeFirst())?.coordinator_id ?? undefined),
  };
}

export type DirectoryStore = ReturnType<typeof directoryStore>;
