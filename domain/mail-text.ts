// The words of a mail: zh-CN first, English below, deadlines in the cycle's local time.
import type { Person } from './cycle-file.js';
import type { Notice, NoticeKind } from './notices.js';
import { formatLocal } from './time.js';

const KIND: Record<NoticeKind, { zh: string; en: string }> = {
  assigned: { zh: '新任务', en: 'New task' },
  'review-requested': { zh: '待您审核', en: 'Waiting for your review' },
  reminder: { zh: '到期提醒', en: 'Reminder' },
  'escalate-leader': { zh: '逾期督办（责任领导）', en: 'Overdue: escalated to the responsible leader' },
  'escalate-director': { zh: '逾期督办（局长）', en: 'Overdue: escalated to the director' },
  'overdue-repeat': { zh: '持续逾期督办', en: 'Still overdue' },
  rejected: { zh: '已退回，请修改后重新提交', en: 'Sent back: please revise and resubmit' },
  accepted: { zh: '已通过', en: 'Accepted' },
};

export interface DigestText { subject: string; text: string }

export interface DigestContext {
  unitName: string;
  cycleId: string;
  to: Person;
  notices: Notice[];
  timeZone: string;
  portalUrl?: string;
}

function howTo(n: Notice, ctx: DigestContext): { zh: string; en: string } {
  const cli = `npx perfcycle`;
  const escalation = n.kind === 'escalate-leader' || n.kind === 'escalate-director' || n.kind === 'overdue-repeat';
  // Reminders and requests go to whoever must act; only escalations also reach someone else.
  const waiting = n.waitingFor ?? (escalation ? n.owner : n.to);
  if (n.kind === 'accepted') return { zh: '无需操作。', en: 'Nothing to do.' };
  if (n.to !== waiting) return { zh: `请督促 ${waiting} 尽快办理。`, en: `Please follow up with ${waiting}.` };
  if (waiting !== n.owner || n.kind === 'review-requested') {
    const cmd = `${cli} approve ${ctx.cycleId} ${n.deliverableId} --as ${n.to}`;
    return { zh: `审核：${cmd}（或 reject … --reason 理由）`, en: `Review: ${cmd} (or reject … --reason TEXT)` };
  }
  const cmd = `${cli} submit ${ctx.cycleId} ${n.deliverableId} --as ${n.to}`;
  return { zh: `提交：${cmd} --file 文件`, en: `Submit: ${cmd} --file FILE` };
}

/** The portal's page of the item (client/api/pages), so a click leads straight to it. */
function itemUrl(ctx: DigestContext, n: Notice): string {
  return `${ctx.portalUrl?.replace(/\/$/, '')}/cycles/${ctx.cycleId}/d/${n.deliverableId}`;
}

/** One line per deliverable: a new task that is already overdue is one item, not two. */
function mergeByDeliverable(notices: Notice[]): (Notice & { kinds: NoticeKind[] })[] {
  const merged = new Map<string, Notice & { kinds: NoticeKind[] }>();
  for (const n of notices) {
    const seen = merged.get(`${n.deliverableId}|${n.to}`);
    if (seen) {
      if (!seen.kinds.includes(n.kind)) seen.kinds.push(n.kind);
    } else {
      merged.set(`${n.deliverableId}|${n.to}`, { ...n, kinds: [n.kind] });
    }
  }
  return [...merged.values()];
}

export function renderDigest(ctx: DigestContext): DigestText {
  const { timeZone } = ctx;
  const notices = mergeByDeliverable(ctx.notices);
  const overdue = ctx.notices.some((n) => n.kind.startsWith('escalate') || n.kind === 'overdue-repeat');
  const tag = overdue ? '【逾期督办】' : '【绩效评估】';
  const subject = notices.length === 1
    ? `${tag}${ctx.unitName}：${notices[0]?.title.zh}（${notices[0]?.kinds.map((k) => KIND[k].zh).join('、')}）`
    : `${tag}${ctx.unitName}：您有 ${notices.length} 项事项 / ${notices.length} items`;
  const zh = notices.map((n, i) => [
    `${i + 1}. ${n.title.zh}【${n.kinds.map((k) => KIND[k].zh).join('、')}】`,
    `   截止时间：${formatLocal(n.due, timeZone)}${n.daysBefore !== undefined ? `（还有 ${n.daysBefore} 天）` : ''}`,
    ...(n.reason ? [`   退回理由：${n.reason}`] : []),
    `   ${howTo(n, ctx).zh}`,
    ...(ctx.portalUrl ? [`   网上办理：${itemUrl(ctx, n)}`] : []),
  ].join('\n'));
  const en = notices.map((n, i) => [
    `${i + 1}. ${n.title.en} [${n.kinds.map((k) => KIND[k].en).join('; ')}]`,
    `   Due: ${formatLocal(n.due, timeZone)}${n.daysBefore !== undefined ? ` (${n.daysBefore} days left)` : ''}`,
    ...(n.reason ? [`   Reason: ${n.reason}`] : []),
    `   ${howTo(n, ctx).en}`,
    ...(ctx.portalUrl ? [`   Online: ${itemUrl(ctx, n)}?lang=en`] : []),
  ].join('\n'));
  const portal = ctx.portalUrl ? [`网上办理 / Online: ${ctx.portalUrl}`, ''] : [];
  const text = [
    `${ctx.to.name}，您好：`, '', `${ctx.unitName}绩效评估（${ctx.cycleId}）有以下事项需要您办理：`, '', ...zh, '',
    ...portal, '—— English ——', `Dear ${ctx.to.name},`, '', `The performance evaluation ${ctx.cycleId} needs your attention:`, '', ...en, '',
    '本邮件由 perfcycle 自动发送 / sent by perfcycle',
  ].join('\n');
  return { subject, text };
}
