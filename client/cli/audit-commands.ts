// `perfcycle audit CYCLE` prints the audit from the database; `perfcycle audit verify CYCLE` recomputes
// its hash chain and names the first row that does not match (exit code 1 then).
import type { Command } from 'commander';
import { UTF8_BOM } from '../../activities/tables.js';
import { auditCsv } from '../audit-format.js';
import { UserError } from '../errors.js';
import { json, out, withClient } from './io.js';
import { textTable } from './table.js';

export function registerAuditCommands(program: Command): void {
  program.command('audit <cycle> [cycleToVerify]')
    .description('审计记录 / audit trail;  audit verify <cycle>: 校验审计链 / check the audit\'s hash chain')
    .option('--format <format>', 'json | csv | table', 'table')
    .action(async (first: string, second: string | undefined, opts: { format: string }) => {
      if (first === 'verify') {
        if (!second) throw new UserError('cycle: 请指明评估周期 / name the cycle: perfcycle audit verify <cycle>');
        const r = await withClient((c) => c.verifyAudit(second));
        if (opts.format === 'json') json(r);
        else if (r.ok) out(`审计链完整 / audit chain intact: ${r.rows} 行 rows`);
        if (!r.ok) {
          if (opts.format !== 'json') out(`审计链在第 ${r.firstBad?.seq} 行断开 / the audit chain breaks at row ${r.firstBad?.seq}: ${r.firstBad?.reason}`);
          process.exitCode = 1;
        }
        return;
      }
      if (second) throw new UserError(`多余的参数 / unexpected argument "${second}"`);
      if (!['json', 'csv', 'table'].includes(opts.format)) throw new UserError(`--format: 应为 json、csv 或 table / expected json, csv or table (got "${opts.format}")`);
      const entries = await withClient((c) => c.audit(first));
      if (opts.format === 'json') return json(entries);
      // With the BOM, like the portal's and the API's CSV: `> audit.csv` opens in Excel without mojibake.
      if (opts.format === 'csv') return out(`${UTF8_BOM}${auditCsv(entries)}`);
      out(textTable(['#', 'at', 'actor', 'role', 'action', 'subject', 'detail'],
        entries.map((e) => [String(e.seq), e.at, e.actor, e.role, e.action, e.subject, e.detail ?? ''])));
    });
}
