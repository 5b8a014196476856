// Notice channels over HTTP (issue 9): the chat robots of units and departments (a directory
// administrator for any unit, a unit's coordinator for their own; anyone else a 403 audited in the
// directory's chain), each person's own channels and quiet hours, and which channel reached whom in a
// cycle. A robot's address and secret go in and never come out: the answers carry its robotId and
// whether it is signed.
import type { FastifyInstance } from 'fastify';
import { UserError } from '../../errors.js';
import type { ApiContext } from '../context.js';
import { access } from '../guard.js';
import { noticeView, reachOf, removeRobot, requireRobotRights, robotRows, setNotices, setRobot, type RobotWhere } from '../notice-settings.js';
import { actorOf } from '../plugins/actor.js';
import { cycleParams, errorResponse } from '../schemas/cycle.js';
import {
  noticesBody, noticesResponse, reachResponse, robotBody, robotResponse, robotsQuery, robotsResponse, robotWhereBody, robotWhereQuery,
  type NoticesBody, type RobotBody,
} from '../schemas/notice-settings.js';

const tags = ['notices'];
const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

export function noticeSettingsRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { unit?: string } }>('/api/directory/robots', {
      schema: {
        summary: 'The chat robots (DingTalk, WeCom) of units and departments, without their addresses or secrets: every unit\'s for a directory administrator, one\'s own units\' for a coordinator',
        tags, querystring: robotsQuery, response: { 200: robotsResponse, ...errors },
      },
    }, async (request) => {
      const { unit } = request.query;
      const rights = await requireRobotRights(ctx, request, 'viewRobots', unit);
      return robotRows(ctx, rights, unit);
    });

    app.put<{ Body: RobotBody }>('/api/directory/robots', {
      schema: {
        summary: 'Set (or replace) the DingTalk or WeCom robot of a unit or one of its departments (an administrator, or the unit\'s coordinator; audited in the chain "directory")',
        description: 'The webhook must be https (http only on loopback) and carry access_token (DingTalk) or key (WeCom); a DingTalk 加签 secret is optional, a WeCom robot has none. '
          + 'The answer names the robot by robotId (a short hash of its address) and says whether it is signed; address and secret are never answered.',
        tags, body: robotBody, response: { 200: robotResponse, ...errors },
      },
    }, async (request) => {
      // Rights first: a refused person's address is not even looked at.
      const rights = await requireRobotRights(ctx, request, 'setRobot', request.body.unit);
      return setRobot(ctx, { ...request.body }, rights.actor);
    });

    app.delete<{ Body?: RobotWhere; Querystring: Partial<RobotWhere> }>('/api/directory/robots', {
      schema: {
        summary: 'Remove the robot of a unit or department on one channel (an administrator, or the unit\'s coordinator; audited): {unit, department?, channel} in the body or the query',
        tags, consumes: ['application/json'], querystring: robotWhereQuery,
        // Only a JSON body is checked against this; without a body, the query says which robot.
        body: { content: { 'application/json': { schema: robotWhereBody } } },
        response: { 200: { type: 'object', properties: { removed: { type: 'boolean' } } }, ...errors },
      },
    }, async (request) => {
      const where = (request.body && typeof request.body === 'object' ? request.body : request.query) as Partial<RobotWhere>;
      if (!where.unit) throw new UserError('unit: 请指明单位 / name the unit');
      if (!where.channel) throw new UserError('channel: 请指明渠道 dingtalk 或 wecom / name the channel, dingtalk or wecom');
      const rights = await requireRobotRights(ctx, request, 'removeRobot', where.unit);
      await removeRobot(ctx, { unit: where.unit, channel: where.channel, ...(where.department && { department: where.department }) }, rights.actor);
      return { removed: true };
    });

    app.get('/api/me/notices', {
      schema: {
        summary: 'The signed-in person\'s notice channels and quiet hours, and whether a robot of their department (or else unit) reaches them by DingTalk and by WeCom',
        tags, response: { 200: noticesResponse, ...errors },
      },
    }, async (request) => noticeView(ctx, actorOf(request)));

    app.put<{ Body: NoticesBody }>('/api/me/notices', {
      schema: {
        summary: 'Set one\'s own notice channels (email, dingtalk, wecom; at least one) and quiet hours (HH:mm, may run over midnight); audited',
        description: 'A chat channel with no robot for one\'s department or unit is not used, and during the quiet hours no chat message is sent: the notice goes by e-mail instead.',
        tags, body: noticesBody, response: { 200: noticesResponse, ...errors },
      },
    }, async (request) => setNotices(ctx, actorOf(request), request.body));

    app.get<{ Params: { cycleId: string } }>('/api/cycles/:cycleId/reach', {
      schema: {
        summary: 'Per department, which channel reached whom in the cycle: each person\'s messages by channel, sent, refused (a robot\'s refusal falls back to e-mail) and pending',
        description: 'Everyone for the office, the director and the efficiency office; a department head or responsible leader sees the people of their departments and themselves; anyone else of the cycle themselves.',
        tags: ['cycles'], params: cycleParams, response: { 200: reachResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse },
      },
    }, async (request) => {
      const { cycleId } = request.params;
      const a = await access(ctx, request, cycleId, 'reach');
      return { cycleId, departments: await reachOf(ctx, a, cycleId) };
    });
  };
}
