// The cycle's ledger (台账): every deliverable and every target, one row each, in the words people read
// (names of people and departments, never ids, with the ids beside them for machines), as an Excel
// workbook or a CSV (UTF-8 with BOM, formulas neutralised by activities/tables.ts); and the audit as a
// workbook. Built from what the cycle already keeps: its status, targets, evidence, marks and audit,
// and its directory in the database. Sheets, headers and words in zh-CN, or English when asked for
// (the portal's catalogue, client/portal/i18n.ts); the codes columns stay as they are.
import { extname } from 'node:path';
import { csvText, UTF8_BOM, xlsxWorkbook, type Sheet } from '../activities/tables.js';
import type { ScoringPackage } from '../activities/scoring.js';
import { SYSTEM, type AuditEntry } from '../domain/audit.js';
import type { CycleInput } from '../domain/cycle.js';
import type { Text } from '../domain/deliverables.js';
import { latest, type MarkEntry } from '../domain/score-sheet.js';
import type { Target } from '../domain/targets.js';
import { endOfDay, localDateOf, overdueDays, toZonedIso } from '../domain/time.js';
import type { EvidenceItem } from '../workflows/definitions.js';
import type { CycleClient, DeliverableStatus, StatusView } from './cycle-client.js';
import { UserError } from './errors.js';
import { specsToCome } from './portal/deadlines.js';
import { deadlineText, pick, ROLE_LABEL, STATE_LABEL, tr, type Key, type Lang } from './portal/i18n.js';
import { categoryText } from './portal/pages/scores.js';
import { allSpecs } from './portal/rights.js';
import { actionText, auditNames, auditWords } from './portal/audit-text.js';

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

const stateText = (lang: Lang, state: LedgerState) => (state === 'not-started' ? tr(lang, 'notOpen') : pick(lang, STATE_LABEL[state]!));

/** One line of the ledger, with ids; the columns put the names. Instants are ISO-8601. */
export interface LedgerRow {
  kind: 'deliverable' | 'target';
  id: string;
  /** A target's title is the table's own, the same in both languages. */
  title: Text;
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
  /** Targets: category (its code), points, the person in charge as the table names them, evidence filed, the mark. */
  category?: Target['category'];
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
      kind: 'deliverable', id: d.id, title: d.title, departments: d.department ? [d.department] : [], owner: d.owner,
      leader: input.departments.find((x) => x.id === d.department)?.leader ?? spec?.leader ?? input.roles.director,
      due, state: d.state, daysLate, actors: d.actors, rejections: d.reviews.filter((r) => r.decision === 'rejected').length,
      ...(last && { submittedAt: last.at, submittedBy: last.by }),
      ...(approval && { approvedAt: approval.at, approvedBy: approval.by }),
    };
  });
  return [...opened, ...specsToCome(input, status).map((s): LedgerRow => ({
    kind: 'deliverable', id: s.id, title: s.title, departments: s.department ? [s.department] : [], owner: s.owner,
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
      kind: 'target', id: t.id, title: { zh: t.title, en: t.title }, departments: t.departments, owner: input.departments.find((d) => d.id === t.leadDepartment)?.owner,
      leader: t.leader, due, state, category: t.category, points: t.points, person: t.person, evidence: items.length,
      ...(items[0] ? { daysLate: overdueDays(due, new Date(items[0].at), zone) } : !mark && { daysLate: overdueDays(due, now, zone) }),
      ...(last && { submittedAt: last.at, submittedBy: last.by }),
      ...(mark && { approvedAt: mark.at, approvedBy: mark.by, mark: mark.mark }),
    };
  });
}

// ---- words: names for ids, local times, in the language asked for ----

interface Words {
  lang: Lang;
  person(id: string | undefined): string;
  department(id: string): string;
  role(role: string): string;
  subject(id: string): string;
  zone: string;
}

