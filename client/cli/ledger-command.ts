// `perfcycle ledger CYCLE --out FILE.xlsx|.csv [--lang en]`: the cycle's ledger (台账), every deliverable
// and target with names, dates, states and days late (client/ledger.ts), its sheets and headers in zh-CN
// or English. Read in operator mode, like `perfcycle audit`.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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

// The action (its command line: register/ledger.ts).

export async function ledger(cycleId: string, opts: { out: string; lang: string }): Promise<void> {
  // A wrong file type or language is the user's to fix before anything is read.
  const format = ledgerFormatOf(opts.out);
  const lang = langArg(opts.lang);
  const src = await withClient((c) => readLedger(c, cycleId));
  await mkdir(dirname(opts.out), { recursive: true });
  await writeFile(opts.out, await ledgerFile(src, format, lang));
  const audit = format === 'xlsx' ? `、审计 ${src.audit.length} 条` : '';
  out(`已写入 / written ${opts.out}: 事项 ${deliverableRows(src).length} 项、目标 ${targetRows(src).length} 项${audit}`);
}
