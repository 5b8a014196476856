// `npm run users -- import <cycle file>`: makes the people of a cycle file users of the portal (and
// lists the cycle on its home page, where its coordinator can start it) without Temporal running; the
// database must be up (`npm start`, or DATABASE_URL).
// `npm run users -- list` shows the accounts; `npm run users -- link <id>` prints a one-time sign-in
// link for an operator to hand over when mail does not get through.
import { Command, CommanderError } from 'commander';
import { parseConfig } from '../../domain/config.js';
import { connectionFor, openStore, type Store } from '../../store/index.js';
import { loadCycleFile } from '../cycle-file-loader.js';
import { importCycle } from './directory.js';
import { portalSettings } from './settings.js';

const out = (s: string) => void process.stdout.write(`${s}\n`);

export function buildUsersProgram(env: Record<string, string | undefined> = process.env): Command {
  const config = parseConfig(env);
  const settings = portalSettings(env, config);
  // Opened by the command that needs it, so `--help` works with no database.
  const withStore = async <T>(work: (store: Store) => Promise<T>): Promise<T> => {
    const store = await openStore(connectionFor(config), { max: 2 });
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };
  const program = new Command('users').description('门户用户 / portal users').exitOverride();

  program.command('import <file>')
    .description('从周期文件导入人员 / import the people of a cycle file')
    .action(async (file: string) => {
      const input = await loadCycleFile(file);
      const { added, updated } = await withStore((store) => importCycle(input, store));
      out(`${input.cycleId}: 新增 added ${added.length}, 更新 updated ${updated.length} → ${config.DATABASE_URL ? 'DATABASE_URL' : `${config.DATA_DIR}/pglite`}`);
      out(`登录 / sign in: ${settings.publicUrl}/login  (链接邮件 link mails: ${config.SMTP_URL ?? `${config.DATA_DIR}/outbox`})`);
    });

  program.command('list')
    .description('列出账号 / list accounts')
    .action(async () => {
      for (const a of await withStore((store) => store.accounts.all())) out(`${a.id}\t${a.email}\t${a.name}\t${a.password ? 'password' : '-'}\t${a.cycles.join(',')}`);
    });

  program.command('link <id>')
    .description('生成一次性登录链接 / print a one-time sign-in link')
    .action(async (id: string) => {
      const token = await withStore(async (store) => {
        if (!(await store.accounts.get(id))) throw new Error(`没有账号 / no account ${id}`);
        return store.accounts.issueLink(id, settings.linkMs);
      });
      out(`${settings.publicUrl}/auth/link/${token}`);
    });
  return program;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  try {
    await buildUsersProgram().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    process.stderr.write(`错误 / error: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