function wordsOf(src: LedgerSource, lang: Lang): Words {
  const { input } = src;
  const people = new Map(input.people.map((p) => [p.id, p.name]));
  const departments = new Map(input.departments.map((d) => [d.id, d.name]));
  const titles = new Map<string, string>([
    [input.cycleId, tr(lang, 'ledger.cycle', { unit: input.unit.name, year: input.year })],
    ...allSpecs(input).map((s) => [s.id, pick(lang, s.title)] as [string, string]),
    ...src.status.deliverables.map((d) => [d.id, pick(lang, d.title)] as [string, string]),
    ...src.targets.map((t) => [t.id, `${t.id} ${t.title}`] as [string, string]),
  ]);
  const department = (id: string) => departments.get(id) ?? id;
  const system = tr(lang, 'role.system');
  return {
    lang,
    person: (id) => (id === undefined ? '' : id === SYSTEM ? system : people.get(id) ?? id),
    department,
    // "owner:planning leader:law" → 科室负责人（规划科）、责任领导（政策法规科）
    role: (role) => role.split(' ').filter(Boolean).map((r) => {
      const [key = r, dept] = r.split(':');
      const label = key === SYSTEM ? system : ROLE_LABEL[key] ? pick(lang, ROLE_LABEL[key]) : key;
      return dept ? (lang === 'en' ? `${label} (${department(dept)})` : `${label}（${department(dept)}）`) : label;
    }).join(lang === 'en' ? ', ' : '、'),
    subject: (id) => id.split(',').map((s) => titles.get(s) ?? s).join(lang === 'en' ? '; ' : '；'),
    zone: src.status.timeZone,
  };
}

/** A day or a minute in the cycle's zone, as text; the workbook makes it a real Excel date (column kind). */
const localDay = (at: string | undefined, zone: string) => (at ? localDateOf(at, zone) : undefined);
const localMinute = (at: string | undefined, zone: string) => (at ? toZonedIso(at, zone).slice(0, 16).replace('T', ' ') : undefined);

type Kind = 'day' | 'minute';
interface Column<R> { header: Key; kind?: Kind; value: (r: R, w: Words) => string | number | undefined }

const list = (w: Words, xs: string[]) => xs.join(w.lang === 'en' ? ', ' : '、');

const COMMON: Column<LedgerRow>[] = [
  { header: 'ledger.id', value: (r) => r.id },
  { header: 'ledger.title', value: (r, w) => pick(w.lang, r.title) },
  { header: 'department', value: (r, w) => list(w, r.departments.map(w.department)) },
  { header: 'ledger.departmentCode', value: (r) => r.departments.join(',') },
  { header: 'owner', value: (r, w) => w.person(r.owner) },
  { header: 'ledger.ownerCode', value: (r) => r.owner },
  { header: 'leader', value: (r, w) => w.person(r.leader) },
  { header: 'ledger.leaderCode', value: (r) => r.leader },
  { header: 'ledger.due', value: (r, w) => (r.due ? deadlineText(w.lang, r.due, w.zone) : undefined) },
  { header: 'ledger.dueDay', kind: 'day', value: (r, w) => localDay(r.due, w.zone) },
  { header: 'ledger.dueIso', value: (r, w) => (r.due ? toZonedIso(r.due, w.zone) : undefined) },
  { header: 'state', value: (r, w) => stateText(w.lang, r.state) },
  { header: 'ledger.stateCode', value: (r) => r.state },
  { header: 'ledger.submittedAt', kind: 'minute', value: (r, w) => localMinute(r.submittedAt, w.zone) },
  { header: 'ledger.submittedBy', value: (r, w) => (r.submittedBy ? w.person(r.submittedBy) : undefined) },
  { header: 'ledger.approvedAt', kind: 'minute', value: (r, w) => localMinute(r.approvedAt, w.zone) },
  { header: 'ledger.approvedBy', value: (r, w) => (r.approvedBy ? w.person(r.approvedBy) : undefined) },
  { header: 'ledger.daysLate', value: (r) => r.daysLate },
];
const DELIVERABLE_ONLY: Column<LedgerRow>[] = [
  { header: 'ledger.actors', value: (r, w) => (r.actors ? list(w, r.actors.map(w.person)) : undefined) },
  { header: 'ledger.rejections', value: (r) => r.rejections },
];
const TARGET_ONLY: Column<LedgerRow>[] = [
  { header: 'category', value: (r, w) => (r.category ? categoryText(w.lang, r.category) : undefined) },
  { header: 'points', value: (r) => r.points },
  { header: 'person', value: (r) => r.person },
  { header: 'ledger.evidence', value: (r) => r.evidence },
  { header: 'ledger.mark', value: (r) => r.mark },
];

