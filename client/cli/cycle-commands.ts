// The operator's commands on cycles: start, status, submit, approve, reject (the audit: audit-commands.ts).
import { json, out, withClient } from './io.js';
import type { CycleInput } from '../../domain/cycle.js';
import { DEFAULT_ZONE } from '../../domain/time.js';
import type { DeliverableSnapshot } from '../../workflows/definitions.js';
import type { CycleNames } from '../api/routes/people.js';
import type { StatusView } from '../cycle-client.js';
import { loadCycleFile, readCycleFile } from '../cycle-file-loader.js';
import { deadlineText, pick, tr, type Lang } from '../portal/i18n.js';
import { asPerson, deliverableAction, uploadFiles, type Api } from './api-client.js';
import { cycleNames } from './names.js';
import { textTable } from './table.js';
import { startCycleFile } from '../cycle-start.js';
import { operatorActor } from '../operator.js';

const STATE: Record<string, string> = { open: '待提交 open', 'in-review': '审核中 in review', accepted: '已通过 accepted', closed: '已关闭 closed' };

export function formatStatus(s: StatusView, input?: Pick<CycleInput, 'people'>): string {
  const name = (id: string) => input?.people.find((p) => p.id === id)?.name ?? id;
  const head = [
    `${s.unit.name} ${s.year} 年度绩效评估 / ${s.cycleId}`,
    `阶段 phase: ${s.phaseLabel.zh} / ${s.phaseLabel.en} (${s.phase})    考评窗口 review window: ${s.reviewWindow}`,
  ];
  const rows = s.deliverables.map((d) => [
    d.id, STATE[d.state] ?? d.state, name(d.owner), d.actors.map(name).join('、') || '-', deadlineText('zh', d.due, s.timeZone),
    d.overdueDays > 0 ? `逾期 ${d.overdueDays} 天` : '', d.title.zh,
  ]);
  if (s.targets) head.push(`目标 targets: ${s.targets.count} 项，${name(s.targets.importedBy)} 于 ${deadlineText('zh', s.targets.importedAt, s.timeZone)} 导入 / imported`);
  if (s.finalScore !== undefined) head.push(`综合得分 final score: ${s.finalScore}`);
  if (s.grade) head.push(`评估等次 grade: ${s.grade.grade}（第 ${s.grade.rank} 名 / rank ${s.grade.rank}）— ${s.grade.reason}`);
  head.push('');
  return [...head, textTable(['事项 id', '状态 state', '负责人 owner', '待办人 actors', '期限 due', '逾期 overdue', '名称 title'], rows)].join('\n');
}

/**
 * What an action did, in words and both languages: the item's title, then who must act next and by when
 * (names from the cycle, dates as people write them), never the state code.
 */
export function actionWords(verb: 'submit' | 'approve' | 'reject', snap: DeliverableSnapshot, names?: CycleNames): string {
  const zone = names?.timeZone ?? DEFAULT_ZONE;
  const line = (lang: Lang) => {
    const who = (ids: string[]) => ids.map((id) => names?.people.find((p) => p.id === id)?.name ?? id).join(lang === 'en' ? ', ' : '、');
    const due = deadlineText(lang, snap.due, zone);
    const next = snap.state === 'in-review' ? tr(lang, 'cli.waitReview', { who: who(snap.actors), due })
      : snap.state === 'accepted' ? tr(lang, 'cli.accepted')
        : snap.state === 'open' ? tr(lang, 'cli.resubmit', { who: who([snap.owner]), due }) : '';
    return `${tr(lang, `cli.${verb}`, { title: pick(lang, snap.title) })}${next}`;
  };
  return `${line('zh')} / ${line('en')}`;
}

/** The words after an action; the names are the cycle's (an older server without them: ids). */
async function afterAction(api: Api, cycleId: string, verb: 'submit' | 'approve' | 'reject', snap: DeliverableSnapshot): Promise<string> {
  return actionWords(verb, snap, await cycleNames(api, cycleId));
}

// The actions (their command lines: register/cycle.ts).

export async function startCycle(opts: { config: string; as?: string }): Promise<void> {
  const raw = await readCycleFile(opts.config);
  // The people come from the organisation directory; stdout carries only the cycle id, for scripts.
  if (opts.as) out((await asPerson(opts.as, (api) => api.json<{ cycleId: string }>('POST', '/api/cycles', raw))).cycleId);
  else out(await withClient((c) => startCycleFile({ cycles: c }, raw, operatorActor(), opts.config)));
}

export async function validateCycle(opts: { config: string; json?: boolean }): Promise<void> {
  const input = await loadCycleFile(opts.config);
  if (opts.json) return json({ cycleId: input.cycleId, dates: input.dates, timeZone: input.timeZone });
  out(`${input.cycleId}: ${input.unit.name} ${input.year}`);
  out(textTable(['key', 'date'], Object.entries(input.dates)));
  if (input.year + 1 > input.workCalendar.officialDataUntil) {
    out(`注意 / note: 官方节假日数据止于 ${input.workCalendar.officialDataUntil} 年，之后仅按周末和文件中的 holidays 计算 / official holiday data ends in ${input.workCalendar.officialDataUntil}; later days count weekends and the file's holidays only`);
  }
}

export async function status(id: string, opts: { json?: boolean }): Promise<void> {
  const [s, input] = await withClient(async (c) => [await c.status(id), await c.store.cycles.get(id)] as const);
  if (opts.json) json(s); else out(formatStatus(s, input));
}

export async function submit(id: string, deliverable: string, opts: { as?: string; note?: string; file?: string[]; json?: boolean }): Promise<void> {
  await asPerson(opts.as, async (api) => {
    const files = await uploadFiles(api, opts.file ?? []);
    const snap = await deliverableAction(api, id, deliverable, 'submit', { ...(opts.note && { note: opts.note }), files });
    if (opts.json) json(snap); else out(await afterAction(api, id, 'submit', snap));
  });
}

export async function approve(id: string, deliverable: string, opts: { as?: string; comment?: string; json?: boolean }): Promise<void> {
  await asPerson(opts.as, async (api) => {
    const snap = await deliverableAction(api, id, deliverable, 'approve', { ...(opts.comment && { comment: opts.comment }) });
    if (opts.json) json(snap); else out(await afterAction(api, id, 'approve', snap));
  });
}

export async function reject(id: string, deliverable: string, opts: { as?: string; reason: string; due?: string; json?: boolean }): Promise<void> {
  await asPerson(opts.as, async (api) => {
    const snap = await deliverableAction(api, id, deliverable, 'reject', { reason: opts.reason, ...(opts.due && { due: opts.due }) });
    if (opts.json) json(snap); else out(await afterAction(api, id, 'reject', snap));
  });
}

