// The first schema. Migrations are never edited once released: a change is a new file.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('cycles')
    .addColumn('cycle_id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('input', 'jsonb')
    .addColumn('registered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('final_status', 'jsonb')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('review_package', 'jsonb')
    .execute();

  await db.schema.createTable('audit_entries')
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('pos', 'integer', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull().unique())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('workflow_id', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('audit_entries_pk', ['cycle_id', 'pos'])
    .execute();

  // One row per chain, locked while an entry is appended, so two writers never take the same position.
  await db.schema.createTable('audit_heads')
    .addColumn('cycle_id', 'text', (c) => c.primaryKey())
    .addColumn('pos', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('epoch', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ical_token', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('accounts_email').on('accounts').expression(sql`lower(email)`).execute();

  await db.schema.createTable('cycle_members')
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addPrimaryKeyConstraint('cycle_members_pk', ['cycle_id', 'account_id'])
    .execute();

  await db.schema.createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('epoch', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema.createTable('signin_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  await db.schema.createTable('mail_ledger')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('mail_key', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('delivered_to', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // What went wrong, so people can be told while a mail is held up (the cycle's dashboard).
    .addColumn('cycle_id', 'text')
    .addColumn('person_id', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error_kind', 'text')
    .addColumn('last_error', 'text')
    .addColumn('failed_since', 'timestamptz')
    .addColumn('last_failed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('mail_ledger_cycle').on('mail_ledger').column('cycle_id').execute();

  await db.schema.createTable('files')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Everyone who uploaded the same bytes: each may hand them in (the same template, uploaded twice).
  await db.schema.createTable('file_uploads')
    .addColumn('sha256', 'text', (c) => c.notNull().references('files.sha256'))
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('file_uploads_pk', ['sha256', 'uploaded_by'])
    .execute();

  await db.schema.createTable('file_uses')
    .addColumn('sha256', 'text', (c) => c.notNull().references('files.sha256'))
    .addColumn('cycle_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('used_by', 'text', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('file_uses_pk', ['sha256', 'cycle_id', 'subject'])
    .execute();
}
