// The words of a notice digest in a chat channel (DingTalk or WeCom group robot): short markdown (or
// plain text, where a channel can mention by mobile only in text) with each item's title and label,
// what is asked, the deadline in local time, days late, and the item's portal link; the director's
// digest grouped by department. The items, their order and their words are the mail's
// (domain/mail-text.ts): a chat message says what the mail says, shorter. Pure: workflow code may use it.
//
// A robot refuses a message over its size (DingTalk 20000 bytes of body, WeCom 4096 bytes of markdown,
// 2048 of text): a digest that does not fit is cut after as many whole items as fit, with a last line
// "…及其他 N 项" linking to the cycle's page, never refused and never cut mid-item.
import {
  byDepartment, byLateness, itemsOf, itemUrl, labelOf, langOf, renderDigest, wordsOf,
  type DigestContext, type Item, type MailLang, type Section, type Words,
} from './mail-text.js';
import type { Notice } from './notices.js';
import { formatDeadline } from './time.js';

export type ChannelFormat = 'markdown' | 'text';

export interface ChannelText {
  /** The message's title (DingTalk shows it in the notification and the chat list): the mail's subject. */
  title: string;
  body: string;
  /** Items shown, and items left out for size (named by count in the last line). */
  shown: number;
  omitted: number;
}

export interface ChannelTextOptions {
  format: ChannelFormat;
  /** Whether a body fits the channel (its byte limit, measured as the channel sends it); default: all fits. */
  fits?: (body: string) => boolean;
}

interface ChatWords {
  linkText(s: Section): string;
  more(n: number, url: string): string;
}

const CHAT: Record<MailLang, ChatWords> = {
  'zh-CN': {
    linkText: (s) => (s === 'act' ? '办理' : '查看'),
    more: (n, url) => `…及其他 ${n} 项，请在系统中查看：${url}`,
  },
  en: {
    linkText: (s) => (s === 'act' ? 'Open' : 'View'),
    more: (n, url) => `… and ${n} more in the portal: ${url}`,
  },
};

/**
 * Text from people (titles, names, reasons) must not become markup: no link, no emphasis, and above all
 * no WeCom `<@userid>` mention of someone else. The look-alike full-width characters read the same.
 */
export function neutralize(s: string): string {
  return s.replace(/[<>[\]*`_#]/g, (c) => ({ '<': '＜', '>': '＞', '[': '［', ']': '］', '*': '＊', '`': 'ˋ', _: '＿', '#': '＃' })[c] ?? c);
}

const utf8 = new TextEncoder();
/** The size a robot measures: UTF-8 bytes. */
export const byteLength = (s: string): number => utf8.encode(s).length;

/** The cycle's own page in the portal: where the items left out of a cut digest are. */
function cycleUrl(ctx: DigestContext, lang: MailLang): string {
  const url = `${ctx.portalUrl.replace(/\/$/, '')}/cycles/${encodeURIComponent(ctx.cycleId)}`;
  return lang === 'en' ? `${url}?lang=en` : url;
}

interface Entry { item: Item; section: Section; group?: Item[] }

export function renderChannelDigest(ctx: DigestContext, opts: ChannelTextOptions): ChannelText {
  const lang = langOf(ctx.to);
  const w: Words = wordsOf(lang);
  const chat = CHAT[lang];
  const md = opts.format === 'markdown';
  const clean = md ? neutralize : (s: string) => s;
  const bold = (s: string) => (md ? `**${s}**` : s);
  const link = (s: Section, url: string) => (md ? `[${chat.linkText(s)}](${url})` : w.link(s, url));
  // Markdown: a hard line break inside an item, a blank line between blocks (both robots render it).
  const br = md ? '  \n' : '\n';
  const when = (n: Notice) => formatDeadline(n.due, ctx.timeZone, lang);
  const title = (n: Notice) => clean(lang === 'en' ? n.title.en : n.title.zh);

  // The mail's items, in the mail's order: to act on (most late first), to urge by department, for information.
  const items = itemsOf(ctx, w).map((i) => ({
    ...i, who: clean(i.who), department: clean(i.department), copied: i.copied.map(clean),
    ...(i.urgedBy && { urgedBy: clean(i.urgedBy) }), ...(i.actingFor && { actingFor: clean(i.actingFor) }),
    ...(i.delegatedTo && { delegatedTo: clean(i.delegatedTo) }),
  }));
  const act = items.filter((i) => i.section === 'act').sort(byLateness);
  const urge = byDepartment(items.filter((i) => i.section === 'urge'), ctx);
  const info = items.filter((i) => i.section === 'info');
  const entries: Entry[] = [
    ...act.map((item) => ({ item, section: 'act' as const })),
    ...urge.flatMap((group) => group.map((item) => ({ item, section: 'urge' as const, group }))),
    ...info.map((item) => ({ item, section: 'info' as const })),
  ];
  const totals: Record<Section, number> = { act: act.length, urge: urge.flat().length, info: info.length };

  const itemLines = (i: Item, k: number): string[] => [
    bold(`${k}. ${w.item(title(i.n), labelOf(w, i.n))}`),
    ...(i.section === 'act' ? [w.dueBy(w.todo(i), when(i.n), w.status(i))] : []),
    ...(i.section === 'urge' ? [w.urge(i, when(i.n))] : []),
    ...(i.n.reason && i.n.kind === 'rejected' ? [w.reason(clean(i.n.reason))] : []),
    ...(i.urgedBy && i.n.kind === 'urged' ? [w.urged(i.urgedBy, i.n.message && clean(i.n.message))] : []),
    ...(i.n.reason && i.n.kind === 'extended' ? [w.extendReason(clean(i.n.reason))] : []),
    ...(i.actingFor ? [w.actingFor(i.actingFor)] : []),
    ...(i.delegatedTo ? [w.delegatedTo(i.delegatedTo)] : []),
    link(i.section, itemUrl(ctx, i.n, lang)),
  ];

  const render = (shown: number): string => {
    const blocks: string[] = [`${bold(w.intro(clean(ctx.unitName), ctx.year))}${br}${w.hello(clean(ctx.to.name))}`];
    let section: Section | undefined;
    let group: Item[] | undefined;
    entries.slice(0, shown).forEach((e, j) => {
      if (e.section !== section) blocks.push(bold(w.heading[e.section](totals[e.section])));
      if (e.group && e.group !== group) blocks.push(bold(w.group(e.group[0]!.department, e.group.length)));
      section = e.section;
      group = e.group;
      blocks.push(itemLines(e.item, j + 1).join(br));
    });
    const omitted = entries.length - shown;
    if (omitted > 0) {
      const url = cycleUrl(ctx, lang);
      blocks.push(chat.more(omitted, md ? `[${url}](${url})` : url));
    }
    return blocks.join('\n\n');
  };

  // As many whole items as fit, from the first (the most urgent): the largest count whose body fits
  // (a binary search; a body grows with each item shown, the last line aside).
  const fits = opts.fits ?? (() => true);
  let shown = entries.length;
  if (!fits(render(shown))) {
    let lo = 0;
    let hi = entries.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(render(mid))) lo = mid;
      else hi = mid - 1;
    }
    shown = lo;
  }
  const body = render(shown);
  return { title: renderDigest(ctx).subject, body, shown, omitted: entries.length - shown };
}
