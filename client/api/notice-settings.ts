// Notice channels over HTTP (issue 9), shared by the JSON API (routes/notice-settings.ts) and the pages
// (pages/notice-pages.ts, the account page): who may set a unit's chat robots, the robots as people read
// them (names, never credentials), a person's own channels with whether a robot reaches them, and which
// channel reached whom in a cycle.
//
// A robot's webhook address and its secret are credentials: they go from the request to the store and
// nowhere else. No answer, page, log line or audit line carries them: answers and pages are built from
// the store's summaries (robotId, signed), errors name the field and the reason only.
import type { FastifyRequest } from 'fastify';
import { DirectoryError } from '../../domain/directory.js';
import { clip, LIMITS } from '../../domain/limits.js';
import { NOTICE_CHANNELS, ROBOT_CHANNELS, type NoticePreference, type RobotChannel } from '../../domain/notice-settings.js';
import { DEFAULT_ZONE, toZonedIso } from '../../domain/time.js';
import type { DirectoryEntry, OrgDepartment, OrgUnit } from '../../store/directory.js';
import type { RobotSummary } from '../../store/notice-settings.js';
import { UserError } from '../errors.js';
import type { Member } from '../portal/rights.js';
import type { ApiContext } from './context.js';
import type { Access } from './guard.js';
import { actorOf } from './plugins/actor.js';

export type RobotAction = 'viewRobots' | 'setRobot' | 'removeRobot';

/** Whose robots the caller may see and change: every unit's (an administrator), or the units they coordinate. */
export interface RobotRights { actor: string; admin: boolean; units: OrgUnit[] }

const refusalReason = (actor: string, unit?: string) => (unit
  ? `${actor} 无权管理单位 ${unit} 的通知机器人，只有组织目录管理员或该单位的协调人可以 / ${actor} may not manage the notice robots of unit ${unit}; only a directory administrator or the unit's coordinator may`
  : `${actor} 无权管理通知机器人，只有组织目录管理员或单位的协调人可以 / ${actor} may not manage notice robots; only a directory administrator or a unit's coordinator may`);

/** The caller's rights over robots, without refusing anyone (the account page asks whether to link to them). */
export async function robotRights(ctx: ApiContext, actor: string): Promise<RobotRights> {
  const directory = ctx.cycles.store.directory;
  const units = await directory.units();
  if (await directory.isAdmin(actor)) return { actor, admin: true, units };
  return { actor, admin: false, units: units.filter((u) => u.coordinator === actor) };
}

/**
 * A directory administrator, for any unit; a unit's coordinator, for that unit (and, without `unit`, for
 * the units they coordinate). Anyone else: the refusal goes to the directory's audit chain, then a 403.
 */
export async function requireRobotRights(ctx: ApiContext, request: FastifyRequest, action: RobotAction, unit?: string): Promise<RobotRights> {
  const actor = actorOf(request);
  const rights = await robotRights(ctx, actor);
  if (rights.admin) return rights;
  if (unit ? rights.units.some((u) => u.id === unit) : rights.units.length > 0) return rights;
  const reason = refusalReason(actor, unit);
  await ctx.cycles.store.directory.recordRefusal({ actor: clip(actor, LIMITS.personId), action, subject: clip(unit ?? 'directory', LIMITS.id), reason }, ctx.now());
  throw new UserError(reason, 'refused');
}

/** One robot as people and the API read it: names beside the ids, who set it and when; never its address or secret. */
export interface RobotRow {
  unit: string;
  unitName: string;
  /** Absent: the unit's own robot, for people of departments without theirs. */
  department?: string;
  departmentName?: string;
  channel: RobotChannel;
  /** `dingtalk:1a2b3c4d`: a short hash of the address, to tell robots apart. */
  robotId: string;
  /** DingTalk 加签: the robot has a secret. */
  signed: boolean;
  updatedBy: string;
  updatedByName: string;
  /** ISO-8601, +08:00. */
  updatedAt: string;
}

export interface DirectoryNames { units: Map<string, string>; departments: Map<string, string>; people: Map<string, string> }

export async function directoryNames(ctx: ApiContext): Promise<DirectoryNames & { unitList: OrgUnit[]; departmentList: OrgDepartment[] }> {
  const d = ctx.cycles.store.directory;
  const [units, departments, people] = await Promise.all([d.units(), d.departments(), d.people()]);
  return {
    unitList: units, departmentList: departments,
    units: new Map(units.map((u) => [u.id, u.name])),
    departments: new Map(departments.map((x) => [`${x.unit}/${x.id}`, x.name])),
    people: new Map(people.map((p) => [p.id, p.name])),
  };
}

