// The words of a mail, in the recipient's language (zh-CN, or English when the person's lang is en).
// Workflows hand over codes (notice kinds) with their parameters; every word a mail says is here.
// A mail never shows a command line: each item has one link, to its page in the portal.
// The item logic and words are exported for the chat channels' text (domain/channel-text.ts).
import type { Person } from './cycle-file.js';
import type { Notice, NoticeKind } from './notices.js';
import { formatDeadline, overdueDays } from './time.js';

export type MailLang = 'zh-CN' | 'en';

/** The names a mail shows for the ids in its notices (the cycle's people and departments). */
export interface MailDirectory {
  people: { id: string; name: string }[];
  departments: { id: string; name: string }[];
}

export interface DigestText { subject: string; text: string }

export interface DigestContext {
  unitName: string;
  cycleId: string;
  year?: number;
  to: Person;
  notices: Notice[];
  timeZone: string;
  /** The portal's address: each item links to its page there. */
  portalUrl: string;
  directory?: MailDirectory;
}

/** What the mail asks of its reader about an item: to act on it, to urge whoever must, or nothing. */
export type Section = 'act' | 'urge' | 'info';

export interface Item {
  /** The latest notice of the item: the mail says what is true now, once. */
  n: Notice;
  section: Section;
  /** Whole days past its deadline at the mail's moment. */
  late: number;
  /** The person who must act now is asked to review, not to submit. */
  review: boolean;
  /** Named: people and the department, from the directory. */
  who: string;
  copied: string[];
  department: string;
  /** Who urged it (催办), named. */
  urgedBy?: string;
  /** 委托: whom the reader acts for, or (in copy) who acts for the reader, named. */
  actingFor?: string;
  delegatedTo?: string;
}

const ESCALATIONS: readonly NoticeKind[] = ['escalate-leader', 'escalate-director', 'overdue-repeat'];
export const isEscalation = (k: NoticeKind) => ESCALATIONS.includes(k);

export interface Words {
  hello(name: string): string;
  intro(unit: string, year?: number): string;
  heading: Record<Section, (n: number) => string>;
  kind: Record<Exclude<NoticeKind, 'escalate-leader' | 'escalate-director' | 'overdue-repeat'>, string>;
  /** An escalation: the first says so, later ones count; one raised by an older version has no count. */
  escalation(n?: number): string;
  todo(i: Item): string;
  status(i: Item): string;
  urge(i: Item, when: string): string;
  dueBy(todo: string, when: string, status: string): string;
  copied(names: string[]): string;
  reason(r: string): string;
  /** An urge: who asks the reader to act now, and their words if any. */
  urged(by: string, message?: string): string;
  extendReason(r: string): string;
  /** To a delegate: whom they act for; to the person who delegated: who acts for them (a copy). */
  actingFor(name: string): string;
  delegatedTo(name: string): string;
  /** An item's first line: its title and its one label. */
  item(title: string, label: string): string;
  link(s: Section, url: string): string;
  /** A department's heading in a digest of items to urge. */
  group(name: string, n: number): string;
  unitWide: string;
  tag(overdue: boolean): string;
  one(unit: string, title: string, label: string, urge: boolean): string;
  several(unit: string, counts: Record<Section, number>): string;
  footer: string;
}

const ZH: Words = {
  hello: (name) => `${name}，您好：`,
  intro: (unit, year) => `${unit}${year ? ` ${year} 年度` : ''}绩效评估：`,
  heading: {
    act: (n) => `需要您办理（${n} 项）：`,
    urge: (n) => `请您督促以下 ${n} 项逾期事项（由所列责任人办理，您无需亲自操作）：`,
    info: (n) => `供您知悉（${n} 项，无需操作）：`,
  },
  kind: {
    assigned: '新任务', 'review-requested': '待您审核', reminder: '到期提醒', rejected: '已退回', accepted: '已通过', urged: '催办', extended: '期限已延长',
    delegated: '委托您办理',
  },
  escalation: (n) => (n === undefined ? '逾期督办' : n <= 1 ? '首次督办' : `第 ${n} 次督办`),
  todo: (i) => (i.review ? '请您审核（通过或退回）' : i.n.kind === 'rejected' ? '请修改后重新提交' : '请您提交'),
  status: (i) => (i.late > 0 ? `，已逾期 ${i.late} 天`
    : i.n.daysBefore === 0 ? '，今天到期' : i.n.daysBefore !== undefined ? `，还有 ${i.n.daysBefore} 天` : ''),
  urge: (i, when) => `已逾期 ${i.late} 天；应由${i.who}${i.review ? '审核' : '提交'}，截止 ${when}。`,
  dueBy: (todo, when, status) => `${todo}，截止 ${when}${status}。`,
  copied: (names) => `已同时告知${names.join('、')}。`,
  reason: (r) => `退回理由：${r}`,
  urged: (by, message) => (message ? `${by}催办：${message}` : `${by}催您尽快办理。`),
  extendReason: (r) => `延期理由：${r}`,
  actingFor: (name) => `您代${name}办理此项（委托）。`,
  delegatedTo: (name) => `此项已委托${name}代为办理，本邮件抄送您知悉。`,
  item: (title, label) => `${title}【${label}】`,
  link: (s, url) => `${s === 'act' ? '办理' : '查看'}：${url}`,
  group: (name, n) => `${name}（${n} 项）`,
  unitWide: '全局事项',
  tag: (overdue) => (overdue ? '【逾期督办】' : '【绩效评估】'),
  one: (unit, title, label, urge) => `${unit}：${title}（${label}${urge ? '，请您督促' : ''}）`,
  several: (unit, c) => `${unit}：${[
    c.act && `${c.act} 项事项待您办理`, c.urge && `${c.urge} 项逾期事项请您督促`, c.info && `${c.info} 项已通过`,
  ].filter(Boolean).join('，')}`,
  footer: '本邮件由绩效评估系统（perfcycle）自动发送，请勿直接回复。',
};

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;
const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;

