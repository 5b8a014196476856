// 委托 / 转办 (issue 11): an audit row says whom its actor acted for. Null in every row written before,
// whose hashes stay as they were (store/audit-chain.ts hashes the column only when it is set).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_entries').addColumn('on_behalf_of', 'text').execute();
}