export function robotRow(r: RobotSummary, names: DirectoryNames): RobotRow {
  return {
    unit: r.unit, unitName: names.units.get(r.unit) ?? r.unit,
    ...(r.department && { department: r.department, departmentName: names.departments.get(`${r.unit}/${r.department}`) ?? r.department }),
    channel: r.channel, robotId: r.robotId, signed: r.signed,
    updatedBy: r.updatedBy, updatedByName: names.people.get(r.updatedBy) ?? r.updatedBy,
    updatedAt: toZonedIso(r.updatedAt, DEFAULT_ZONE),
  };
}

/** The robots of the units the caller may manage (`unit`: one of them), with names. */
export async function robotRows(ctx: ApiContext, rights: RobotRights, unit?: string): Promise<RobotRow[]> {
  const names = await directoryNames(ctx);
  const allowed = new Set(rights.units.map((u) => u.id));
  const summaries = await ctx.cycles.store.notices.robots(unit);
  return summaries.filter((r) => rights.admin || allowed.has(r.unit)).map((r) => robotRow(r, names));
}

/** The store's errors (DirectoryError, its issues naming the field) as a 400 naming `prefix.field`. */
function invalid(err: unknown, prefix: string): unknown {
  if (!(err instanceof DirectoryError)) return err;
  return new UserError(err.issues.map((i) => `${prefix}${i.path}: ${i.message}`).join('\n'));
}

/**
 * Sets a robot (rights already checked for its unit). An address that is no URL at all is refused here,
 * before the domain's schema, whose https check would otherwise throw on it (the address, a credential,
 * would then reach the error log).
 */
export async function setRobot(ctx: ApiContext, input: Record<string, unknown>, actor: string, prefix = 'body.'): Promise<RobotRow> {
  const webhook = typeof input.webhook === 'string' ? input.webhook.trim() : '';
  if (!webhook) throw new UserError(`${prefix}webhook: 请填写机器人的 Webhook 地址 / the robot's webhook address is required`);
  if (!URL.canParse(webhook)) throw new UserError(`${prefix}webhook: 不是有效网址 / not a valid URL`);
  const secret = typeof input.secret === 'string' && input.secret.trim() ? input.secret : undefined;
  const department = typeof input.department === 'string' && input.department ? input.department : undefined;
  let summary: RobotSummary;
  try {
    summary = await ctx.cycles.store.notices.setRobot({ unit: input.unit, ...(department && { department }), channel: input.channel, webhook, ...(secret && { secret }) }, actor, ctx.now());
  } catch (err) {
    throw invalid(err, prefix);
  }
  return robotRow(summary, await directoryNames(ctx));
}

export interface RobotWhere { unit: string; department?: string; channel: RobotChannel }

/** Removes a robot (rights already checked); a 404 when there is none. */
export async function removeRobot(ctx: ApiContext, where: RobotWhere, actor: string): Promise<void> {
  const removed = await ctx.cycles.store.notices.removeRobot({ unit: where.unit, ...(where.department && { department: where.department }), channel: where.channel }, actor, ctx.now());
  if (!removed) {
    throw new UserError(`channel: ${where.department ? `${where.unit}/${where.department}` : where.unit} 没有${where.channel === 'dingtalk' ? '钉钉' : '企业微信'}机器人 / no ${where.channel} robot there`, 'not-found');
  }
}

// ---- a person's own channels ----

/** Whether a chat channel reaches the person, and by whose robot: their department's, else their unit's. */
export interface ChannelReachability { available: boolean; scope?: 'department' | 'unit' }

export interface NoticeView extends NoticePreference {
  robots: Record<RobotChannel, ChannelReachability>;
  unit?: { id: string; name: string };
  department?: { id: string; name: string };
}

/** Which robot reaches a person of this unit and department, as the worker's `robotFor` picks it. */
export function reachability(robots: readonly Pick<RobotSummary, 'unit' | 'department' | 'channel'>[], person: Pick<DirectoryEntry, 'unit' | 'department'>): Record<RobotChannel, ChannelReachability> {
  const out = {} as Record<RobotChannel, ChannelReachability>;
  for (const c of ROBOT_CHANNELS) {
    const mine = robots.filter((r) => r.channel === c && r.unit === person.unit);
    if (person.department && mine.some((r) => r.department === person.department)) out[c] = { available: true, scope: 'department' };
    else if (mine.some((r) => !r.department)) out[c] = { available: true, scope: 'unit' };
    else out[c] = { available: false };
  }
  return out;
}

async function personOf(ctx: ApiContext, personId: string): Promise<DirectoryEntry> {
  const person = await ctx.cycles.store.directory.person(personId);
  if (!person) throw new UserError(`${personId}: 组织目录中没有此人 / not in the organisation directory`, 'not-found');
  return person;
}

