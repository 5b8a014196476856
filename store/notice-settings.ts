// Notice channels in the application database (issue 9): the chat robots of units and departments and
// each person's choice of channels and quiet hours. Every change is audited in the directory's chain,
// in the same transaction. A robot's address and secret are credentials: only `robotFor` (the worker's
// activity) reads them; everything shown to people is `RobotSummary`, without them.
import { robotId } from '../activities/channels/channel.js';
import {
  DEFAULT_PREFERENCE, noticePreferenceSchema, robotConfigSchema,
  type NoticeChannel, type NoticePreference, type RobotChannel, type RobotConfig,
} from '../domain/notice-settings.js';
import { DirectoryError, type DirectoryIssue } from '../domain/directory.js';
import { inTx, type Db } from './db.js';
import { changeDirectory, DirectoryNotFound } from './directory.js';

export interface RobotSummary {
  unit: string;
  department?: string;
  channel: RobotChannel;
  /** `dingtalk:1a2b3c4d`: a short hash of the address, for ledgers and logs. */
  robotId: string;
  signed: boolean;
  updatedBy: string;
  updatedAt: Date;
}

function invalid(issues: { path: PropertyKey[]; message: string }[]): DirectoryError {
  return new DirectoryError(issues.map((i): DirectoryIssue => ({ path: i.path.map(String).join('.'), message: i.message })));
}

/** The credential a robot is named by: DingTalk's access token, WeCom's key. */
const credentialOf = (r: RobotConfig) => new URL(r.webhook).searchParams.get(r.channel === 'dingtalk' ? 'access_token' : 'key') ?? r.webhook;

export function noticeSettingsStore(db: Db) {
  return {
    /** Sets (or replaces) a unit's or department's robot of one channel; errors name the field. */
    async setRobot(input: unknown, actor: string, now = new Date()): Promise<RobotSummary> {
      const parsed = robotConfigSchema.safeParse(input);
      if (!parsed.success) throw invalid(parsed.error.issues);
      const r = parsed.data;
      const id = robotId(r.channel, credentialOf(r));
      return changeDirectory(db, actor, now, async (tx, changes) => {
        const unit = await tx.selectFrom('org_units').select('id').where('id', '=', r.unit).executeTakeFirst();
        if (!unit) throw invalid([{ path: ['unit'], message: `组织目录中没有单位 "${r.unit}" / no unit "${r.unit}" in the directory` }]);
        if (r.department && !(await tx.selectFrom('org_departments').select('id').where('unit_id', '=', r.unit).where('id', '=', r.department).executeTakeFirst())) {
          throw invalid([{ path: ['department'], message: `单位 ${r.unit} 没有科室 "${r.department}" / unit ${r.unit} has no department "${r.department}"` }]);
        }
        const row = { unit_id: r.unit, department_id: r.department ?? '', channel: r.channel, webhook: r.webhook, secret: r.secret ?? null, robot_id: id, updated_by: actor, updated_at: now };
        await tx.insertInto('notice_robots').values(row)
          .onConflict((oc) => oc.columns(['unit_id', 'department_id', 'channel']).doUpdateSet({ webhook: r.webhook, secret: r.secret ?? null, robot_id: id, updated_by: actor, updated_at: now }))
          .execute();
        // The audit names the robot by its hash: the chain is readable by auditors, the credentials are not theirs.
        changes.add('robot-set', r.department ? `${r.unit}/${r.department}` : r.unit, `${id}${r.secret ? ' signed' : ''}`);
        return { unit: r.unit, ...(r.department && { department: r.department }), channel: r.channel, robotId: id, signed: !!r.secret, updatedBy: actor, updatedAt: now };
      });
    },

    /** Removes a robot; false when there was none. */
    removeRobot(where: { unit: string; department?: string; channel: RobotChannel }, actor: string, now = new Date()): Promise<boolean> {
      return changeDirectory(db, actor, now, async (tx, changes) => {
        const r = await tx.deleteFrom('notice_robots').where('unit_id', '=', where.unit).where('department_id', '=', where.department ?? '')
          .where('channel', '=', where.channel).returning('robot_id').executeTakeFirst();
        if (r) changes.add('robot-removed', where.department ? `${where.unit}/${where.department}` : where.unit, r.robot_id);
        return !!r;
      });
    },

    /** A unit's robots (all units when absent), without their credentials. */
    robots(unit?: string): Promise<RobotSummary[]> {
      return inTx(db, async (tx) => {
        let q = tx.selectFrom('notice_robots').select(['unit_id', 'department_id', 'channel', 'robot_id', 'secret', 'updated_by', 'updated_at']);
        if (unit) q = q.where('unit_id', '=', unit);
        const rows = await q.orderBy('unit_id').orderBy('department_id').orderBy('channel').execute();
        return rows.map((r) => ({
          unit: r.unit_id, ...(r.department_id && { department: r.department_id }), channel: r.channel as RobotChannel, robotId: r.robot_id,
          signed: r.secret !== null, updatedBy: r.updated_by, updatedAt: new Date(r.updated_at),
        }));
      });
    },

    /** The robot that reaches a person of this department: the department's own, else the unit's. With credentials. */
    robotFor(unit: string, department: string | undefined, channel: RobotChannel): Promise<RobotConfig | undefined> {
      return inTx(db, async (tx) => {
        const rows = await tx.selectFrom('notice_robots').selectAll().where('unit_id', '=', unit).where('channel', '=', channel)
          .where('department_id', 'in', department ? [department, ''] : ['']).execute();
        const r = rows.find((x) => x.department_id === (department ?? '')) ?? rows.find((x) => x.department_id === '');
        if (!r) return undefined;
        return { unit: r.unit_id, ...(r.department_id && { department: r.department_id }), channel: r.channel as RobotChannel, webhook: r.webhook, ...(r.secret && { secret: r.secret }) };
      });
    },

    /** A person's channels and quiet hours; e-mail only until they choose. */
    preference(personId: string): Promise<NoticePreference> {
      return inTx(db, async (tx) => {
        const r = await tx.selectFrom('notice_preferences').selectAll().where('person_id', '=', personId).executeTakeFirst();
        if (!r) return DEFAULT_PREFERENCE;
        return {
          channels: r.channels.split(',') as NoticeChannel[],
          ...(r.quiet_start && r.quiet_end && { quiet: { start: r.quiet_start, end: r.quiet_end } }),
        };
      });
    },

    /** Sets a person's preference (they set their own; an administrator may set anyone's); errors name the field. */
    async setPreference(personId: string, input: unknown, actor: string, now = new Date()): Promise<NoticePreference> {
      const parsed = noticePreferenceSchema.safeParse(input);
      if (!parsed.success) throw invalid(parsed.error.issues);
      const p = parsed.data;
      return changeDirectory(db, actor, now, async (tx, changes) => {
        if (!(await tx.selectFrom('accounts').select('id').where('id', '=', personId).executeTakeFirst())) {
          throw new DirectoryNotFound(`组织目录中没有此人 "${personId}" / "${personId}" is not in the organisation directory`);
        }
        const row = { channels: p.channels.join(','), quiet_start: p.quiet?.start ?? null, quiet_end: p.quiet?.end ?? null, updated_at: now };
        await tx.insertInto('notice_preferences').values({ person_id: personId, ...row })
          .onConflict((oc) => oc.column('person_id').doUpdateSet(row)).execute();
        changes.add('notice-preference-set', personId, `${row.channels}${p.quiet ? ` quiet ${p.quiet.start}-${p.quiet.end}` : ''}`);
        return p;
      });
    },
  };
}

export type NoticeSettingsStore = ReturnType<typeof noticeSettingsStore>;
