// `perfcycle audit CYCLE` prints the audit from the database; `perfcycle audit verify CYCLE` recomputes
// its hash chain and names the first row that does not match (exit code 1 then).
import { UTF8_BOM } from '../../activities/tables.js';
import { auditCsv } from '../audit-format.js';
import { DIRECTORY_CHAIN } from '../../store/directory.js';
import { auditNames, auditWords, directoryAuditNames } from '../portal/audit-text.js';
import { momentText } from '../portal/i18n.js';
import { UserError } from '../errors.js';
import { io, json, out, withClient, withStore } from './io.js';
import { textTable } from './table.js';

// The action (its command line: register/audit.ts).

export async function audit(first: string, second: string | undefined, opts: { format: string }): Promise<void> {
  if (first === 'verify') {
    if (!second) throw new UserError('cycle: 请指明评估周期 / name the cycle: perfcycle audit verify <cycle>');
    const r = await withStore((s) => s.audit.verify(second));
    if (opts.format === 'json') json(r);
    else if (r.ok) out(`审计链完整 / audit chain intact: ${r.rows} 行 rows`);
    if (!r.ok) {
      if (opts.format !== 'json') out(`审计链在第 ${r.firstBad?.seq} 行断开 / the audit chain breaks at row ${r.firstBad?.seq}: ${r.firstBad?.reason}`);
      io().exitCode = 1;
    }
    return;
  }
  if (second) throw new UserError(`多余的参数 / unexpected argument "${second}"`);
  if (!['json', 'csv', 'table'].includes(opts.format)) throw new UserError(`--format: 应为 json、csv 或 table / expected json, csv or table (got "${opts.format}")`);
  const { entries, names } = await withClient(async (c) => {
    const audit = await c.audit(first);
    // The words beside the codes: people and items by name (client/portal/audit-text.ts); the directory's
    // own chain (imports, robots, notice channels) names its people, units and departments.
    if (first !== DIRECTORY_CHAIN) return { entries: audit, names: auditNames(await c.store.cycles.get(first)) };
    const d = c.store.directory;
    return { entries: audit, names: directoryAuditNames({ units: await d.units(), departments: await d.departments(), people: await d.people() }) };
  });
  if (opts.format === 'json') return json(entries);
  const words = auditWords('zh', entries, names);
  // With the BOM, like the portal's and the API's CSV: `> audit.csv` opens in Excel without mojibake.
  if (opts.format === 'csv') return out(`${UTF8_BOM}${auditCsv(entries, words.map((w) => w.text))}`);
  out(textTable(['#', '时间 at', '操作人 actor', '操作 action', '记录 record'],
    entries.map((e, i) => [String(e.seq), momentText('zh', e.at, names.zone), words[i]!.actor, words[i]!.action, words[i]!.text])));
}
