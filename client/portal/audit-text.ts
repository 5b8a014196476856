// The audit as people read it: each entry's codes and parameters (action, role, `key=value` details,
// ids) told as a sentence with people's and departments' names and the items' titles, in the reader's
// language. The words are the catalogue's (i18n.ts: `act.<action>` names the action, `say.<action>` tells
// it); this module only reads the parameters out of the stored detail. The stored entry is unchanged:
// JSON and CSV keep the codes for machines, the CSV adds these words beside them.
//
// An action this module does not parse is told by `say.<action>` when the catalogue has it, with the
// actor, the item's title and every `key=value` of its detail (people named) as parameters; otherwise by
// `say.other`.
import type { AuditEntry } from '../../domain/audit.js';
import { UNIT_GRADE_LABELS } from '../../domain/bonus.js';
import type { CycleInput } from '../../domain/cycle.js';
import type { Text } from '../../domain/deliverables.js';
import { VETOES } from '../../domain/grading.js';
import { noticeLabel } from '../../domain/mail-text.js';
import type { NoticeKind } from '../../domain/notices.js';
import { PHASE_LABELS, type Phase } from '../../domain/phases.js';
import { FIGURES, isFigureName } from '../../domain/score-sheet.js';
import { endOfDay, formatDay } from '../../domain/time.js';
import { EVIDENCE_CATEGORIES, isEvidenceCategory } from '../../domain/target-ledger.js';
import { deadlineText, hasKey, pick, ROLE_LABEL, tr, type Lang } from './i18n.js';
import { allSpecs } from './rights.js';

/** The names an audit speaks of: the cycle's people, departments, items (with their review stages) and targets. */
export interface AuditNames {
  people: Map<string, string>;
  departments: Map<string, string>;
  items: Map<string, { title: Text; stages: Text[] }>;
  targets: Map<string, string>;
  cycleId?: string;
  unit?: string;
  zone: string;
  /** The directory's units and departments, for its own chain: `unit` and `unit/department` → name. */
  places?: Map<string, string>;
}

/** `delegations`: colleagues who acted for someone (委托) need not be people of the cycle; the delegation has their name. */
export function auditNames(input: CycleInput | undefined, more: { items?: { id: string; title: Text }[]; targets?: { id: string; title: string }[]; delegations?: { to: string; toName: string }[] } = {}): AuditNames {
  const items = new Map<string, { title: Text; stages: Text[] }>();
  for (const d of more.items ?? []) items.set(d.id, { title: d.title, stages: [] });
  for (const s of input ? allSpecs(input) : []) items.set(s.id, { title: s.title, stages: s.stages.map((x) => x.label) });
  return {
    people: new Map([...(more.delegations ?? []).map((d): [string, string] => [d.to, d.toName]), ...(input?.people.map((p): [string, string] => [p.id, p.name]) ?? [])]),
    departments: new Map(input?.departments.map((d) => [d.id, d.name])),
    items, targets: new Map(more.targets?.map((t) => [t.id, t.title])),
    ...(input && { cycleId: input.cycleId, unit: `${input.unit.name} ${input.year}` }),
    zone: input?.timeZone ?? 'Asia/Shanghai',
  };
}

/**
 * The names the directory's own audit chain (`directory`: imports, administrators, robots, people's notice
 * channels) speaks of: its people, and its units and departments as places ("晋江市自然资源局 规划科").
 */
export function directoryAuditNames(d: { units: { id: string; name: string }[]; departments: { unit: string; id: string; name: string }[]; people: { id: string; name: string }[] }): AuditNames {
  const units = new Map(d.units.map((u) => [u.id, u.name]));
  return {
    people: new Map(d.people.map((p) => [p.id, p.name])),
    departments: new Map(),
    items: new Map(), targets: new Map(), zone: 'Asia/Shanghai',
    places: new Map([...units, ...d.departments.map((x): [string, string] => [`${x.unit}/${x.id}`, `${units.get(x.unit) ?? x.unit} ${x.name}`])]),
  };
}

/** A unit, or a unit's department (`unit/department`), by name. */
function placeText(subject: string, names: AuditNames): string | undefined {
  const known = names.places?.get(subject);
  if (known) return known;
  const [unit, dept] = subject.split('/') as [string, string | undefined];
  if (!dept || !names.places) return undefined;
  return `${names.places.get(unit) ?? unit} ${names.departments.get(dept) ?? dept}`;
}

/** A notice channel (email, dingtalk, wecom) in words; an unknown code as it is. */
export function channelText(lang: Lang, channel: string): string {
  const key = `channel.${channel}`;
  return hasKey(key) ? tr(lang, key) : channel;
}

