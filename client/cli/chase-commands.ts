// Chasing an item by hand, as a signed-in person over the API: urge (催办) whoever must act on it now,
// extend (延期) its deadline, delegate (委托 / 转办) one's items to a colleague. The server decides who
// may, and says why not.
import type { Command } from 'commander';
import type { Delegation } from '../../domain/delegation.js';
import { DEFAULT_ZONE, formatDay, formatMoment } from '../../domain/time.js';
import type { StatusView } from '../cycle-client.js';
import { AS_HELP, asPerson, deliverableAction, seg, type Api } from './api-client.js';
import { json, out } from './io.js';
import { cycleNames, namer } from './names.js';

/** A delegation in words: who acts for whom, on what, from when to when. */
async function delegationLine(api: Api, cycleId: string, d: Delegation): Promise<string> {
  const known = await cycleNames(api, cycleId);
  const names = namer(known);
  const zone = known?.timeZone ?? DEFAULT_ZONE;
  const day = (x?: string) => (x ? formatDay(x, zone, 'zh-CN') : '');
  const status = await api.json<StatusView>('GET', `/api/cycles/${seg(cycleId)}`).catch(() => undefined);
  const title = d.deliverableId ? status?.deliverables.find((x) => x.id === d.deliverableId)?.title.zh ?? d.deliverableId : undefined;
  const what = title ? `「${title}」` : `${day(d.start)}至${day(d.end)}的全部事项`;
  const state = d.revokedAt ? `（已于 ${formatMoment(d.revokedAt, zone, 'zh-CN')} 收回）` : '';
  return `${d.id}. ${d.toName} 代 ${names.person(d.from)} 办理${what}${d.reason ? `，理由：${d.reason}` : ''}${state}`;
}

export function registerChaseCommands(program: Command): void {
  program.command('urge <cycle> <deliverable>')
    .description('催办：立即发邮件提醒现在应办理的人（每人每天一次）/ urge whoever must act on an item now: one mail at once (once a day per person)')
    .option('--as <id>', AS_HELP)
    .option('--message <text>', '留言 / words for the person urged')
    .option('--json', 'JSON')
    .action(async (id: string, deliverable: string, opts: { as?: string; message?: string; json?: boolean }) => {
      const snap = await asPerson(opts.as, (api) => deliverableAction(api, id, deliverable, 'urge', { ...(opts.message && { message: opts.message }) }));
      if (opts.json) json(snap); else out(`已催办 / urged ${snap.actors.join(', ') || snap.owner}: ${deliverable}`);
    });

  program.command('extend <cycle> <deliverable>')
    .description('延期：把事项的期限推后（局办公室）/ extend an item\'s deadline to a later day (the coordinator)')
    .option('--as <id>', AS_HELP)
    .requiredOption('--due <date>', '新的期限 YYYY-MM-DD，须在今天以后 / the new due date, after today')
    .requiredOption('--reason <text>', '延期理由 / why')
    .option('--json', 'JSON')
    .action(async (id: string, deliverable: string, opts: { as?: string; due: string; reason: string; json?: boolean }) => {
      const snap = await asPerson(opts.as, (api) => deliverableAction(api, id, deliverable, 'extend', { due: opts.due, reason: opts.reason }));
      // The deadline is an instant with the cycle's offset: its first ten characters are the cycle's day.
      if (opts.json) json(snap); else out(`已延期 / extended ${deliverable}: 新期限 new due ${snap.due.slice(0, 10)}`);
    });

  program.command('delegate <cycle>')
    .description('委托 / 转办：把一个事项（--item）或一段时间内的全部事项（--start 与 --end）交给组织目录中的同事代为办理 / hand one item, or all your items for a span of days, to a colleague')
    .option('--as <id>', AS_HELP)
    .requiredOption('--to <person>', '受托同事（组织目录中的编号）/ the colleague who acts (a directory id)')
    .option('--item <deliverable>', '一个事项 / one item')
    .option('--start <date>', '委托期间第一天 YYYY-MM-DD / first day of the span')
    .option('--end <date>', '委托期间最后一天 YYYY-MM-DD（最长 92 天）/ last day of the span (at most 92 days)')
    .option('--for <person>', '替谁委托（局办公室转办）/ whose work to hand on (the coordinator only)')
    .option('--reason <text>', '理由 / why')
    .option('--json', 'JSON')
    .action(async (id: string, opts: { as?: string; to: string; item?: string; start?: string; end?: string; for?: string; reason?: string; json?: boolean }) => {
      await asPerson(opts.as, async (api) => {
        const d = await api.json<Delegation>('POST', `/api/cycles/${seg(id)}/delegations`, {
          to: opts.to, ...(opts.for && { from: opts.for }), ...(opts.item && { deliverableId: opts.item }),
          ...(opts.start && { start: opts.start }), ...(opts.end && { end: opts.end }), ...(opts.reason && { reason: opts.reason }),
        });
        if (opts.json) json(d); else out(`已委托 / delegated: ${await delegationLine(api, id, d)}`);
      });
    });

  program.command('delegations <cycle>')
    .description('本周期的委托（含已收回的）/ the delegations of a cycle, revoked ones too')
    .option('--as <id>', AS_HELP)
    .option('--json', 'JSON')
    .action(async (id: string, opts: { as?: string; json?: boolean }) => {
      await asPerson(opts.as, async (api) => {
        const list = await api.json<Delegation[]>('GET', `/api/cycles/${seg(id)}/delegations`);
        if (opts.json) return json(list);
        if (!list.length) return out('没有委托 / no delegations');
        for (const d of list) out(await delegationLine(api, id, d));
      });
    });

  program.command('undelegate <cycle> <number>')
    .description('收回委托（委托人、被代办人或局办公室）/ take a delegation back')
    .option('--as <id>', AS_HELP)
    .option('--json', 'JSON')
    .action(async (id: string, n: string, opts: { as?: string; json?: boolean }) => {
      await asPerson(opts.as, async (api) => {
        const d = await api.json<Delegation>('POST', `/api/cycles/${seg(id)}/delegations/${seg(n)}/revoke`);
        if (opts.json) json(d); else out(`已收回 / revoked: ${await delegationLine(api, id, d)}`);
      });
    });
}
