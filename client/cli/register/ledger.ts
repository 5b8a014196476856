// `perfcycle ledger`'s command line; what it does: ../ledger-command.ts.
import type { Command } from 'commander';
import { loadOnRun } from './shared.js';

const run = loadOnRun(() => import('../ledger-command.js'));

export function registerLedgerCommand(program: Command): void {
  program.command('ledger <cycle>')
    .description('台账 / the ledger: every deliverable and target, as Excel (事项台账、目标台账、审计记录) or CSV')
    .requiredOption('--out <file>', '.xlsx 或 .csv（UTF-8 带 BOM）/ a .xlsx or .csv (UTF-8 with BOM) file')
    .option('--lang <lang>', '表头和文字的语言：zh（默认）或 en / the language of sheets, headers and words: zh (default) or en', 'zh')
    .action(run('ledger'));
}
