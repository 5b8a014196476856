// The one module that owns the application database. Everything else asks it; nothing else writes
// records of state.
import { accountStore } from './accounts.js';
import { auditStore } from './audit.js';
import { cycleStore } from './cycles.js';
import { directoryStore } from './directory.js';
import { fileRecordStore } from './files.js';
import { mailLedgerStore } from './mail-ledger.js';
import { noticeSettingsStore } from './notice-settings.js';
import { openDb, type Connection, type Db, type OpenOptions } from './db.js';

export function storeOf(db: Db) {
  return {
    db,
    audit: auditStore(db),
    cycles: cycleStore(db),
    accounts: accountStore(db),
    directory: directoryStore(db),
    mail: mailLedgerStore(db),
    notices: noticeSettingsStore(db),
    files: fileRecordStore(db),
    close: () => db.destroy(),
  };
}

export type Store = ReturnType<typeof storeOf>;

/** `max` connections; `acquireMs`: how long a call waits for one before the store is busy (StoreBusy). */
export async function openStore(connection: Connection, opts: OpenOptions = {}): Promise<Store> {
  return storeOf(await openDb(connection, opts));
}

export { connectionFor, StoreBusy } from './db.js';