const AUDIT: Column<AuditEntry>[] = [
  { header: 'ledger.seq', value: (e) => e.seq },
  { header: 'ledger.at', kind: 'minute', value: (e, w) => localMinute(e.at, w.zone) },
  { header: 'ledger.atIso', value: (e) => e.at },
  { header: 'actor', value: (e, w) => w.person(e.actor) },
  { header: 'ledger.actorCode', value: (e) => e.actor },
  { header: 'ledger.role', value: (e, w) => w.role(e.role) },
  { header: 'ledger.action', value: (e, w) => actionText(w.lang, e.action) },
  { header: 'ledger.actionCode', value: (e) => e.action },
  { header: 'subject', value: (e, w) => w.subject(e.subject) },
  { header: 'ledger.subjectCode', value: (e) => e.subject },
  { header: 'detail', value: (e) => e.detail },
  { header: 'ledger.workflow', value: (e) => e.workflowId },
];

/** The audit sheet: the codes with their words beside them, and each entry told as a sentence (as on the audit page). */
function auditSheet(src: Pick<LedgerSource, 'input' | 'status' | 'targets'>, entries: readonly AuditEntry[], w: Words): Sheet {
  const names = auditNames(src.input, { items: src.status.deliverables, targets: src.targets, ...(src.status.delegations && { delegations: src.status.delegations }) });
  const words = auditWords(w.lang, entries, names);
  const text = new Map(entries.map((e, i) => [e, words[i]?.text]));
  return sheetOf(LEDGER_SHEETS.audit, [
    ...AUDIT, { header: 'ledger.onBehalfOf', value: (e, x) => (e.onBehalfOf ? x.person(e.onBehalfOf) : undefined) }, { header: 'ledger.text', value: (e) => text.get(e) },
  ], entries, w);
}

const FORMATS: Record<Kind, string> = { day: 'yyyy-mm-dd', minute: 'yyyy-mm-dd hh:mm' };

/** A wall-clock time of the cycle's zone as the Excel date showing it (Excel dates have no zone). */
const excelDate = (text: string) => new Date(`${text.replace(' ', 'T')}${text.length === 10 ? 'T00:00' : ''}:00Z`);

function sheetOf<R>(name: Key, columns: readonly Column<R>[], rows: readonly R[], w: Words): Sheet {
  return {
    name: tr(w.lang, name),
    columns: columns.map((c) => ({ header: tr(w.lang, c.header), ...(c.kind && { numFmt: FORMATS[c.kind] }) })),
    rows: rows.map((r) => columns.map((c) => {
      const v = c.value(r, w);
      return c.kind && typeof v === 'string' ? excelDate(v) : v;
    })),
  };
}

function aboutSheet(src: LedgerSource, w: Words, deliverables: number, targets: number): Sheet {
  const { input, status } = src;
  const say = (key: Key) => tr(w.lang, key);
  return {
    name: say(LEDGER_SHEETS.about),
    columns: [{ header: say('ledger.aboutItem') }, { header: say('ledger.aboutContent') }],
    rows: [
      [say('unit'), input.unit.name], [say('ledger.year'), input.year], [say('ledger.cycleId'), input.cycleId], [say('phase'), pick(w.lang, status.phaseLabel)],
      [say('ledger.asOf'), localMinute(status.asOf, status.timeZone)], [say('ledger.item'), deliverables], [say('ledger.target'), targets],
      [say('ledger.due'), say('ledger.dueMeans')],
      [say('ledger.daysLate'), say('ledger.daysLateMeans')],
    ],
  };
}

