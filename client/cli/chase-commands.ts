// Chasing an item by hand, as a signed-in person over the API: urge (催办) whoever must act on it now,
// extend (延期) its deadline, delegate (委托 / 转办) one's items to a colleague. The server decides who
// may, and says why not.
import type { Delegation } from '../../domain/delegation.js';
import { DEFAULT_ZONE, formatDay, formatMoment } from '../../domain/time.js';
import type { StatusView } from '../cycle-client.js';
import { asPerson, deliverableAction, seg, type Api } from './api-client.js';
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

// The actions (their command lines: register/chase.ts).

export async function urge(id: string, deliverable: string, opts: { as?: string; message?: string; json?: boolean }): Promise<void> {
  const snap = await asPerson(opts.as, (api) => deliverableAction(api, id, deliverable, 'urge', { ...(opts.message && { message: opts.message }) }));
  if (opts.json) json(snap); else out(`已催办 / urged ${snap.actors.join(', ') || snap.owner}: ${deliverable}`);
}

export async function extend(id: string, deliverable: string, opts: { as?: string; due: string; reason: string; json?: boolean }): Promise<void> {
  const snap = await asPerson(opts.as, (api) => deliverableAction(api, id, deliverable, 'extend', { due: opts.due, reason: opts.reason }));
  // The deadline is an instant with the cycle's offset: its first ten characters are the cycle's day.
  if (opts.json) json(snap); else out(`已延期 / extended ${deliverable}: 新期限 new due ${snap.due.slice(0, 10)}`);
}

export async function delegate(id: string, opts: { as?: string; to: string; item?: string; start?: string; end?: string; for?: string; reason?: string; json?: boolean }): Promise<void> {
  await asPerson(opts.as, async (api) => {
    const d = await api.json<Delegation>('POST', `/api/cycles/${seg(id)}/delegations`, {
      to: opts.to, ...(opts.for && { from: opts.for }), ...(opts.item && { deliverableId: opts.item }),
      ...(opts.start && { start: opts.start }), ...(opts.end && { end: opts.end }), ...(opts.reason && { reason: opts.reason }),
    });
    if (opts.json) json(d); else out(`已委托 / delegated: ${await delegationLine(api, id, d)}`);
  });
}

export async function delegations(id: string, opts: { as?: string; json?: boolean }): Promise<void> {
  await asPerson(opts.as, async (api) => {
    const list = await api.json<Delegation[]>('GET', `/api/cycles/${seg(id)}/delegations`);
    if (opts.json) return json(list);
    if (!list.length) return out('没有委托 / no delegations');
    for (const d of list) out(await delegationLine(api, id, d));
  });
}

export async function undelegate(id: string, n: string, opts: { as?: string; json?: boolean }): Promise<void> {
  await asPerson(opts.as, async (api) => {
    const d = await api.json<Delegation>('POST', `/api/cycles/${seg(id)}/delegations/${seg(n)}/revoke`);
    if (opts.json) json(d); else out(`已收回 / revoked: ${await delegationLine(api, id, d)}`);
  });
}