const EN: Words = {
  hello: (name) => `Dear ${name},`,
  intro: (unit, year) => `The ${year ? `${year} ` : ''}performance evaluation of ${unit}:`,
  heading: {
    act: (n) => `For you to act on (${n}):`,
    urge: (n) => `Overdue items for you to follow up (${n}; the person named acts, not you):`,
    info: (n) => `For your information (${n}; nothing to do):`,
  },
  kind: {
    assigned: 'New task', 'review-requested': 'Waiting for your review', reminder: 'Reminder', rejected: 'Sent back', accepted: 'Accepted',
    urged: 'Urged', extended: 'Deadline extended', delegated: 'Delegated to you',
  },
  escalation: (n) => (n === undefined ? 'Overdue' : n <= 1 ? 'First escalation' : `${ordinal(n)} escalation`),
  todo: (i) => (i.review ? 'Please review it (approve or send back)' : i.n.kind === 'rejected' ? 'Please revise and resubmit it' : 'Please submit it'),
  status: (i) => (i.late > 0 ? `; ${days(i.late)} overdue`
    : i.n.daysBefore === 0 ? '; due today' : i.n.daysBefore !== undefined ? `; ${days(i.n.daysBefore)} left` : ''),
  urge: (i, when) => `${days(i.late)} overdue; ${i.who} is to ${i.review ? 'review' : 'submit'} it, due ${when}.`,
  dueBy: (todo, when, status) => `${todo} by ${when}${status}.`,
  copied: (names) => `Also told: ${names.join(', ')}.`,
  reason: (r) => `Reason given: ${r}`,
  urged: (by, message) => (message ? `${by} urges you to act on it: ${message}` : `${by} urges you to act on it now.`),
  extendReason: (r) => `Reason for the extension: ${r}`,
  actingFor: (name) => `You act on it for ${name} (delegated).`,
  delegatedTo: (name) => `${name} acts on it for you (delegated); this copy is for your information.`,
  item: (title, label) => `${title} [${label}]`,
  link: (s, url) => `${s === 'act' ? 'Open' : 'View'}: ${url}`,
  group: (name, n) => `${name} (${n})`,
  unitWide: 'Unit-wide',
  tag: (overdue) => (overdue ? '[Overdue] ' : '[Performance evaluation] '),
  one: (unit, title, label, urge) => `${unit}: ${title} (${label}${urge ? ', please follow up' : ''})`,
  several: (unit, c) => `${unit}: ${[
    c.act && `${c.act} for you to act on`, c.urge && `${c.urge} overdue for you to follow up`, c.info && `${c.info} accepted`,
  ].filter(Boolean).join(', ')}`,
  footer: 'Sent automatically by perfcycle; please do not reply.',
};

export const langOf = (p: Pick<Person, 'lang'>): MailLang => (p.lang === 'en' ? 'en' : 'zh-CN');
export const wordsOf = (lang: MailLang): Words => (lang === 'en' ? EN : ZH);

/** The one label of an item: its kind, or which escalation it is. */
export function labelOf(w: Words, n: Notice): string {
  return isEscalation(n.kind) ? w.escalation(n.escalation) : w.kind[n.kind as keyof Words['kind']];
}

/** The portal's page of the item (client/api/pages), in the reader's language. */
export function itemUrl(ctx: DigestContext, n: Notice, lang: MailLang): string {
  const url = `${ctx.portalUrl.replace(/\/$/, '')}/cycles/${encodeURIComponent(ctx.cycleId)}/d/${encodeURIComponent(n.deliverableId)}`;
  return lang === 'en' ? `${url}?lang=en` : url;
}