/** The sheets' names, as keys of the words catalogue. */
export const LEDGER_SHEETS = { deliverables: 'ledger.items', targets: 'ledger.targets', audit: 'ledger.audit', about: 'ledger.about' } as const satisfies Record<string, Key>;

/** The ledger workbook: 事项台账, 目标台账, 审计记录 and 说明 (what the columns mean, as of when). */
export function ledgerXlsx(src: LedgerSource, lang: Lang = 'zh'): Promise<Buffer> {
  const w = wordsOf(src, lang);
  const deliverables = deliverableRows(src);
  const targets = targetRows(src);
  return xlsxWorkbook([
    sheetOf(LEDGER_SHEETS.deliverables, [...COMMON, ...DELIVERABLE_ONLY], deliverables, w),
    sheetOf(LEDGER_SHEETS.targets, [...COMMON, ...TARGET_ONLY], targets, w),
    auditSheet(src, src.audit, w),
    aboutSheet(src, w, deliverables.length, targets.length),
  ]);
}

/** The audit alone as a workbook (the entries given: filter them first). */
export function auditXlsx(src: Pick<LedgerSource, 'input' | 'status' | 'targets'>, entries: readonly AuditEntry[], lang: Lang = 'zh'): Promise<Buffer> {
  return xlsxWorkbook([auditSheet(src, entries, wordsOf({ ...src, evidence: [], marks: [], audit: [] }, lang))]);
}

/** Deliverables and targets in one table (类型 事项 / 目标), UTF-8 with BOM, every cell through safeCell. */
export function ledgerCsv(src: LedgerSource, lang: Lang = 'zh'): string {
  const w = wordsOf(src, lang);
  const columns: Column<LedgerRow>[] = [
    { header: 'ledger.kind', value: (r) => tr(lang, r.kind === 'target' ? 'ledger.target' : 'ledger.item') }, ...COMMON, ...DELIVERABLE_ONLY, ...TARGET_ONLY,
  ];
  const rows = [...deliverableRows(src), ...targetRows(src)];
  return `${UTF8_BOM}${csvText(columns.map((c) => tr(lang, c.header)), rows.map((r) => columns.map((c) => c.value(r, w))), { crlf: true })}`;
}

export type LedgerFormat = 'xlsx' | 'csv';

/** The format a file name asks for, or a user error naming `field`. */
export function ledgerFormatOf(path: string, field = '--out'): LedgerFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx' || ext === '.csv') return ext.slice(1) as LedgerFormat;
  throw new UserError(`${field}: 应为 .xlsx 或 .csv 文件 / expected a .xlsx or .csv file (got "${path}")`);
}

export async function ledgerFile(src: LedgerSource, format: LedgerFormat, lang: Lang = 'zh'): Promise<Buffer> {
  return format === 'xlsx' ? ledgerXlsx(src, lang) : Buffer.from(ledgerCsv(src, lang), 'utf8');
}

/** A download name with the unit's name and year, e.g. 晋江市自然资源局2019年度绩效评估台账.xlsx. */
export function ledgerFileName(input: Pick<CycleInput, 'unit' | 'year'>, what: 'ledger' | 'audit', format: LedgerFormat, lang: Lang = 'zh'): string {
  const unit = input.unit.name.replace(/[\\/:*?"<>|\x00-\x1f\x7f]/g, '_');
  return `${tr(lang, what === 'ledger' ? 'ledger.file' : 'ledger.auditFile', { unit, year: input.year })}.${format}`;
}
