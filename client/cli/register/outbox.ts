// `perfcycle outbox`'s command line; what it does: ../outbox-command.ts.
import type { Command } from 'commander';
import { loadOnRun } from './shared.js';

const run = loadOnRun(() => import('../outbox-command.js'));

export function registerOutboxCommand(program: Command): void {
  program.command('outbox')
    .description('本地发件箱（未配置 SMTP_URL 时）/ the local outbox (when SMTP_URL is not set)')
    .option('--show <n>', '显示第 n 封邮件全文 / print mail number n in full')
    .option('--json', 'JSON')
    .action(run('outbox'));
}
