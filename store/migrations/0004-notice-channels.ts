// Notice channels (issue 9): the chat robots of units and departments, each person's choice of channels
// and quiet hours, and the channel of each row of the delivery ledger (a robot message is claimed and
// recorded there like a mail, so a retry sends it once and the coordinator sees who was reached how).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // department_id '' is the unit's own robot (a primary key column cannot be null).
  await db.schema.createTable('notice_robots')
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('department_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('webhook', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('robot_id', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('notice_robots_pk', ['unit_id', 'department_id', 'channel'])
    .execute();

  await db.schema.createTable('notice_preferences')
    .addColumn('person_id', 'text', (c) => c.primaryKey().references('accounts.id'))
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('quiet_start', 'text')
    .addColumn('quiet_end', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.alterTable('mail_ledger')
    .addColumn('channel', 'text', (c) => c.notNull().defaultTo('email'))
    .addColumn('robot_id', 'text')
    .execute();
}
