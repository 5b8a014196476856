// The cycle's ledger (台账): every deliverable and every target, one row each, in the words people read
// (names of people and departments, never ids, with the ids beside them for machines), as an Excel
// workbook or a CSV (UTF-8 with BOM, formulas neutralised by activities/tables.ts); and the audit as a
// workbook. Built from what the cycle already keeps: its status, targets, evidence, marks and audit,
// and its directory in the database.
import { extname } from 'node:path';
import { csvText, UTF8_BOM, xlsxWorkbook, type Sheet } from '../activities/tables.js';
import type { ScoringPackage } from '../activities/scoring.js';
import { SYSTEM, type AuditEntry } from '../domain/audit.js';
import type { CycleInput } from '../domain/cycle.js';
import { deliverablesFor } from '../domain/deliverables.js';
import { PHASES } from '../domain/phases.js';
import { latest, type MarkEntry } from '../domain/score-sheet.js';
import { CATEGORY_LABELS, type Target } from '../domain/targets.js';
import { endOfDay, formatDeadline, localDateOf, overdueDays, toZonedIso } from '../domain/time.js';
import type { EvidenceItem } from '../workflows/definitions.js';
import type { CycleClient, DeliverableStatus, StatusView } from './cycle-client.js';
import { UserError } from './errors.js';
import { ROLE_LABEL, STATE_LABEL } from './portal/i18n.js';
import { allSpecs } from './portal/rights.js';

export interface LedgerSource {
  input: CycleInput;
  status: StatusView;
  targets: Target[];
  evidence: EvidenceItem[];
  marks: MarkEntry[];
  audit: AuditEntry[];
}

/** The cycle's records for its ledger; a cycle the database does not know is a 404. */
export async function readLedger(cycles: CycleClient, cycleId: string): Promise<LedgerSource> {
  const input = await cycles.store.cycles.get(cycleId);
  if (!input) throw new UserError(`找不到评估周期 ${cycleId} / no such cycle`, 'not-found');
  const [status, audit, kept] = await Promise.all([cycles.status(cycleId), cycles.audit(cycleId), targetRecords(cycles, cycleId)]);
  return { input, status, audit, ...kept };
}

/** From the running cycle; once Temporal has forgotten it, as the review package kept them (none if the window never closed). */
async function targetRecords(cycles: CycleClient, cycleId: string): Promise<Pick<LedgerSource, 'targets' | 'evidence' | 'marks'>> {
  try {
    const [view, evidence, score] = await Promise.all([cycles.targets(cycleId), cycles.evidence(cycleId), cycles.score(cycleId)]);
    return { targets: view.targets, evidence: evidence.flatMap((e) => e.items), marks: score.marks };
  } catch (err) {
    if (!(err instanceof UserError && err.code === 'not-found')) throw err;
    const pkg = (await cycles.store.cycles.reviewPackage(cycleId)) as ScoringPackage | undefined;
    return { targets: pkg?.targets ?? [], evidence: pkg?.evidence ?? [], marks: pkg?.marks ?? [] };
  }
}

export type LedgerState = DeliverableStatus['state'] | 'not-started';

export const LEDGER_STATES: Record<LedgerState, string> = {
  open: STATE_LABEL.open!.zh, 'in-review': STATE_LABEL['in-review']!.zh, accepted: STATE_LABEL.accepted!.zh, closed: STATE_LABEL.closed!.zh, 'not-started': '未开始',
};

/** One line of the ledger, with ids; the columns put the names. Instants are ISO-8601. */
export interface LedgerRow {
  kind: 'deliverable' | 'target';
  id: string;
  title: string;
  departments: string[];
  owner?: string;
  leader?: string;
  due?: string;
  state: LedgerState;
  submittedAt?: string;
  submittedBy?: string;
  approvedAt?: string;
  approvedBy?: string;
  daysLate?: number;
  /** Deliverables: who must act now, and how often it was sent back. */
  actors?: string[];
  rejections?: number;
  /** Targets: category, points, the person in charge as the table names them, evidence filed, the mark. */
  category?: string;
  points?: number;
  person?: string;
  evidence?: number;
  mark?: number;
}

const auditAt = (audit: readonly AuditEntry[], action: string, subject: string) => audit.filter((e) => e.action === action && e.subject === subject).at(-1);

/**
 * Every deliverable the cycle has opened, then those of the phases still to come (未开始). The due date is
 * the owner's: the current one while it waits for them, else the one it opened with. Days late: for an
 * item handed in, from that due date to its first submission; otherwise up to now (or to its closing).
 */
