// `npm run users -- import <cycle file>`: makes the people of a cycle file users of the portal (and
// lists the cycle on its home page, where its coordinator can start it) without Temporal running.
// `npm run users -- list` shows the accounts; `npm run users -- link <id>` prints a one-time sign-in
// link for an operator to hand over when mail does not get through.
import { Command, CommanderError } from 'commander';
import { parseConfig } from '../../domain/config.js';
import { loadCycleFile } from '../cycle-file-loader.js';
import { cycleDirectory, importCycle } from './directory.js';
import { portalSettings } from './settings.js';
import { AccountConflict, userStore } from './users.js';

const out = (s: string) => void process.stdout.write(`${s}\n`);

export function buildUsersProgram(env: Record<string, string | undefined> = process.env): Command {
  const config = parseConfig(env);
  const settings = portalSettings(env, config);
  const users = userStore(settings.dataDir);
  const directory = cycleDirectory(settings.dataDir);
  const program = new Command('users').description('门户用户 / portal users').exitOverride();

  program.command('import <file>')
    .description('从周期文件导入人员 / import the people of a cycle file')
    .action(async (file: string) => {
      const input = await loadCycleFile(file);
      const { added, updated } = await importCycle(input, users, directory);
      out(`${input.cycleId}: 新增 added ${added.length}, 更新 updated ${updated.length} → ${users.path}`);
      out(`登录 / sign in: ${settings.publicUrl}/login  (链接邮件 link mails: ${config.SMTP_URL ?? `${config.DATA_DIR}/outbox`})`);
    });

  program.command('list')
    .description('列出账号 / list accounts')
    .action(async () => {
      for (const a of await users.all()) out(`${a.id}\t${a.email}\t${a.name}\t${a.password ? 'password' : '-'}\t${a.cycles.join(',')}`);
    });

  program.command('link <id>')
    .description('生成一次性登录链接 / print a one-time sign-in link')
    .action(async (id: string) => {
      if (!(await users.get(id))) throw new Error(`没有账号 / no account ${id}`);
      const token = await users.issueLink(id, settings.linkMs);
      out(`${settings.publicUrl}/auth/link/${token}`);
    });
  return program;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  try {
    await buildUsersProgram().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    process.stderr.write(`错误 / error: ${err instanceof AccountConflict ? err.message : (err as Error).message}\n`);
    process.exit(1);
  }
}
