// Notice channels in the application database (issue 9), on both databases: a unit's and its
// departments' chat robots (a department's own robot before the unit's), read back without their
// credentials except by the worker's robotFor; each person's channels and quiet hours (e-mail until they
// choose); every change a line in the directory's audit chain that names the robot by its hash, never
// by its token, key or secret; a refused input is a DirectoryError naming the field and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { robotId } from '../../activities/channels/channel.js';
import { directoryOfCycle, DirectoryError } from '../../domain/directory.js';
import type { Store } from '../../store/index.js';
import { exampleCycle } from '../helpers/cycle.js';
import { DB_KINDS, testStore } from '../helpers/db.js';

const OP = 'operator:test';
const directory = directoryOfCycle(exampleCycle('notices'));
const UNIT = directory.units[0]!.id;

const DING_TOKEN = '5f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e';
const DING_SECRET = 'SEC0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f';
const LAW_TOKEN = 'e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4';
const LAW_SECRET = 'SECffeeddccbbaa99887766554433221100';
const WECOM_KEY = '693a91f6-7a0c-4bc4-97a0-0ec2b1fa5aaa';
const WECOM_KEY_2 = '0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
const CREDENTIALS = [DING_TOKEN, DING_SECRET, LAW_TOKEN, LAW_SECRET, WECOM_KEY, WECOM_KEY_2];

const dingUrl = (token: string) => `https://oapi.dingtalk.com/robot/send?access_token=${token}`;
const wecomUrl = (key: string) => `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${key}`;

function noCredentials(value: unknown): void {
  const s = JSON.stringify(value);
  for (const c of CREDENTIALS) {
    expect(s).not.toContain(c);
    expect(s).not.toContain(encodeURIComponent(c));
  }
}

/**
 * The error a call fails with. A thunk: setRobot and setPreference check their input before they return
 * a promise, so a bad input throws at the call rather than rejecting (an `await` in a try sees both).
 */
async function refusal(call: () => Promise<unknown>): Promise<unknown> {
  return (async () => call())().then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e);
}

/** A DirectoryError's issues as "path: message". */
async function issuesOf(call: () => Promise<unknown>): Promise<string[]> {
  const err = await refusal(call);
  expect(err).toBeInstanceOf(DirectoryError);
  return (err as DirectoryError).issues.map((i) => `${i.path}: ${i.message}`);
}

