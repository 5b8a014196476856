// `perfcycle ledger CYCLE --out FILE.xlsx|.csv [--lang en]`: the cycle's ledger (台账), every deliverable
// and target with names, dates, states and days late (client/ledger.ts), its sheets and headers in zh-CN
// or English. Read in operator mode, like `perfcycle audit`.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { deliverableRows, ledgerFile, ledgerFormatOf, readLedger, targetRows } from '../ledger.js';
import type { Lang } from '../portal/i18n.js';
import { out, withClient } from './io.js';

/** The words of a file the CLI writes: zh (zh-CN, the default) or en, as the API's `?lang=`. */
export function langArg(value: string): Lang {
  if (value === 'zh' || value === 'zh-CN') return 'zh';
  if (value === 'en') return 'en';
  throw new UserError(`--lang: 应为 zh 或 en / expected zh or en (got "${value}")`);
}

export function registerLedgerCommand(program: Command): void {
  program.command('ledger <cycle>')
    .description('台账 / the ledger: every deliverable and target, as Excel (事项台账、目标台账、审计记录) or CSV')
    .requiredOption('--out <file>', '.xlsx 或 .csv（UTF-8 带 BOM）/ a .xlsx or .csv (UTF-8 with BOM) file')
    .option('--lang <lang>', '表头和文字的语言：zh（默认）或 en / the language of sheets, headers and words: zh (default) or en', 'zh')
    .action(async (cycleId: string, opts: { out: string; lang: string }) => {
      // A wrong file type or language is the user's to fix before anything is read.
      const format = ledgerFormatOf(opts.out);
      const lang = langArg(opts.lang);
      const src = await withClient((c) => readLedger(c, cycleId));
      await mkdir(dirname(opts.out), { recursive: true });
      await writeFile(opts.out, await ledgerFile(src, format, lang));
      const audit = format === 'xlsx' ? `、审计 ${src.audit.length} 条` : '';
      out(`已写入 / written ${opts.out}: 事项 ${deliverableRows(src).length} 项、目标 ${targetRows(src).length} 项${audit}`);
    });
}
