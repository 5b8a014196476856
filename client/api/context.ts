// Everything the routes share, built once per API instance: settings, the application database's
// accounts and register of cycles, the file store, the mail sender for sign-in links and the cycle client.
import type { MailSender } from '../../activities/mail-sender.js';
import type { AccountStore } from '../../store/accounts.js';
import type { CycleStore } from '../../store/cycles.js';
import type { CycleClient } from '../cycle-client.js';
import { fileStore } from '../file-store.js';
import type { PortalSettings } from '../portal/settings.js';

export interface ApiContext {
  cycles: CycleClient;
  settings: PortalSettings;
  /** Accounts, sessions, sign-in links and calendar tokens. */
  users: AccountStore;
  /** Each cycle's people, roles and departments. */
  directory: CycleStore;
  files: ReturnType<typeof fileStore>;
  sender: MailSender;
  /** The clock for sessions and links (tests may pass the Temporal test server's). */
  now: () => Date;
}

export function apiContext(opts: { cycles: CycleClient; settings: PortalSettings; sender: MailSender; now?: () => Date }): ApiContext {
  const { store } = opts.cycles;
  return {
    cycles: opts.cycles, settings: opts.settings, sender: opts.sender,
    users: store.accounts, directory: store.cycles, files: fileStore(opts.settings.dataDir),
    now: opts.now ?? (() => new Date()),
  };
}
