// The target ledger and the score sheet from the command line: targets, evidence, marks, figures, vetoes, score.
// What a person does goes through the API as the signed-in person (api-client.ts); reading stays direct.
// Lines name people, departments and files (names.ts); ids and hashes stay in --json.
import type { Command } from 'commander';
import { CATEGORY_LABELS } from '../../domain/targets.js';
import { EVIDENCE_CATEGORIES, isEvidenceCategory } from '../../domain/target-ledger.js';
import { FIGURES, FIGURE_NAMES, isFigureName, type FigureEntry, type MarkEntry } from '../../domain/score-sheet.js';
import { UserError } from '../errors.js';
import { AS_HELP, asPerson, formOf, seg } from './api-client.js';
import { json, numberArg, out, withClient } from './io.js';
import { textTable } from './table.js';
import { scoreLines } from '../../domain/score-lines.js';
import { DEFAULT_ZONE } from '../../domain/time.js';
import { momentText, targetDueText } from '../portal/i18n.js';
import { cycleNames, namer, namesOf } from './names.js';
import type { EvidenceItem, ScoreState, TargetsView } from '../../workflows/definitions.js';

export function formatScore(s: ScoreState): string {
  if (!s.view.complete) return ['得分尚不完整 / the score is not complete yet:', ...s.view.missing.map((m) => `  - ${m.zh} / ${m.en}`)].join('\n');
  const rows = scoreLines(s.view.breakdown).map((l): [string, string] =>
    [`${l.label.zh} ${l.label.en}`, l.value === null ? '不适用 n/a' : `${l.sign ?? ''}${l.value}`]);
  const vetoes = s.vetoesSet ? s.vetoes.join(', ') || '无 none' : '未认定 not set';
  return [textTable(['项目 item', '分数 score'], rows), '', `否决情形 vetoes: ${vetoes}`].join('\n');
}

