// Notice channels' pages (issue 9): the robots of units and departments (/robots; /admin shows the same
// section), their forms, and which channel reached whom in a cycle (/cycles/<id>/reach). The same checks
// and store calls as the JSON API (api/notice-settings.ts): a refused person gets the 403 page and the
// refusal is audited. A robot's address and secret go from the form to the store and nowhere else: a
// refused save shows the form again with both fields empty.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROBOT_CHANNELS, type RobotChannel } from '../../../domain/notice-settings.js';
import { UserError } from '../../errors.js';
import { tr, type Lang } from '../../portal/i18n.js';
import { formError, reachPage, robotsPage, type RobotsView } from '../../portal/pages/notices.js';
import type { ApiContext } from '../context.js';
import { access } from '../guard.js';
import { directoryNames, reachOf, removeRobot, requireRobotRights, robotRows, setRobot, type RobotRights } from '../notice-settings.js';
import { cycleParams } from '../schemas/cycle.js';
import { frame, sendPage } from './frame.js';

type Form = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '').trim();
const backOf = (b: Form): RobotsView['back'] => (one(b.back) === '/admin' ? '/admin' : '/robots');

/** The robots the reader may manage and where they may set one: each unit, then its departments, by name. */
export async function robotsView(ctx: ApiContext, rights: RobotRights, back: RobotsView['back'], lang: Lang, attempt?: RobotsView['attempt']): Promise<RobotsView> {
  const names = await directoryNames(ctx);
  const units = rights.admin ? names.unitList : rights.units;
  const places = units.flatMap((u) => [
    { value: u.id, label: `${u.name} · ${tr(lang, 'wholeUnit')}` },
    ...names.departmentList.filter((d) => d.unit === u.id).map((d) => ({ value: `${u.id}/${d.id}`, label: `${u.name} · ${d.name}` })),
  ]);
  return { rows: await robotRows(ctx, rights), places, back, ...(attempt && { attempt }) };
}

export function noticePages(ctx: ApiContext) {
  const show = async (request: FastifyRequest, reply: FastifyReply, rights: RobotRights, o: { message?: string; error?: string; attempt?: RobotsView['attempt']; back?: RobotsView['back'] } = {}, status = 200) => {
    const f = await frame(ctx, request, reply, '');
    const view = await robotsView(ctx, rights, o.back ?? '/robots', f.lang, o.attempt);
    return sendPage(reply, robotsPage({ ...f, title: tr(f.lang, 'robots') }, { ...view, ...(o.message && { message: o.message }), ...(o.error && { error: formError(f.lang, o.error) }) }), status);
  };

  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { done?: string } }>('/robots', { schema: { hide: true } }, async (request, reply) => {
      const rights = await requireRobotRights(ctx, request, 'viewRobots');
      const lang = (await frame(ctx, request, reply, '')).lang;
      const done = request.query.done === 'saved' ? tr(lang, 'robotSaved') : request.query.done === 'removed' ? tr(lang, 'robotRemoved') : undefined;
      return show(request, reply, rights, { ...(done && { message: done }) });
    });

    app.post<{ Body: Form }>('/robots/set', { schema: { hide: true } }, async (request, reply) => {
      const b = request.body ?? {};
      const [unit = '', department] = one(b.place).split('/');
      const channel = one(b.channel);
      // Rights first: a refused person's address is not even looked at.
      const rights = await requireRobotRights(ctx, request, 'setRobot', unit);
      const back = backOf(b);
      try {
        await setRobot(ctx, { unit, ...(department && { department }), channel, webhook: one(b.webhook), secret: one(b.secret) }, rights.actor, '');
      } catch (err) {
        if (!(err instanceof UserError && err.code === 'invalid')) throw err;
        return show(request, reply, rights, { error: err.message, back, attempt: { place: one(b.place), ...(ROBOT_CHANNELS.includes(channel as RobotChannel) && { channel }) } }, 400);
      }
      return reply.redirect(back === '/admin' ? '/admin?robot=saved#robots' : '/robots?done=saved', 303);
    });

    app.post<{ Body: Form }>('/robots/remove', { schema: { hide: true } }, async (request, reply) => {
      const b = request.body ?? {};
      const unit = one(b.unit);
      const channel = one(b.channel);
      const department = one(b.department);
      const rights = await requireRobotRights(ctx, request, 'removeRobot', unit);
      if (!ROBOT_CHANNELS.includes(channel as RobotChannel)) throw new UserError('channel: 应为 dingtalk 或 wecom / must be dingtalk or wecom');
      await removeRobot(ctx, { unit, channel: channel as RobotChannel, ...(department && { department }) }, rights.actor);
      return reply.redirect(backOf(b) === '/admin' ? '/admin?robot=removed#robots' : '/robots?done=removed', 303);
    });

    app.get<{ Params: { cycleId: string } }>('/cycles/:cycleId/reach', { schema: { hide: true, params: cycleParams } }, async (request, reply) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId, 'reach');
      if (!a.input) throw new UserError(`找不到评估周期 ${cycleId} / no such cycle in the portal`, 'not-found');
      const departments = await reachOf(ctx, a, cycleId);
      const f = await frame(ctx, request, reply, '', cycleId);
      return sendPage(reply, reachPage({ ...f, title: tr(f.lang, 'reach') }, { input: a.input, departments }));
    });
  };
}
