// Everything the routes share, built once per API instance: settings, the stores under DATA_DIR,
// the mail sender for sign-in links and the cycle client.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailSender } from '../../activities/mail-sender.js';
import type { CycleClient } from '../cycle-client.js';
import { fileStore } from '../file-store.js';
import { cycleDirectory, type CycleDirectory } from '../portal/directory.js';
import type { PortalSettings } from '../portal/settings.js';
import { userStore, type UserStore } from '../portal/users.js';

export interface ApiContext {
  cycles: CycleClient;
  settings: PortalSettings;
  users: UserStore;
  directory: CycleDirectory;
  files: ReturnType<typeof fileStore>;
  sender: MailSender;
  /** The clock for sessions and links (tests may pass the Temporal test server's). */
  now: () => Date;
}

export function apiContext(opts: { cycles: CycleClient; settings: PortalSettings; sender: MailSender; now?: () => Date }): ApiContext {
  const dir = opts.settings.dataDir;
  return {
    cycles: opts.cycles, settings: opts.settings, sender: opts.sender,
    users: userStore(dir), directory: cycleDirectory(dir), files: fileStore(dir),
    now: opts.now ?? (() => new Date()),
  };
}

/** PORTAL_SESSION_SECRET, or one made on first start and kept so that a restart keeps people signed in. */
export async function sessionSecret(settings: PortalSettings): Promise<string> {
  if (settings.sessionSecret) return settings.sessionSecret;
  const path = join(settings.dataDir, 'portal', 'session-secret');
  const kept = await readFile(path, 'utf8').catch(() => '');
  if (kept.trim().length >= 32) return kept.trim();
  const secret = randomBytes(48).toString('base64url');
  await mkdir(join(settings.dataDir, 'portal'), { recursive: true });
  await writeFile(path, secret, { mode: 0o600 });
  return secret;
}
