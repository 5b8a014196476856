// The target ledger and the score sheet from the command line: targets, evidence, marks, figures, vetoes, score.
// What a person does goes through the API as the signed-in person (api-client.ts); reading stays direct.
// Lines name people, departments and files (names.ts); ids and hashes stay in --json.
import { CATEGORY_LABELS } from '../../domain/targets.js';
import { EVIDENCE_CATEGORIES, isEvidenceCategory } from '../../domain/target-ledger.js';
import { FIGURES, FIGURE_NAMES, isFigureName, type FigureEntry, type MarkEntry } from '../../domain/score-sheet.js';
import { UserError } from '../errors.js';
import { asPerson, formOf, seg } from './api-client.js';
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

// The actions (their command lines: register/score.ts).

export async function importTargets(id: string, opts: { file: string; as?: string; json?: boolean }): Promise<void> {
  const view = await asPerson(opts.as, async (api) => api.form<TargetsView>(`/api/cycles/${seg(id)}/targets`, await formOf({}, 'file', [opts.file])));
  if (opts.json) return json(view);
  out(`已导入 ${view.targets.length} 项目标 / imported ${view.targets.length} targets${view.source ? `（文件 / file: ${view.source.name}）` : ''}`);
}

export async function listTargets(id: string, opts: { json?: boolean }): Promise<void> {
  const { view, input } = await withClient(async (c) => ({ view: await c.targets(id), input: await c.store.cycles.get(id) }));
  if (opts.json) return json(view);
  if (!view.targets.length) return out('尚未导入考评表 / no target table imported');
  const n = namer(input && namesOf(input));
  const zone = input?.timeZone ?? DEFAULT_ZONE;
  out(textTable(['编号 id', '类别 category', '分值 points', '牵头科室 lead', '责任科室 departments', '责任领导 leader', '经办人 person', '完成时限 due', '指标 title'],
    view.targets.map((t) => [t.id, CATEGORY_LABELS[t.category], String(t.points), n.department(t.leadDepartment), t.departments.map(n.department).join('、'),
      n.person(t.leader), t.person, targetDueText('zh', t.due, zone), t.title])));
}

export async function addEvidence(id: string, target: string, opts: { category: string; file: string; as?: string; note?: string; json?: boolean }): Promise<void> {
  if (!isEvidenceCategory(opts.category)) throw new UserError(`--category: 应为 ${Object.keys(EVIDENCE_CATEGORIES).join(' | ')} / expected paper, image or audio-video`);
  const form = await formOf({ category: opts.category, note: opts.note }, 'file', [opts.file]);
  const { item, names } = await asPerson(opts.as, async (api) => ({
    item: await api.form<EvidenceItem>(`/api/cycles/${seg(id)}/targets/${seg(target)}/evidence`, form), names: opts.json ? undefined : await cycleNames(api, id),
  }));
  if (opts.json) return json(item);
  const by = namer(names).person(item.by);
  const category = EVIDENCE_CATEGORIES[item.category];
  out(`已报送目标 ${item.targetId} 的佐证材料（${category.zh}）：${item.file.name}，报送人 ${by} / filed evidence (${category.en}) for target ${item.targetId}: ${item.file.name}, by ${by}`);
}

export async function listEvidence(id: string, opts: { json?: boolean }): Promise<void> {
  const { list, input } = await withClient(async (c) => ({ list: await c.evidence(id), input: await c.store.cycles.get(id) }));
  if (opts.json) return json(list);
  const n = namer(input && namesOf(input));
  const zone = input?.timeZone ?? DEFAULT_ZONE;
  out(textTable(['目标 target', '类别 category', '文件 file', '报送人 by', '时间 at'], list.flatMap((t) => (t.items.length
    ? t.items.map((e) => [t.targetId, `${EVIDENCE_CATEGORIES[e.category].zh} ${EVIDENCE_CATEGORIES[e.category].en}`, e.file.name, n.person(e.by), momentText('zh', e.at, zone)])
    : [[t.targetId, '-', '（无 none）', '', '']]))));
}

export async function mark(id: string, target: string, mark: string, opts: { as?: string; reason?: string; note?: string; json?: boolean }): Promise<void> {
  const body = { mark: numberArg('mark', mark), ...(opts.reason && { reason: opts.reason }), ...(opts.note && { note: opts.note }) };
  const e = await asPerson(opts.as, (api) => api.json<MarkEntry>('PUT', `/api/cycles/${seg(id)}/targets/${seg(target)}/mark`, body));
  if (opts.json) return json(e);
  out(`已打分 / marked ${target}: ${e.mark}`);
}

export async function figure(id: string, figure: string, value: string, opts: { source: string; as?: string; reason?: string; json?: boolean }): Promise<void> {
  if (!isFigureName(figure)) throw new UserError(`figure: 应为 ${FIGURE_NAMES.join(' | ')} / unknown figure "${figure}"`);
  const body = { value: ['n/a', 'null', '不适用'].includes(value) ? null : numberArg('value', value), source: opts.source, ...(opts.reason && { reason: opts.reason }) };
  const e = await asPerson(opts.as, (api) => api.json<FigureEntry>('PUT', `/api/cycles/${seg(id)}/figures/${seg(figure)}`, body));
  if (opts.json) return json(e);
  out(`已录入 / entered ${FIGURES[figure].zh} ${figure}: ${e.value ?? '不适用 n/a'}`);
}

export async function vetoes(id: string, vetoes: string[], opts: { source: string; as?: string; reason?: string }): Promise<void> {
  const body = { vetoes, source: opts.source, ...(opts.reason && { reason: opts.reason }) };
  const set = await asPerson(opts.as, (api) => api.json<string[]>('PUT', `/api/cycles/${seg(id)}/vetoes`, body));
  out(`否决情形 / vetoes: ${set.join(', ') || '无 none'}`);
}

export async function score(id: string, opts: { json?: boolean }): Promise<void> {
  const s = await withClient((c) => c.score(id));
  if (opts.json) json(s); else out(formatScore(s));
}