/** "钉钉、邮件", "DingTalk and E-mail", "DingTalk, WeCom and E-mail"; undefined for none. */
function listText(lang: Lang, words: string[] | undefined): string | undefined {
  if (!words?.length) return undefined;
  if (lang !== 'en' || words.length === 1) return words.join(lang === 'en' ? '' : '、');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Where a pair "中文 / English" (or "「…」/ English") splits: a slash and a space after a space or a Chinese character. */
const PAIR = /(?:(?<=\s)|(?<=[^\x00-\x7f]))\/ /;
const CJK = /[\u3400-\u9fff\uff00-\uffef]/;

/**
 * A text written for both languages ("中文 / English", as refusals and errors are) in the reader's, with
 * people's ids, the cycle's id and items' ids (those with a hyphen: `summary-law`) replaced by names.
 */
export function spoken(lang: Lang, text: string, names: AuditNames): string {
  // Line by line: a list of errors has a language pair on each line.
  const half = text.split('\n').map((line) => {
    const cut = PAIR.exec(line);
    if (!cut) return line;
    const [first, second] = [line.slice(0, cut.index).trimEnd(), line.slice(cut.index + cut[0].length)];
    // Most pairs are Chinese first; some English first: the Chinese half is the one with Chinese in it.
    const zhFirst = CJK.test(first) || !CJK.test(second);
    return (lang === 'en') === zhFirst ? second : first;
  }).join('\n');
  return namedIn(lang, half, names);
}

/** People's ids, the cycle's id, items' ids (those with a hyphen: `summary-law`) and the directory's units in `text` replaced by names. */
export function namedIn(lang: Lang, text: string, names: AuditNames): string {
  const words = new Map<string, string>(names.people);
  for (const [id, item] of names.items) if (id.includes('-')) words.set(id, pick(lang, item.title));
  if (names.cycleId && names.unit) words.set(names.cycleId, names.unit);
  for (const [place, name] of names.places ?? []) words.set(place, name);
  if (!words.size) return text;
  const ids = [...words.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
  return text.replace(new RegExp(`(?<![\\w-])(${ids.join('|')})(?![\\w-])`, 'g'), (id) => words.get(id) ?? id);
}

/** Who acted: a delegate (委托) with the person they acted for, "王志明（代 张建国）". */
function actorText(lang: Lang, e: Pick<AuditEntry, 'actor' | 'onBehalfOf'>, names: AuditNames): string {
  const actor = personText(lang, e.actor, names);
  return e.onBehalfOf ? tr(lang, 'actingFor', { actor, for: personText(lang, e.onBehalfOf, names) }) : actor;
}

/** A person (or the system, or an operator) by name. */
export function personText(lang: Lang, id: string, names: AuditNames): string {
  if (id === 'system') return tr(lang, 'system');
  if (id.startsWith('operator:')) return tr(lang, 'operator', { who: id.slice('operator:'.length) });
  return names.people.get(id) ?? id;
}

const people = (lang: Lang, ids: string[], names: AuditNames) => ids.map((id) => personText(lang, id, names)).join(lang === 'en' ? ', ' : '、');

/** The roles an entry records (`coordinator director`, `owner:planning`, `system` …) in words. */
export function roleText(lang: Lang, role: string, names: AuditNames): string {
  return role.split(/\s+/).filter(Boolean).map((r) => {
    const [name, dept] = r.split(':') as [string, string | undefined];
    if ((name === 'owner' || name === 'leader') && dept) return tr(lang, name === 'owner' ? 'role.owner' : 'role.leader', { dept: names.departments.get(dept) ?? dept });
    if (ROLE_LABEL[name]) return pick(lang, ROLE_LABEL[name]);
    const key = `role.${name}`;
    return hasKey(key) ? tr(lang, key) : r;
  }).join(lang === 'en' ? ', ' : '、');
}

/** What an entry is about: an item's title, a target, a figure, the cycle; several items (a mail) joined. */
export function subjectText(lang: Lang, subject: string, names: AuditNames): string {
  return subject.split(',').map((id) => {
    const item = names.items.get(id);
    if (item) return pick(lang, item.title);
    const target = names.targets.get(id);
    if (target) return `${id} ${target}`;
    if (id === names.cycleId && names.unit) return names.unit;
    const place = placeText(id, names);
    if (place) return place;
    const figure = id.startsWith('figure:') ? id.slice('figure:'.length) : undefined;
    if (figure && isFigureName(figure)) return pick(lang, FIGURES[figure]);
    return names.people.get(id) ?? id;
  }).join(lang === 'en' ? '; ' : '、');
}

export function actionText(lang: Lang, action: string): string {
  const key = `act.${action}`;
  return hasKey(key) ? tr(lang, key) : action;
}

/** `key=value` pairs of a detail (values without spaces). */
const param = (detail: string, key: string): string | undefined => new RegExp(`(?:^|\\s)${key}=(\\S+)`).exec(detail)?.[1];
const phase = (lang: Lang, p: string) => (Object.hasOwn(PHASE_LABELS, p) ? pick(lang, PHASE_LABELS[p as Phase]) : p);
const mailLang = (lang: Lang) => (lang === 'en' ? 'en' : 'zh-CN');
/** A reason, a note, a file: an optional tail of a sentence. */
const tail = (lang: Lang, key: 'say.reason' | 'say.note' | 'say.file' | 'say.detail', text: string | undefined, names: AuditNames) =>
  (text?.trim() ? tr(lang, key, { text: spoken(lang, text.trim(), names) }) : '');

/** The entry's sentence; `nth` is the how-many-th escalation of its deadline (escalations only). */
function sentence(lang: Lang, e: AuditEntry, names: AuditNames, nth: number): string {
  const d = e.detail ?? '';
  const actor = actorText(lang, e, names);
  const title = subjectText(lang, e.subject, names);
  const who = (id: string | undefined) => (id ? people(lang, id.split(/,\s*/), names) : '');
  switch (e.action) {
    case 'cycle-started': return tr(lang, 'say.cycle-started', { actor, unit: names.unit ?? title });
    case 'phase-changed': {
      const [from = '', to = ''] = d.split(' → ');
      return tr(lang, 'say.phase-changed', { from: phase(lang, from), to: phase(lang, to) });
    }
    case 'deliverable-opened': {
      const due = param(d, 'due');
      return tr(lang, 'say.deliverable-opened', { owner: who(param(d, 'owner')), title, due: due ? deadlineText(lang, due, names.zone) : '' });
    }
    case 'submitted': return tr(lang, 'say.submitted', { actor, title }) + tail(lang, 'say.note', d, names);
    case 'approved': {
      if (e.actor === 'system') return tr(lang, 'say.accepted', { title });
      const stage = names.items.get(e.subject)?.stages.find((s) => s.zh === d);
      return tr(lang, 'say.approved', { actor, title, stage: stage ? pick(lang, stage) : d });
    }
    case 'rejected': return tr(lang, 'say.rejected', { actor, title, reason: spoken(lang, d, names) });
    case 'reminder-sent': case 'result-published': {
      const kinds = (param(d, 'kinds') ?? '').split('+').filter(Boolean).map((k) => noticeLabel(k as NoticeKind, mailLang(lang)));
      const grade = param(d, 'grade') ?? '';
      const failed = /delivered after (\d+) failed/.exec(d)?.[1];
      // Lines written since issue 9 say by which channels (via=dingtalk+email); older ones went by e-mail.
      const via = listText(lang, param(d, 'via')?.split('+').filter(Boolean).map((c) => channelText(lang, c)));
      return e.action === 'result-published'
        ? tr(lang, 'say.result-published', { to: who(param(d, 'to')), grade: gradeText(lang, grade) })
        : tr(lang, via ? 'say.reminder-sent-via' : 'say.reminder-sent', { to: who(param(d, 'to')), kinds: kinds.join(lang === 'en' ? ', ' : '、'), via: via ?? '' })
          + (failed ? tr(lang, 'say.deliveredAfter', { n: failed }) : '');
    }
    case 'notice-fallback': {
      // The robot is named by a hash in the detail: the sentence names the person, the channel and why, never the robot.
      const reason = param(d, 'reason') ?? 'rejected';
      const key = `fallback.${reason}`;
      return tr(lang, 'say.notice-fallback', { to: who(param(d, 'to')), channel: channelText(lang, param(d, 'channel') ?? ''), reason: tr(lang, hasKey(key) ? key : 'fallback.rejected') });
    }
    case 'robot-set': case 'robot-removed': {
      const channel = channelText(lang, d.split(':')[0] ?? '');
      return tr(lang, `say.${e.action}`, { actor, place: title, channel, signed: e.action === 'robot-set' && /\ssigned$/.test(d) ? tr(lang, 'say.robotSigned') : '' });
    }
    case 'notice-preference-set': {
      const m = /^(\S+)(?: quiet (\d{2}:\d{2})-(\d{2}:\d{2}))?$/.exec(d);
      const channels = (m?.[1] ?? d).split(',').filter(Boolean).map((c) => channelText(lang, c)).join(lang === 'en' ? ', ' : '、');
      const quiet = m?.[2] ? tr(lang, 'say.quiet', { start: m[2], end: m[3] ?? '' }) : '';
      const self = e.subject === e.actor;
      return tr(lang, self ? 'say.notice-preference-set' : 'say.notice-preference-setFor', { actor, person: personText(lang, e.subject, names), channels, quiet });
    }
    case 'escalated': {
      const m = /^(\S+) → (.*) \(waiting for (.+)\)$/.exec(d);
      return tr(lang, 'say.escalated', { to: who(m?.[2]), nth: noticeLabel('overdue-repeat', mailLang(lang), nth), waiting: who(m?.[3]) });
    }
    case 'mail-failed': {
      const unknown = /^unknown person (.+)$/.exec(d);
      if (unknown) return tr(lang, 'say.unknownRecipient', { to: who(unknown[1]) });
      const m = /^(result )?to=(\S+): (.*)$/s.exec(d);
      return tr(lang, m?.[1] ? 'say.resultMailFailed' : 'say.mail-failed', { to: who(m?.[2]), reason: m?.[3] ?? d });
    }
    case 'mail-delayed': {
      const m = /^to=(\S+) attempts=(\d+): (.*)$/s.exec(d);
      return tr(lang, 'say.mail-delayed', { to: who(m?.[1]), n: m?.[2] ?? '', reason: m?.[3] ?? d });
    }
    case 'refused': {
      const cut = d.indexOf(': ');
      const [verb, reason] = cut < 0 ? ['', d] : [d.slice(0, cut), d.slice(cut + 2)];
      const key = `verb.${verb}`;
      return tr(lang, 'say.refused', { actor, verb: tr(lang, hasKey(key) ? key : 'verb.other'), title, reason: spoken(lang, reason, names) });
    }
    case 'urged': {
      const m = /^to=(\S+?)(?:: (.*))?$/s.exec(d);
      return tr(lang, 'say.urged', { actor, title, to: who(m?.[1]) }) + tail(lang, 'say.note', m?.[2], names);
    }
    case 'deadline-extended': {
      const m = /^(\d{4}-\d{2}-\d{2}) → (\d{4}-\d{2}-\d{2}): (.*)$/s.exec(d);
      if (!m) return tr(lang, 'say.other', { actor, action: actionText(lang, e.action), title }) + tail(lang, 'say.detail', d, names);
      const day = (x: string) => deadlineText(lang, endOfDay(x, names.zone), names.zone);
      return tr(lang, 'say.deadline-extended', { actor, title, from: day(m[1]!), to: day(m[2]!), reason: spoken(lang, m[3]!, names) });
    }
    case 'delegated': {
      const m = /^to=(\S+)(?: (\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2}))?(?:: (.*))?$/s.exec(d);
      const day = (x: string) => formatDay(x, names.zone, mailLang(lang));
      const vars = { actor: personText(lang, e.actor, names), to: who(m?.[1]), from: who(e.onBehalfOf ?? e.actor), title, start: day(m?.[2] ?? ''), end: day(m?.[3] ?? '') };
      const key = `say.delegated${m?.[2] ? 'Span' : ''}${e.onBehalfOf ? 'For' : ''}` as 'say.delegated';
      return tr(lang, key, vars) + tail(lang, 'say.reason', m?.[4], names);
    }
    case 'delegation-revoked':
      return tr(lang, 'say.delegation-revoked', { actor: personText(lang, e.actor, names), to: who(param(d, 'to')), n: param(d, 'id') ?? '' });
    case 'review-window-opened': case 'review-window-closed': case 'scoring-prepared': case 'cycle-closed':
      return tr(lang, `say.${e.action}`);
    case 'deliverable-closed': return tr(lang, 'say.deliverable-closed', { title, why: spoken(lang, d, names) });
    case 'targets-imported': {
      const m = /^(\d+) 项目标 targets \(职能 functional ([\d.]+) \+ 行政能力 administrative ([\d.]+)\)(?:; (.*) sha256=[0-9a-f]+)?$/s.exec(d);
      if (!m) return tr(lang, 'say.other', { actor, action: actionText(lang, e.action), title }) + tail(lang, 'say.detail', d, names);
      return tr(lang, 'say.targets-imported', { actor, n: m[1]!, functional: m[2]!, administrative: m[3]! }) + tail(lang, 'say.file', m[4], names);
    }
    case 'evidence-filed': {
      const m = /^[^/]*\/(\S+) (.*?) sha256=[0-9a-f]+(?:; (.*))?$/s.exec(d);
      const category = m && isEvidenceCategory(m[1]!) ? pick(lang, EVIDENCE_CATEGORIES[m[1]]) : m?.[1] ?? '';
      return tr(lang, 'say.evidence-filed', { actor, title, category }) + tail(lang, 'say.file', m?.[2], names) + tail(lang, 'say.note', m?.[3], names);
    }
    case 'target-marked': case 'mark-corrected': {
      const m = /^([^/]+)\/(\S+?)(?:；理由 reason: (.*?))?(?:; (.*))?$/s.exec(d);
      return tr(lang, `say.${e.action}`, { actor, title, mark: m?.[1] ?? d, points: m?.[2] ?? '' })
        + tail(lang, 'say.reason', m?.[3], names) + tail(lang, 'say.note', m?.[4], names);
    }
    case 'figure-entered': case 'figure-corrected': case 'vetoes-set': {
      const m = /^(.*?)；来源 source: (.*?)(?:；理由 reason: (.*))?$/s.exec(d);
      const value = m?.[1] ?? d;
      const source = m?.[2] ?? '';
      const reason = tail(lang, 'say.reason', m?.[3], names);
      if (e.action === 'vetoes-set') {
        const vetoes = value === '无 none' ? tr(lang, 'vetoesNone')
          : value.split(', ').map((v) => pick(lang, VETOES.find((x) => x.name === v) ?? { zh: v, en: v })).join(lang === 'en' ? '; ' : '；');
        return tr(lang, 'say.vetoes-set', { actor, vetoes, source }) + reason;
      }
      return tr(lang, `say.${e.action}`, { actor, figure: title, value: value === '不适用 n/a' ? tr(lang, 'notApplicable') : value, source }) + reason;
    }
    case 'graded': {
      const m = /^(\w+) 第 (\d+)\/(\d+) 名 rank, ([\d.]+); (.*) \([^()]*\)$/s.exec(d);
      if (!m) return tr(lang, 'say.other', { actor, action: actionText(lang, e.action), title }) + tail(lang, 'say.detail', d, names);
      return `${tr(lang, 'say.graded', { actor, grade: gradeText(lang, m[1]!), rank: m[2]!, units: m[3]!, score: m[4]! })}${lang === 'en' ? '. ' : '。'}${spoken(lang, m[5]!, names)}`;
    }
    default: {
      const key = `say.${e.action}`;
      if (hasKey(key)) {
        const vars: Record<string, string> = { actor, title, detail: spoken(lang, d, names) };
        for (const [, k, v] of d.matchAll(/(?:^|\s)(\w+)=(\S+)/g)) vars[k!] = names.people.has(v!) ? who(v) : v!;
        return tr(lang, key, vars);
      }
      return tr(lang, 'say.other', { actor, action: actionText(lang, e.action), title }) + tail(lang, 'say.detail', d, names);
    }
  }
}

const GRADE_EN: Record<string, string> = { excellent: 'Excellent', good: 'Good', fair: 'Fair', poor: 'Poor' };

export function gradeText(lang: Lang, grade: string): string {
  return (lang === 'en' ? GRADE_EN[grade] : UNIT_GRADE_LABELS[grade as keyof typeof UNIT_GRADE_LABELS]) ?? grade;
}

/** One entry in words: who (by name), in which roles, the action, the subject and the whole sentence. */
export interface AuditWords { actor: string; role: string; action: string; subject: string; text: string }

/** Escalations of the same deadline: reset by anything that moves the item (opened, submitted, approved, sent back …). */
const QUIET = new Set(['escalated', 'reminder-sent', 'notice-fallback', 'mail-failed', 'mail-delayed', 'refused', 'urged']);

/** Every entry in words; `entries` in their order (an escalation's count needs the entries before it). */
export function auditWords(lang: Lang, entries: readonly AuditEntry[], names: AuditNames): AuditWords[] {
  const escalations = new Map<string, number>();
  return entries.map((e) => {
    if (e.action === 'escalated') escalations.set(e.subject, (escalations.get(e.subject) ?? 0) + 1);
    else if (!QUIET.has(e.action)) escalations.delete(e.subject);
    return {
      actor: actorText(lang, e, names), role: roleText(lang, e.role, names), action: actionText(lang, e.action),
      subject: subjectText(lang, e.subject, names), text: sentence(lang, e, names, escalations.get(e.subject) ?? 1),
    };
  });
}