export async function noticeView(ctx: ApiContext, personId: string): Promise<NoticeView> {
  const store = ctx.cycles.store;
  const person = await personOf(ctx, personId);
  const [pref, robots] = await Promise.all([store.notices.preference(personId), person.unit ? store.notices.robots(person.unit) : Promise.resolve([])]);
  const names = person.unit ? await directoryNames(ctx) : undefined;
  return {
    channels: pref.channels, ...(pref.quiet && { quiet: pref.quiet }),
    robots: reachability(robots, person),
    ...(person.unit && { unit: { id: person.unit, name: names?.units.get(person.unit) ?? person.unit } }),
    ...(person.unit && person.department && { department: { id: person.department, name: names?.departments.get(`${person.unit}/${person.department}`) ?? person.department } }),
  };
}

/** Sets the person's own channels and quiet hours; errors name the field (`prefix` + channels, quiet.end …). */
export async function setNotices(ctx: ApiContext, personId: string, input: unknown, prefix = 'body.'): Promise<NoticeView> {
  await personOf(ctx, personId);
  try {
    await ctx.cycles.store.notices.setPreference(personId, input, personId, ctx.now());
  } catch (err) {
    throw invalid(err, prefix);
  }
  return noticeView(ctx, personId);
}

// ---- which channel reached whom in a cycle ----

export interface ReachLine { channel: string; sent: number; refused: number; pending: number; /** ISO-8601 in the cycle's zone */ lastSentAt?: string }
export interface ReachPerson { personId: string; name: string; channels: ReachLine[] }
export interface ReachDepartment { /** absent: people of no department of the cycle */ id?: string; name?: string; people: ReachPerson[] }

/**
 * Per department, each person's messages by channel in the cycle (store.mail.reach). A person's
 * department is the directory's (within the cycle's unit), else the one they head in the cycle. Whoever
 * follows the whole cycle sees everyone; a head or a responsible leader the people of their departments
 * (the departments the dashboard shows them) and themselves; anyone else themselves.
 */
export async function reachOf(ctx: ApiContext, a: Access, cycleId: string): Promise<ReachDepartment[]> {
  const store = ctx.cycles.store;
  const input = a.input;
  const lines = await store.mail.reach(cycleId);
  const ids = [...new Set(lines.map((l) => l.personId))];
  const entries = new Map((await store.directory.people(ids)).map((p) => [p.id, p]));
  const deptOf = (id: string): string | undefined => {
    const e = entries.get(id);
    if (e?.department && (!input || e.unit === input.unit.id)) return e.department;
    return input?.departments.find((d) => d.owner === id)?.id;
  };
  const sees = (m: Member | undefined) => (id: string) => {
    if (!m || m.unitWide) return true;
    const dept = deptOf(id);
    return id === m.id || (!!dept && (m.owns.includes(dept) || m.leads.includes(dept)));
  };
  const visible = sees(a.member);
  const zone = input?.timeZone ?? DEFAULT_ZONE;
  const people = new Map<string, ReachPerson>();
  for (const l of lines) {
    if (!visible(l.personId)) continue;
    const name = input?.people.find((p) => p.id === l.personId)?.name ?? entries.get(l.personId)?.name ?? l.personId;
    const p = people.get(l.personId) ?? { personId: l.personId, name, channels: [] };
    p.channels.push({ channel: l.channel, sent: l.sent, refused: l.refused, pending: l.pending, ...(l.lastSentAt && { lastSentAt: toZonedIso(l.lastSentAt, zone) }) });
    people.set(l.personId, p);
  }
  const order = (c: string) => (NOTICE_CHANNELS as readonly string[]).indexOf(c) + 1 || 99;
  for (const p of people.values()) p.channels.sort((x, y) => order(x.channel) - order(y.channel));
  const deptNames = new Map((await store.directory.departments()).filter((d) => !input || d.unit === input.unit.id).map((d) => [d.id, d.name]));
  for (const d of input?.departments ?? []) deptNames.set(d.id, d.name);
  const groups = new Map<string, ReachDepartment>();
  for (const p of people.values()) {
    const dept = deptOf(p.personId);
    const key = dept ?? '';
    const g = groups.get(key) ?? { ...(dept && { id: dept, name: deptNames.get(dept) ?? dept }), people: [] };
    g.people.push(p);
    groups.set(key, g);
  }
  // In the cycle's order of departments, then the others, then people of no department.
  const rank = (g: ReachDepartment) => {
    if (!g.id) return 1e6;
    const i = input?.departments.findIndex((d) => d.id === g.id) ?? -1;
    return i < 0 ? 1e5 : i;
  };
  return [...groups.values()].sort((x, y) => rank(x) - rank(y) || (x.name ?? '').localeCompare(y.name ?? '', 'zh-CN'));
}
