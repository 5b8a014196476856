// The personal calendar feed. Calendar apps cannot sign in, so the address itself is the secret
// (a random token per person, replaceable on the account page).
import type { FastifyInstance } from 'fastify';
import { UserError } from '../../errors.js';
import { icalFeed } from '../../portal/ical.js';
import { currentTasks, upcomingTasks, type Task } from '../../portal/tasks.js';
import type { ApiContext } from '../context.js';
import { errorResponse } from '../schemas/cycle.js';

export function icalRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { token: string } }>('/ical/:token.ics', {
      schema: {
        summary: 'A person\'s deadlines as iCalendar (text/calendar); the address is on the account page',
        tags: ['calendar'],
        params: { type: 'object', required: ['token'], properties: { token: { type: 'string', pattern: '^[A-Za-z0-9_-]{20,100}$' } } },
        response: { 404: errorResponse },
      },
    }, async (request, reply) => {
      const account = await ctx.users.byIcalToken(request.params.token);
      if (!account) throw new UserError('token: 没有该日历 / no such calendar', 'not-found');
      const tasks: (Task & { timeZone: string })[] = [];
      for (const cycleId of account.cycles) {
        const input = await ctx.directory.get(cycleId);
        if (!input) continue;
        const status = await ctx.cycles.status(cycleId).catch(() => undefined);
        const mine = [...(status ? currentTasks(account.id, status) : []), ...upcomingTasks(account.id, input, status, ctx.now())];
        tasks.push(...mine.map((t) => ({ ...t, timeZone: input.timeZone })));
      }
      return reply.type('text/calendar; charset=utf-8')
        .header('content-disposition', 'inline; filename="perfcycle.ics"')
        .header('cache-control', 'private, max-age=300')
        .send(icalFeed({ name: account.name, tasks, portalUrl: ctx.settings.publicUrl, now: ctx.now() }));
    });
  };
}