export function registerScoreCommands(program: Command): void {
  const targets = program.command('targets').description('考评表 / the target table');
  targets.command('import <cycle>')
    .description('导入考评表（CSV/XLSX/JSON），有误则不导入并列出行和列 / import the target table; a bad file changes nothing')
    .requiredOption('--file <file>', '考评表 .csv/.xlsx/.json / target table')
    .option('--as <id>', AS_HELP)
    .option('--json', 'JSON')
    .action(async (id: string, opts: { file: string; as?: string; json?: boolean }) => {
      const view = await asPerson(opts.as, async (api) => api.form<TargetsView>(`/api/cycles/${seg(id)}/targets`, await formOf({}, 'file', [opts.file])));
      if (opts.json) return json(view);
      out(`已导入 ${view.targets.length} 项目标 / imported ${view.targets.length} targets${view.source ? `（文件 / file: ${view.source.name}）` : ''}`);
    });
  targets.command('list <cycle>')
    .description('列出目标 / list the targets')
    .option('--json', 'JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const { view, input } = await withClient(async (c) => ({ view: await c.targets(id), input: await c.store.cycles.get(id) }));
      if (opts.json) return json(view);
      if (!view.targets.length) return out('尚未导入考评表 / no target table imported');
      const n = namer(input && namesOf(input));
      const zone = input?.timeZone ?? DEFAULT_ZONE;
      out(textTable(['编号 id', '类别 category', '分值 points', '牵头科室 lead', '责任科室 departments', '责任领导 leader', '经办人 person', '完成时限 due', '指标 title'],
        view.targets.map((t) => [t.id, CATEGORY_LABELS[t.category], String(t.points), n.department(t.leadDepartment), t.departments.map(n.department).join('、'),
          n.person(t.leader), t.person, targetDueText('zh', t.due, zone), t.title])));
    });

  const evidence = program.command('evidence').description('佐证材料 / evidence per target');
  evidence.command('add <cycle> <target>')
    .description('报送佐证材料（文件按 SHA-256 保存）/ file an evidence item (stored under its SHA-256)')
    .requiredOption('--category <category>', `${Object.entries(EVIDENCE_CATEGORIES).map(([k, v]) => `${k} ${v.zh}`).join(' | ')}`)
    .requiredOption('--file <path>', '文件 / the file')
    .option('--as <id>', AS_HELP)
    .option('--note <text>', '说明 / a note')
    .option('--json', 'JSON')
    .action(async (id: string, target: string, opts: { category: string; file: string; as?: string; note?: string; json?: boolean }) => {
      if (!isEvidenceCategory(opts.category)) throw new UserError(`--category: 应为 ${Object.keys(EVIDENCE_CATEGORIES).join(' | ')} / expected paper, image or audio-video`);
      const form = await formOf({ category: opts.category, note: opts.note }, 'file', [opts.file]);
      const { item, names } = await asPerson(opts.as, async (api) => ({
        item: await api.form<EvidenceItem>(`/api/cycles/${seg(id)}/targets/${seg(target)}/evidence`, form), names: opts.json ? undefined : await cycleNames(api, id),
      }));
      if (opts.json) return json(item);
      const by = namer(names).person(item.by);
      const category = EVIDENCE_CATEGORIES[item.category];
      out(`已报送目标 ${item.targetId} 的佐证材料（${category.zh}）：${item.file.name}，报送人 ${by} / filed evidence (${category.en}) for target ${item.targetId}: ${item.file.name}, by ${by}`);
    });
  evidence.command('list <cycle>')
    .description('按目标列出佐证材料 / evidence listed per target')
    .option('--json', 'JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const { list, input } = await withClient(async (c) => ({ list: await c.evidence(id), input: await c.store.cycles.get(id) }));
      if (opts.json) return json(list);
      const n = namer(input && namesOf(input));
      const zone = input?.timeZone ?? DEFAULT_ZONE;
      out(textTable(['目标 target', '类别 category', '文件 file', '报送人 by', '时间 at'], list.flatMap((t) => (t.items.length
        ? t.items.map((e) => [t.targetId, `${EVIDENCE_CATEGORIES[e.category].zh} ${EVIDENCE_CATEGORIES[e.category].en}`, e.file.name, n.person(e.by), momentText('zh', e.at, zone)])
        : [[t.targetId, '-', '（无 none）', '', '']]))));
    });

  program.command('mark <cycle> <target> <mark>')
    .description('考评组对目标打分（0..分值）；更正须 --reason / the review team marks a target; a correction needs --reason')
    .option('--as <id>', AS_HELP)
    .option('--reason <text>', '更正理由 / reason for a correction')
    .option('--note <text>', '说明 / a note')
    .option('--json', 'JSON')
    .action(async (id: string, target: string, mark: string, opts: { as?: string; reason?: string; note?: string; json?: boolean }) => {
      const body = { mark: numberArg('mark', mark), ...(opts.reason && { reason: opts.reason }), ...(opts.note && { note: opts.note }) };
      const e = await asPerson(opts.as, (api) => api.json<MarkEntry>('PUT', `/api/cycles/${seg(id)}/targets/${seg(target)}/mark`, body));
      if (opts.json) return json(e);
      out(`已打分 / marked ${target}: ${e.mark}`);
    });

  program.command('figure <cycle> <figure> <value>')
    .description(`市效能办录入考评数据；value 为 n/a 表示不适用；更正须 --reason / enter a figure (${FIGURE_NAMES.join(', ')})`)
    .requiredOption('--source <text>', '数据来源 / where the figure comes from')
    .option('--as <id>', AS_HELP)
    .option('--reason <text>', '更正理由 / reason for a correction')
    .option('--json', 'JSON')
    .action(async (id: string, figure: string, value: string, opts: { source: string; as?: string; reason?: string; json?: boolean }) => {
      if (!isFigureName(figure)) throw new UserError(`figure: 应为 ${FIGURE_NAMES.join(' | ')} / unknown figure "${figure}"`);
      const body = { value: ['n/a', 'null', '不适用'].includes(value) ? null : numberArg('value', value), source: opts.source, ...(opts.reason && { reason: opts.reason }) };
      const e = await asPerson(opts.as, (api) => api.json<FigureEntry>('PUT', `/api/cycles/${seg(id)}/figures/${seg(figure)}`, body));
      if (opts.json) return json(e);
      out(`已录入 / entered ${FIGURES[figure].zh} ${figure}: ${e.value ?? '不适用 n/a'}`);
    });

  program.command('vetoes <cycle> [veto...]')
    .description('市效能办认定否决情形（不列则为无）/ the efficiency office sets the veto cases (none if omitted)')
    .requiredOption('--source <text>', '认定依据 / source')
    .option('--as <id>', AS_HELP)
    .option('--reason <text>', '更正理由 / reason for a correction')
    .action(async (id: string, vetoes: string[], opts: { source: string; as?: string; reason?: string }) => {
      const body = { vetoes, source: opts.source, ...(opts.reason && { reason: opts.reason }) };
      const set = await asPerson(opts.as, (api) => api.json<string[]>('PUT', `/api/cycles/${seg(id)}/vetoes`, body));
      out(`否决情形 / vetoes: ${set.join(', ') || '无 none'}`);
    });

  program.command('score <cycle>')
    .description('综合得分及构成，或尚缺的数据 / the score with its breakdown, or what is still missing')
    .option('--json', 'JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const s = await withClient((c) => c.score(id));
      if (opts.json) json(s); else out(formatScore(s));
    });
}