export function deliverableRows(src: LedgerSource): LedgerRow[] {
  const { input, status, audit } = src;
  const zone = status.timeZone;
  const specs = allSpecs(input);
  const opened = status.deliverables.map((d): LedgerRow => {
    const spec = specs.find((s) => s.id === d.id);
    const openedDue = /\bdue=(\S+)/.exec(auditAt(audit, 'deliverable-opened', d.id)?.detail ?? '')?.[1];
    const due = d.state === 'open' || d.state === 'closed' ? d.due : openedDue ?? spec?.due ?? d.due;
    const first = d.submissions[0];
    const last = d.submissions.at(-1);
    const approval = d.state === 'accepted' ? d.reviews.filter((r) => r.decision === 'approved').at(-1) ?? (last && { at: last.at, by: SYSTEM }) : undefined;
    const closedAt = auditAt(audit, 'deliverable-closed', d.id)?.at;
    const daysLate = first ? overdueDays(due, new Date(first.at), zone)
      : d.state === 'closed' && closedAt ? overdueDays(due, new Date(closedAt), zone) : d.overdueDays;
    return {
      kind: 'deliverable', id: d.id, title: d.title.zh, departments: d.department ? [d.department] : [], owner: d.owner,
      leader: input.departments.find((x) => x.id === d.department)?.leader ?? spec?.leader ?? input.roles.director,
      due, state: d.state, daysLate, actors: d.actors, rejections: d.reviews.filter((r) => r.decision === 'rejected').length,
      ...(last && { submittedAt: last.at, submittedBy: last.by }),
      ...(approval && { approvedAt: approval.at, approvedBy: approval.by }),
    };
  });
  const seen = new Set(status.deliverables.map((d) => d.id));
  const toCome = PHASES.slice(PHASES.indexOf(status.phase) + 1).flatMap((p) => deliverablesFor(p, input)).filter((s) => !seen.has(s.id));
  return [...opened, ...toCome.map((s): LedgerRow => ({
    kind: 'deliverable', id: s.id, title: s.title.zh, departments: s.department ? [s.department] : [], owner: s.owner,
    leader: input.departments.find((x) => x.id === s.department)?.leader ?? s.leader, due: s.due, state: 'not-started', actors: [], rejections: 0,
  }))];
}

/**
 * Every target of the imported table. Its owner is the head of its lead department; handed in means
 * evidence filed (the latest shown), approved means marked by the review team (the latest mark).
 * Days late: from its completion date to the first evidence; without evidence and mark, up to now.
 */
export function targetRows(src: LedgerSource): LedgerRow[] {
  const { input, status } = src;
  const zone = status.timeZone;
  const now = new Date(status.asOf);
  return src.targets.map((t): LedgerRow => {
    const items = src.evidence.filter((e) => e.targetId === t.id);
    const mark = latest(src.marks, (m) => m.targetId === t.id);
    const due = endOfDay(t.due, zone);
    const state: LedgerState = mark ? 'accepted' : items.length ? 'in-review' : status.phase === 'closed' ? 'closed' : 'open';
    const last = items.at(-1);
    return {
      kind: 'target', id: t.id, title: t.title, departments: t.departments, owner: input.departments.find((d) => d.id === t.leadDepartment)?.owner,
      leader: t.leader, due, state, category: CATEGORY_LABELS[t.category] ?? t.category, points: t.points, person: t.person, evidence: items.length,
      ...(items[0] ? { daysLate: overdueDays(due, new Date(items[0].at), zone) } : !mark && { daysLate: overdueDays(due, now, zone) }),
      ...(last && { submittedAt: last.at, submittedBy: last.by }),
      ...(mark && { approvedAt: mark.at, approvedBy: mark.by, mark: mark.mark }),
    };
  });
}

// ---- words: names for ids, local times ----

interface Words {
  person(id: string | undefined): string;
  department(id: string): string;
  role(role: string): string;
  subject(id: string): string;
  zone: string;
}

