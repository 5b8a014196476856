// The organisation directory (issue 8): units and departments, and the accounts as its people. An
// account is a person of the directory; a cycle only links people to itself (cycle_members).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('org_units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('coordinator_id', 'text', (c) => c.references('accounts.id'))
    .execute();

  await db.schema.createTable('org_departments')
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('org_departments_pk', ['unit_id', 'id'])
    .execute();

  await db.schema.alterTable('accounts')
    .addColumn('phone', 'text')
    .addColumn('unit_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('department_id', 'text')
    .addColumn('admin', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  // MATCH SIMPLE: a person without a department (department_id null) is not checked.
  await db.schema.alterTable('accounts')
    .addForeignKeyConstraint('accounts_department_fk', ['unit_id', 'department_id'], 'org_departments', ['unit_id', 'id'])
    .execute();
}