/** One item per deliverable, told as its latest notice says (a new task already overdue is one item). */
export function itemsOf(ctx: DigestContext, w: Words): Item[] {
  const latest = new Map<string, Notice>();
  for (const n of ctx.notices) latest.set(n.deliverableId, n);
  // The mail's moment: a digest's notices share one slot.
  const at = new Date(Math.max(...ctx.notices.map((n) => Date.parse(n.slot))));
  const name = (id: string) => ctx.directory?.people.find((p) => p.id === id)?.name ?? id;
  return [...latest.values()].map((n) => {
    // Reminders and requests go to whoever must act; only escalations also reach someone else.
    const waiting = n.waitingFor ?? (isEscalation(n.kind) ? n.owner : n.to);
    // A delegate acts for the one waited for; the one who delegated reads a copy.
    const section: Section = n.kind === 'accepted' || n.delegatedTo ? 'info' : n.to === waiting || n.onBehalfOf ? 'act' : 'urge';
    return {
      n, section, late: overdueDays(n.due, at, ctx.timeZone),
      review: waiting !== n.owner || n.kind === 'review-requested',
      who: name(waiting),
      copied: (n.copied ?? []).filter((id) => id !== ctx.to.id).map(name),
      department: (n.department && ctx.directory?.departments.find((d) => d.id === n.department)?.name) ?? n.department ?? w.unitWide,
      ...(n.urgedBy && { urgedBy: name(n.urgedBy) }),
      ...(n.onBehalfOf && { actingFor: name(n.onBehalfOf) }), ...(n.delegatedTo && { delegatedTo: name(n.delegatedTo) }),
    };
  });
}

/** Most late first; then the earlier deadline; otherwise as raised. */
export const byLateness = (a: Item, b: Item) => b.late - a.late || Date.parse(a.n.due) - Date.parse(b.n.due);

/** The items to urge, by department (the latest department first), each department's most late first. */
export function byDepartment(items: Item[], ctx: DigestContext): Item[][] {
  const order = (d: string) => ctx.directory?.departments.findIndex((x) => x.name === d) ?? -1;
  const groups = new Map<string, Item[]>();
  for (const i of [...items].sort(byLateness)) groups.set(i.department, [...(groups.get(i.department) ?? []), i]);
  return [...groups.values()].sort((a, b) => b[0]!.late - a[0]!.late || order(a[0]!.department) - order(b[0]!.department));
}

export function renderDigest(ctx: DigestContext): DigestText {
  const lang = langOf(ctx.to);
  const w = wordsOf(lang);
  const when = (n: Notice) => formatDeadline(n.due, ctx.timeZone, lang);
  const title = (n: Notice) => (lang === 'en' ? n.title.en : n.title.zh);
  const items = itemsOf(ctx, w);
  const act = items.filter((i) => i.section === 'act').sort(byLateness);
  const urge = byDepartment(items.filter((i) => i.section === 'urge'), ctx);
  const info = items.filter((i) => i.section === 'info');

  let k = 0;
  const lines = (i: Item): string[] => [
    `${(k += 1)}. ${w.item(title(i.n), labelOf(w, i.n))}`,
    ...(i.section === 'act' ? [`   ${w.dueBy(w.todo(i), when(i.n), w.status(i))}`] : []),
    ...(i.section === 'urge' ? [`   ${w.urge(i, when(i.n))}`] : []),
    ...(i.section === 'act' && i.copied.length ? [`   ${w.copied(i.copied)}`] : []),
    ...(i.n.reason && i.n.kind === 'rejected' ? [`   ${w.reason(i.n.reason)}`] : []),
    ...(i.urgedBy && i.n.kind === 'urged' ? [`   ${w.urged(i.urgedBy, i.n.message)}`] : []),
    ...(i.n.reason && i.n.kind === 'extended' ? [`   ${w.extendReason(i.n.reason)}`] : []),
    ...(i.actingFor ? [`   ${w.actingFor(i.actingFor)}`] : []),
    ...(i.delegatedTo ? [`   ${w.delegatedTo(i.delegatedTo)}`] : []),
    `   ${w.link(i.section, itemUrl(ctx, i.n, lang))}`,
  ];
  const section = (s: Section, n: number, body: string[]) => (n ? [w.heading[s](n), '', ...body, ''] : []);
  const text = [
    w.hello(ctx.to.name), '', w.intro(ctx.unitName, ctx.year), '',
    ...section('act', act.length, act.flatMap(lines)),
    // Departments apart by a blank line, each under its name.
    ...section('urge', urge.flat().length, urge.flatMap((g, j) => [
      ...(j ? [''] : []), w.group(g[0]!.department, g.length), ...g.flatMap(lines),
    ])),
    ...section('info', info.length, info.flatMap(lines)),
    w.footer,
  ].join('\n');

  const overdue = items.some((i) => isEscalation(i.n.kind));
  const only = items.length === 1 ? items[0] : undefined;
  const subject = w.tag(overdue) + (only
    ? w.one(ctx.unitName, title(only.n), labelOf(w, only.n), only.section === 'urge')
    : w.several(ctx.unitName, { act: act.length, urge: urge.flat().length, info: info.length }));
  return { subject, text };
}

/** A notice's label as the mails say it (新任务, 到期提醒, 首次督办, 第 2 次督办 …), for the audit's words. */
export function noticeLabel(kind: NoticeKind, lang: MailLang, escalation?: number): string {
  const w = wordsOf(lang);
  return isEscalation(kind) ? w.escalation(escalation) : w.kind[kind as keyof Words['kind']] ?? kind;
}