describe.each(DB_KINDS)('notice settings on %s', (kind) => {
  let store: Store;
  let close: () => Promise<void>;
  const chain = () => store.audit.list('directory');
  beforeAll(async () => {
    ({ store, close } = await testStore(kind));
    await store.directory.importDirectory(directory, OP);
  }, 60_000);
  afterAll(async () => close?.());

  it('sets a unit\'s and a department\'s robots; robots() carries neither address nor secret', async () => {
    const now = new Date('2019-12-02T09:00:00+08:00');
    const unitRobot = await store.notices.setRobot({ unit: UNIT, channel: 'dingtalk', webhook: dingUrl(DING_TOKEN), secret: DING_SECRET }, OP, now);
    expect(unitRobot).toEqual({ unit: UNIT, channel: 'dingtalk', robotId: robotId('dingtalk', DING_TOKEN), signed: true, updatedBy: OP, updatedAt: now });
    const lawRobot = await store.notices.setRobot({ unit: UNIT, department: 'law', channel: 'wecom', webhook: wecomUrl(WECOM_KEY) }, 'admin-a', now);
    expect(lawRobot).toMatchObject({ department: 'law', channel: 'wecom', robotId: robotId('wecom', WECOM_KEY), signed: false });

    const robots = await store.notices.robots(UNIT);
    expect(robots.map((r) => Object.keys(r).sort())).toEqual([
      ['channel', 'robotId', 'signed', 'unit', 'updatedAt', 'updatedBy'],
      ['channel', 'department', 'robotId', 'signed', 'unit', 'updatedAt', 'updatedBy'],
    ]);
    expect(robots.map((r) => `${r.department ?? '-'} ${r.channel} ${r.signed}`)).toEqual(['- dingtalk true', 'law wecom false']);
    expect(robots[0]!.updatedAt.toISOString()).toBe(now.toISOString());
    noCredentials(robots);
    noCredentials(await store.notices.robots());
    expect(await store.notices.robots('another-unit')).toEqual([]);
  });

  it('robotFor: the department\'s own robot, else the unit\'s, else none; with the credentials, for the worker only', async () => {
    // law has its own WeCom robot; the unit's DingTalk robot serves every department.
    expect(await store.notices.robotFor(UNIT, 'law', 'wecom')).toEqual({ unit: UNIT, department: 'law', channel: 'wecom', webhook: wecomUrl(WECOM_KEY) });
    expect(await store.notices.robotFor(UNIT, 'law', 'dingtalk')).toEqual({ unit: UNIT, channel: 'dingtalk', webhook: dingUrl(DING_TOKEN), secret: DING_SECRET });
    expect(await store.notices.robotFor(UNIT, undefined, 'dingtalk')).toMatchObject({ webhook: dingUrl(DING_TOKEN) });
    expect(await store.notices.robotFor(UNIT, 'planning', 'wecom')).toBeUndefined();
    expect(await store.notices.robotFor(UNIT, undefined, 'wecom')).toBeUndefined();
    expect(await store.notices.robotFor('another-unit', 'law', 'dingtalk')).toBeUndefined();

    // law gets a DingTalk robot of its own: it is law's, the others keep the unit's.
    await store.notices.setRobot({ unit: UNIT, department: 'law', channel: 'dingtalk', webhook: dingUrl(LAW_TOKEN), secret: LAW_SECRET }, OP);
    expect(await store.notices.robotFor(UNIT, 'law', 'dingtalk')).toEqual({ unit: UNIT, department: 'law', channel: 'dingtalk', webhook: dingUrl(LAW_TOKEN), secret: LAW_SECRET });
    expect(await store.notices.robotFor(UNIT, 'planning', 'dingtalk')).toMatchObject({ webhook: dingUrl(DING_TOKEN) });

    // Set again: replaced, not added; the secret can be dropped.
    await store.notices.setRobot({ unit: UNIT, department: 'law', channel: 'wecom', webhook: wecomUrl(WECOM_KEY_2) }, OP);
    expect(await store.notices.robotFor(UNIT, 'law', 'wecom')).toMatchObject({ webhook: wecomUrl(WECOM_KEY_2) });
    await store.notices.setRobot({ unit: UNIT, department: 'law', channel: 'dingtalk', webhook: dingUrl(LAW_TOKEN) }, OP);
    expect(await store.notices.robotFor(UNIT, 'law', 'dingtalk')).not.toHaveProperty('secret');
    expect((await store.notices.robots(UNIT)).map((r) => `${r.department ?? '-'} ${r.channel} ${r.robotId} ${r.signed}`)).toEqual([
      `- dingtalk ${robotId('dingtalk', DING_TOKEN)} true`,
      `law dingtalk ${robotId('dingtalk', LAW_TOKEN)} false`,
      `law wecom ${robotId('wecom', WECOM_KEY_2)} false`,
    ]);

    // Removed: law falls back to the unit's DingTalk robot, and has no WeCom one.
    expect(await store.notices.removeRobot({ unit: UNIT, department: 'law', channel: 'dingtalk' }, OP)).toBe(true);
    expect(await store.notices.removeRobot({ unit: UNIT, department: 'law', channel: 'dingtalk' }, OP)).toBe(false);
    expect(await store.notices.robotFor(UNIT, 'law', 'dingtalk')).toMatchObject({ webhook: dingUrl(DING_TOKEN) });
    expect(await store.notices.removeRobot({ unit: UNIT, department: 'law', channel: 'wecom' }, OP)).toBe(true);
    expect(await store.notices.robotFor(UNIT, 'law', 'wecom')).toBeUndefined();
  });

  it('each change is a line in the directory chain naming the robot by its hash; no token, key or secret in it', async () => {
    const lines = await chain();
    const robotLines = lines.filter((e) => e.action === 'robot-set' || e.action === 'robot-removed');
    expect(robotLines.map((e) => `${e.actor} ${e.action} ${e.subject} ${e.detail ?? ''}`)).toEqual([
      `${OP} robot-set ${UNIT} ${robotId('dingtalk', DING_TOKEN)} signed`,
      `admin-a robot-set ${UNIT}/law ${robotId('wecom', WECOM_KEY)}`,
      `${OP} robot-set ${UNIT}/law ${robotId('dingtalk', LAW_TOKEN)} signed`,
      `${OP} robot-set ${UNIT}/law ${robotId('wecom', WECOM_KEY_2)}`,
      `${OP} robot-set ${UNIT}/law ${robotId('dingtalk', LAW_TOKEN)}`,
      `${OP} robot-removed ${UNIT}/law ${robotId('dingtalk', LAW_TOKEN)}`,
      `${OP} robot-removed ${UNIT}/law ${robotId('wecom', WECOM_KEY_2)}`,
    ]);
    expect(robotLines[1]).toMatchObject({ role: 'admin', workflowId: 'directory' });
    noCredentials(lines);
    expect(await store.audit.verify('directory')).toMatchObject({ ok: true });
  });

  it('a preference is e-mail until chosen, round-trips with quiet hours, and is audited', async () => {
    expect(await store.notices.preference('head-xu')).toEqual({ channels: ['email'] });
    const set = await store.notices.setPreference('head-xu', { channels: ['wecom', 'email'], quiet: { start: '22:00', end: '07:30' } }, 'head-xu');
    expect(set).toEqual({ channels: ['wecom', 'email'], quiet: { start: '22:00', end: '07:30' } });
    expect(await store.notices.preference('head-xu')).toEqual(set);
    // Set again without quiet hours: none are left behind.
    await store.notices.setPreference('head-xu', { channels: ['dingtalk'] }, OP);
    expect(await store.notices.preference('head-xu')).toEqual({ channels: ['dingtalk'] });
    // Someone else's stays theirs.
    expect(await store.notices.preference('head-zheng')).toEqual({ channels: ['email'] });
    const lines = (await chain()).filter((e) => e.action === 'notice-preference-set');
    expect(lines.map((e) => `${e.actor} ${e.subject} ${e.detail}`)).toEqual(['head-xu head-xu wecom,email quiet 22:00-07:30', `${OP} head-xu dingtalk`]);
    expect(await store.audit.verify('directory')).toMatchObject({ ok: true });
  });

  it('a refused robot or preference is a DirectoryError naming the field, and changes nothing', async () => {
    const before = (await chain()).length;
    const robotsBefore = await store.notices.robots();
    expect(await issuesOf(() => store.notices.setRobot({ unit: UNIT, channel: 'dingtalk', webhook: `http://oapi.dingtalk.com/robot/send?access_token=${DING_TOKEN}` }, OP)))
      .toEqual(['webhook: 须为 https 地址 / must be an https address']);
    expect(await issuesOf(() => store.notices.setRobot({ unit: UNIT, channel: 'dingtalk', webhook: 'https://oapi.dingtalk.com/robot/send' }, OP)))
      .toEqual(['webhook: 地址缺少 access_token / the address has no access_token']);
    expect(await issuesOf(() => store.notices.setRobot({ unit: UNIT, channel: 'wecom', webhook: wecomUrl(WECOM_KEY), secret: DING_SECRET }, OP)))
      .toEqual(['secret: 企业微信机器人没有加签密钥 / a WeCom robot has no secret']);
    expect(await issuesOf(() => store.notices.setRobot({ unit: 'nowhere', channel: 'wecom', webhook: wecomUrl(WECOM_KEY) }, OP)))
      .toEqual(['unit: 组织目录中没有单位 "nowhere" / no unit "nowhere" in the directory']);
    expect(await issuesOf(() => store.notices.setRobot({ unit: UNIT, department: 'nowhere', channel: 'wecom', webhook: wecomUrl(WECOM_KEY) }, OP)))
      .toEqual([`department: 单位 ${UNIT} 没有科室 "nowhere" / unit ${UNIT} has no department "nowhere"`]);
    expect(await issuesOf(() => store.notices.setPreference('head-zheng', { channels: ['email', 'email'] }, OP))).toEqual(['channels: 渠道重复 / a channel is listed twice']);
    expect(await issuesOf(() => store.notices.setPreference('head-zheng', { channels: ['wecom'], quiet: { start: '22:00', end: '25:00' } }, OP)))
      .toEqual(['quiet.end: 时间格式应为 HH:mm / time must be HH:mm']);
    // An error names no credential either.
    const err = await refusal(() => store.notices.setRobot({ unit: 'nowhere', channel: 'dingtalk', webhook: dingUrl(DING_TOKEN), secret: DING_SECRET }, OP));
    noCredentials({ message: (err as Error).message, issues: (err as DirectoryError).issues });

    expect((await chain()).length).toBe(before);
    expect(await store.notices.robots()).toEqual(robotsBefore);
    expect(await store.notices.preference('head-zheng')).toEqual({ channels: ['email'] });
  });

  it('a webhook that is not an address is a DirectoryError naming the webhook, not a crash', async () => {
    expect(await issuesOf(() => store.notices.setRobot({ unit: UNIT, channel: 'dingtalk', webhook: 'oapi.dingtalk.com/robot/send' }, OP)))
      .toEqual(['webhook: 不是有效网址 / not a valid URL']);
  });
});