function wordsOf(src: LedgerSource): Words {
  const { input } = src;
  const people = new Map(input.people.map((p) => [p.id, p.name]));
  const departments = new Map(input.departments.map((d) => [d.id, d.name]));
  const titles = new Map<string, string>([
    [input.cycleId, `${input.unit.name} ${input.year} 年度评估周期`],
    ...allSpecs(input).map((s) => [s.id, s.title.zh] as [string, string]),
    ...src.status.deliverables.map((d) => [d.id, d.title.zh] as [string, string]),
    ...src.targets.map((t) => [t.id, `${t.id} ${t.title}`] as [string, string]),
  ]);
  const department = (id: string) => departments.get(id) ?? id;
  return {
    person: (id) => (id === undefined ? '' : id === SYSTEM ? '系统' : people.get(id) ?? id),
    department,
    // "owner:planning leader:law" → 科室负责人（规划科）、责任领导（政策法规科）
    role: (role) => role.split(' ').filter(Boolean).map((r) => {
      const [key = r, dept] = r.split(':');
      const label = key === SYSTEM ? '系统' : ROLE_LABEL[key]?.zh ?? key;
      return dept ? `${label}（${department(dept)}）` : label;
    }).join('、'),
    subject: (id) => id.split(',').map((s) => titles.get(s) ?? s).join('；'),
    zone: src.status.timeZone,
  };
}

/** A day or a minute in the cycle's zone, as text; the workbook makes it a real Excel date (column kind). */
const localDay = (at: string | undefined, zone: string) => (at ? localDateOf(at, zone) : undefined);
const localMinute = (at: string | undefined, zone: string) => (at ? toZonedIso(at, zone).slice(0, 16).replace('T', ' ') : undefined);

type Kind = 'day' | 'minute';
interface Column<R> { header: string; kind?: Kind; value: (r: R, w: Words) => string | number | undefined }

const COMMON: Column<LedgerRow>[] = [
  { header: '编号', value: (r) => r.id },
  { header: '名称', value: (r) => r.title },
  { header: '科室', value: (r, w) => r.departments.map(w.department).join('、') },
  { header: '科室代码', value: (r) => r.departments.join(',') },
  { header: '负责人', value: (r, w) => w.person(r.owner) },
  { header: '负责人代码', value: (r) => r.owner },
  { header: '责任领导', value: (r, w) => w.person(r.leader) },
  { header: '责任领导代码', value: (r) => r.leader },
  { header: '截止时间', value: (r, w) => (r.due ? formatDeadline(r.due, w.zone, 'zh-CN') : undefined) },
  { header: '截止日期', kind: 'day', value: (r, w) => localDay(r.due, w.zone) },
  { header: '截止时间（ISO）', value: (r, w) => (r.due ? toZonedIso(r.due, w.zone) : undefined) },
  { header: '状态', value: (r) => LEDGER_STATES[r.state] },
  { header: '状态代码', value: (r) => r.state },
  { header: '提交时间', kind: 'minute', value: (r, w) => localMinute(r.submittedAt, w.zone) },
  { header: '提交人', value: (r, w) => (r.submittedBy ? w.person(r.submittedBy) : undefined) },
  { header: '通过时间', kind: 'minute', value: (r, w) => localMinute(r.approvedAt, w.zone) },
  { header: '审批人', value: (r, w) => (r.approvedBy ? w.person(r.approvedBy) : undefined) },
  { header: '逾期天数', value: (r) => r.daysLate },
];
const DELIVERABLE_ONLY: Column<LedgerRow>[] = [
  { header: '当前办理人', value: (r, w) => r.actors?.map(w.person).join('、') },
  { header: '退回次数', value: (r) => r.rejections },
];
const TARGET_ONLY: Column<LedgerRow>[] = [
  { header: '类别', value: (r) => r.category },
  { header: '分值', value: (r) => r.points },
  { header: '经办人', value: (r) => r.person },
  { header: '佐证材料（份）', value: (r) => r.evidence },
  { header: '得分', value: (r) => r.mark },
];

const AUDIT: Column<AuditEntry>[] = [
  { header: '序号', value: (e) => e.seq },
  { header: '时间', kind: 'minute', value: (e, w) => localMinute(e.at, w.zone) },
  { header: '时间（ISO）', value: (e) => e.at },
  { header: '操作人', value: (e, w) => w.person(e.actor) },
  { header: '操作人代码', value: (e) => e.actor },
  { header: '角色', value: (e, w) => w.role(e.role) },
  { header: '动作', value: (e) => e.action },
  { header: '对象', value: (e, w) => w.subject(e.subject) },
  { header: '对象代码', value: (e) => e.subject },
  { header: '详情', value: (e) => e.detail },
  { header: '工作流', value: (e) => e.workflowId },
];

const FORMATS: Record<Kind, string> = { day: 'yyyy-mm-dd', minute: 'yyyy-mm-dd hh:mm' };

