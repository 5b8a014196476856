// `perfcycle ledger CYCLE --out FILE.xlsx|.csv`: the cycle's ledger (台账), every deliverable and target
// with names, dates, states and days late (client/ledger.ts). Read in operator mode, like `perfcycle audit`.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { deliverableRows, ledgerFile, ledgerFormatOf, readLedger, targetRows } from '../ledger.js';
import { out, withClient } from './io.js';

export function registerLedgerCommand(program: Command): void {
  program.command('ledger <cycle>')
    .description('台账 / the ledger: every deliverable and target, as Excel (事项台账、目标台账、审计记录) or CSV')
    .requiredOption('--out <file>', '.xlsx 或 .csv（UTF-8 带 BOM）/ a .xlsx or .csv (UTF-8 with BOM) file')
    .action(async (cycleId: string, opts: { out: string }) => {
      // A wrong file type is the user's to fix before anything is read.
      const format = ledgerFormatOf(opts.out);
      const src = await withClient((c) => readLedger(c, cycleId));
      await mkdir(dirname(opts.out), { recursive: true });
      await writeFile(opts.out, await ledgerFile(src, format));
      const audit = format === 'xlsx' ? `、审计 ${src.audit.length} 条` : '';
      out(`已写入 / written ${opts.out}: 事项 ${deliverableRows(src).length} 项、目标 ${targetRows(src).length} 项${audit}`);
    });
}