/** A wall-clock time of the cycle's zone as the Excel date showing it (Excel dates have no zone). */
const excelDate = (text: string) => new Date(`${text.replace(' ', 'T')}${text.length === 10 ? 'T00:00' : ''}:00Z`);

function sheetOf<R>(name: string, columns: readonly Column<R>[], rows: readonly R[], w: Words): Sheet {
  return {
    name,
    columns: columns.map((c) => ({ header: c.header, ...(c.kind && { numFmt: FORMATS[c.kind] }) })),
    rows: rows.map((r) => columns.map((c) => {
      const v = c.value(r, w);
      return c.kind && typeof v === 'string' ? excelDate(v) : v;
    })),
  };
}

function aboutSheet(src: LedgerSource, deliverables: number, targets: number): Sheet {
  const { input, status } = src;
  return {
    name: '说明',
    columns: [{ header: '项目' }, { header: '内容' }],
    rows: [
      ['单位', input.unit.name], ['年度', input.year], ['评估周期', input.cycleId], ['当前阶段', status.phaseLabel.zh],
      ['统计时间', localMinute(status.asOf, status.timeZone)], ['事项', deliverables], ['目标', targets],
      ['截止时间', '事项待负责人提交时为其现行期限，提交后为开启时的期限；目标为考评表的完成时限'],
      ['逾期天数', '已提交的：从截止日期到首次提交（目标：首次报送佐证材料）的天数；未提交的：到统计时间（已关闭的事项：到关闭时）的天数'],
    ],
  };
}

export const LEDGER_SHEETS = { deliverables: '事项台账', targets: '目标台账', audit: '审计记录', about: '说明' } as const;

/** The ledger workbook: 事项台账, 目标台账, 审计记录 and 说明 (what the columns mean, as of when). */
export function ledgerXlsx(src: LedgerSource): Promise<Buffer> {
  const w = wordsOf(src);
  const deliverables = deliverableRows(src);
  const targets = targetRows(src);
  return xlsxWorkbook([
    sheetOf(LEDGER_SHEETS.deliverables, [...COMMON, ...DELIVERABLE_ONLY], deliverables, w),
    sheetOf(LEDGER_SHEETS.targets, [...COMMON, ...TARGET_ONLY], targets, w),
    sheetOf(LEDGER_SHEETS.audit, AUDIT, src.audit, w),
    aboutSheet(src, deliverables.length, targets.length),
  ]);
}

/** The audit alone as a workbook (the entries given: filter them first). */
export function auditXlsx(src: Pick<LedgerSource, 'input' | 'status' | 'targets'>, entries: readonly AuditEntry[]): Promise<Buffer> {
  return xlsxWorkbook([sheetOf(LEDGER_SHEETS.audit, AUDIT, entries, wordsOf({ ...src, evidence: [], marks: [], audit: [] }))]);
}

/** Deliverables and targets in one table (类型 事项 / 目标), UTF-8 with BOM, every cell through safeCell. */
export function ledgerCsv(src: LedgerSource): string {
  const w = wordsOf(src);
  const columns: Column<LedgerRow>[] = [
    { header: '类型', value: (r) => (r.kind === 'target' ? '目标' : '事项') }, ...COMMON, ...DELIVERABLE_ONLY, ...TARGET_ONLY,
  ];
  const rows = [...deliverableRows(src), ...targetRows(src)];
  return `${UTF8_BOM}${csvText(columns.map((c) => c.header), rows.map((r) => columns.map((c) => c.value(r, w))), { crlf: true })}`;
}

export type LedgerFormat = 'xlsx' | 'csv';

/** The format a file name asks for, or a user error naming `field`. */
export function ledgerFormatOf(path: string, field = '--out'): LedgerFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx' || ext === '.csv') return ext.slice(1) as LedgerFormat;
  throw new UserError(`${field}: 应为 .xlsx 或 .csv 文件 / expected a .xlsx or .csv file (got "${path}")`);
}

export async function ledgerFile(src: LedgerSource, format: LedgerFormat): Promise<Buffer> {
  return format === 'xlsx' ? ledgerXlsx(src) : Buffer.from(ledgerCsv(src), 'utf8');
}

/** A download name with the unit's name and year, e.g. 晋江市自然资源局2019年度绩效评估台账.xlsx. */
export function ledgerFileName(input: Pick<CycleInput, 'unit' | 'year'>, what: '台账' | '审计记录', format: LedgerFormat): string {
  const unit = input.unit.name.replace(/[\\/:*?"<>|\x00-\x1f\x7f]/g, '_');
  return `${unit}${input.year}年度绩效评估${what}.${format}`;
}
