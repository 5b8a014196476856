// Where a person's notices go (issue 9), the pure rules: routeDigest picks the channels of one digest by
// the person's choice, their unit's robots and their quiet hours read at the digest's slot (not the
// clock), a window may run over midnight, and nobody goes unnotified (e-mail when nothing else is left);
// the schemas of a robot and of a preference refuse with an issue that names the field.
import { describe, expect, it } from 'vitest';
import type { ZodError } from 'zod';
import {
  DEFAULT_PREFERENCE, inQuietHours, mentionMobile, noticePreferenceSchema, robotConfigSchema, routeDigest,
  type NoticePreference, type RobotChannel,
} from '../../domain/notice-settings.js';

const ZONE = 'Asia/Shanghai';
const both = new Set<RobotChannel>(['dingtalk', 'wecom']);
const none = new Set<RobotChannel>();
const at = (hhmm: string) => `2020-01-24T${hhmm}:00+08:00`;
const pref = (channels: NoticePreference['channels'], quiet?: NoticePreference['quiet']): NoticePreference => ({ channels, ...(quiet && { quiet }) });

/** The issues of a refused parse, as "path: message". */
function issues(r: { success: boolean; error?: ZodError }): string[] {
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('routeDigest', () => {
  it('e-mail by default; each chosen chat channel that has a robot, in the person\'s order', () => {
    expect(DEFAULT_PREFERENCE).toEqual({ channels: ['email'] });
    expect(routeDigest(DEFAULT_PREFERENCE, both, at('09:00'), ZONE)).toEqual({ channels: ['email'], skipped: [] });
    expect(routeDigest(pref(['dingtalk']), both, at('09:00'), ZONE)).toEqual({ channels: ['dingtalk'], skipped: [] });
    expect(routeDigest(pref(['wecom', 'email', 'dingtalk']), both, at('09:00'), ZONE)).toEqual({ channels: ['wecom', 'email', 'dingtalk'], skipped: [] });
  });

  it('a chat channel without a robot for the person is skipped; with nothing left the digest goes by e-mail', () => {
    expect(routeDigest(pref(['dingtalk']), none, at('09:00'), ZONE)).toEqual({ channels: ['email'], skipped: [{ channel: 'dingtalk', reason: 'no-robot' }] });
    expect(routeDigest(pref(['dingtalk', 'wecom']), new Set(['wecom']), at('09:00'), ZONE))
      .toEqual({ channels: ['wecom'], skipped: [{ channel: 'dingtalk', reason: 'no-robot' }] });
    // E-mail is chosen as well: it stays, once.
    expect(routeDigest(pref(['dingtalk', 'email']), none, at('09:00'), ZONE)).toEqual({ channels: ['email'], skipped: [{ channel: 'dingtalk', reason: 'no-robot' }] });
  });

  it('quiet hours are read at the slot, in the cycle\'s zone: chat is held back, e-mail goes', () => {
    const quiet = { start: '08:30', end: '09:30' };
    expect(routeDigest(pref(['dingtalk'], quiet), both, at('09:00'), ZONE)).toEqual({ channels: ['email'], skipped: [{ channel: 'dingtalk', reason: 'quiet-hours' }] });
    // The same instant written in UTC is 09:00 in Shanghai: still quiet.
    expect(routeDigest(pref(['dingtalk'], quiet), both, '2020-01-24T01:00:00Z', ZONE).channels).toEqual(['email']);
    // The window's end is not in it; its start is.
    expect(routeDigest(pref(['dingtalk'], quiet), both, at('09:30'), ZONE).channels).toEqual(['dingtalk']);
    expect(routeDigest(pref(['dingtalk'], quiet), both, at('08:30'), ZONE).channels).toEqual(['email']);
    // E-mail chosen beside chat: the e-mail alone, not twice.
    expect(routeDigest(pref(['wecom', 'email'], quiet), both, at('09:00'), ZONE)).toEqual({ channels: ['email'], skipped: [{ channel: 'wecom', reason: 'quiet-hours' }] });
    // The same digest routed again later (a retry) chooses as the first attempt did: only the slot counts.
    const first = routeDigest(pref(['dingtalk'], quiet), both, at('09:00'), ZONE);
    expect(routeDigest(pref(['dingtalk'], quiet), both, at('09:00'), ZONE)).toEqual(first);
  });

  it('a window over midnight (22:00–07:30) holds the late evening and the early morning, not the day', () => {
    const night = { start: '22:00', end: '07:30' };
    const route = (hhmm: string) => routeDigest(pref(['wecom'], night), both, at(hhmm), ZONE).channels;
    expect(route('23:15')).toEqual(['email']);
    expect(route('22:00')).toEqual(['email']);
    expect(route('00:00')).toEqual(['email']);
    expect(route('07:29')).toEqual(['email']);
    expect(route('07:30')).toEqual(['wecom']);
    expect(route('09:00')).toEqual(['wecom']);
    expect(route('21:59')).toEqual(['wecom']);
  });

  it('inQuietHours: none set, or an instant that cannot be read, is never quiet', () => {
    expect(inQuietHours(undefined, at('03:00'), ZONE)).toBe(false);
    expect(inQuietHours({ start: '00:00', end: '23:59' }, 'not a date', ZONE)).toBe(false);
    expect(inQuietHours({ start: '00:00', end: '23:59' }, at('12:00'), ZONE)).toBe(true);
    // Read in the zone given: 09:00 in Shanghai is 02:00 in Berlin (winter).
    expect(inQuietHours({ start: '08:00', end: '10:00' }, at('09:00'), 'Europe/Berlin')).toBe(false);
  });
});

describe('robotConfigSchema', () => {
  const TOKEN = 'abc123';
  const ding = (webhook: string, extra: object = {}) => robotConfigSchema.safeParse({ unit: 'jinjiang-zrzy', channel: 'dingtalk', webhook, ...extra });
  const wecom = (webhook: string, extra: object = {}) => robotConfigSchema.safeParse({ unit: 'jinjiang-zrzy', department: 'law', channel: 'wecom', webhook, ...extra });

  it('accepts the addresses the robots show, and plain HTTP on loopback only (a local relay, the tests)', () => {
    expect(ding(`https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`, { secret: 'SECabc' }).success).toBe(true);
    expect(wecom('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6').success).toBe(true);
    for (const host of ['127.0.0.1:8080', 'localhost', '[::1]:9000']) expect(ding(`http://${host}/robot/send?access_token=${TOKEN}`).success).toBe(true);
  });

  it('refuses plain HTTP elsewhere, naming the webhook', () => {
    expect(issues(ding(`http://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`))).toEqual(['webhook: 须为 https 地址 / must be an https address']);
    expect(issues(wecom('http://10.0.0.5/cgi-bin/webhook/send?key=k'))).toEqual(['webhook: 须为 https 地址 / must be an https address']);
    expect(issues(ding(`ftp://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`))[0]).toMatch(/^webhook: /);
  });

  it('an address without its access_token (DingTalk) or key (WeCom) names the webhook and the parameter', () => {
    expect(issues(ding('https://oapi.dingtalk.com/robot/send'))).toEqual(['webhook: 地址缺少 access_token / the address has no access_token']);
    expect(issues(ding('https://oapi.dingtalk.com/robot/send?access_token='))).toEqual(['webhook: 地址缺少 access_token / the address has no access_token']);
    // A WeCom key in a DingTalk robot's place is not its token.
    expect(issues(ding('https://oapi.dingtalk.com/robot/send?key=abc'))).toEqual(['webhook: 地址缺少 access_token / the address has no access_token']);
    expect(issues(wecom(`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?access_token=${TOKEN}`))).toEqual(['webhook: 地址缺少 key / the address has no key']);
  });

  it('a WeCom robot has no secret; an unknown channel, a bad id or a blank secret names its field', () => {
    expect(issues(wecom('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', { secret: 'SECx' }))).toEqual(['secret: 企业微信机器人没有加签密钥 / a WeCom robot has no secret']);
    expect(issues(robotConfigSchema.safeParse({ unit: 'jinjiang-zrzy', channel: 'sms', webhook: 'https://x.example/?key=1' }))[0]).toMatch(/^channel: /);
    expect(issues(robotConfigSchema.safeParse({ unit: 'Jinjiang ZRZY', channel: 'wecom', webhook: 'https://x.example/?key=1' }))[0]).toMatch(/^unit: /);
    expect(issues(robotConfigSchema.safeParse({ unit: 'jinjiang-zrzy', department: '../law', channel: 'wecom', webhook: 'https://x.example/?key=1' }))[0]).toMatch(/^department: /);
    expect(issues(ding(`https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`, { secret: '   ' }))[0]).toMatch(/^secret: /);
  });

  it('a value that is not an address is refused naming the webhook, not thrown (zod 4 runs the refinement anyway)', () => {
    expect(issues(ding('oapi.dingtalk.com/robot/send'))).toEqual(['webhook: 不是有效网址 / not a valid URL']);
    expect(issues(robotConfigSchema.safeParse({ unit: 'jinjiang-zrzy', channel: 'wecom' }))[0]).toMatch(/^webhook: /);
  });
});

describe('noticePreferenceSchema', () => {
  it('takes channels in the person\'s order and optional quiet hours', () => {
    expect(noticePreferenceSchema.parse({ channels: ['wecom', 'email'], quiet: { start: '22:00', end: '07:30' } }))
      .toEqual({ channels: ['wecom', 'email'], quiet: { start: '22:00', end: '07:30' } });
  });

  it('refuses a channel listed twice, none, or an unknown one, naming channels', () => {
    expect(issues(noticePreferenceSchema.safeParse({ channels: ['dingtalk', 'email', 'dingtalk'] }))).toEqual(['channels: 渠道重复 / a channel is listed twice']);
    expect(issues(noticePreferenceSchema.safeParse({ channels: [] }))).toEqual(['channels: 至少选择一个渠道 / choose at least one channel']);
    expect(issues(noticePreferenceSchema.safeParse({ channels: ['sms'] }))[0]).toMatch(/^channels\.0: /);
  });

  it('refuses quiet hours that are not HH:mm, or that start where they end, naming the end', () => {
    expect(issues(noticePreferenceSchema.safeParse({ channels: ['email'], quiet: { start: '24:00', end: '07:00' } }))).toEqual(['quiet.start: 时间格式应为 HH:mm / time must be HH:mm']);
    expect(issues(noticePreferenceSchema.safeParse({ channels: ['email'], quiet: { start: '22:00', end: '7:30' } }))).toEqual(['quiet.end: 时间格式应为 HH:mm / time must be HH:mm']);
    expect(issues(noticePreferenceSchema.safeParse({ channels: ['email'], quiet: { start: '22:00', end: '22:00' } }))).toEqual(['quiet.end: 开始与结束不能相同 / start and end must differ']);
  });
});

describe('the mobile a robot mentions', () => {
  it('is a mainland mobile as its 11 digits, whatever way the directory writes it', () => {
    expect(mentionMobile('13900001111')).toBe('13900001111');
    expect(mentionMobile('+86 139-0000-1111')).toBe('13900001111');
    expect(mentionMobile('(86) 139 0000 1111')).toBe('13900001111');
  });
  it('is nobody for a landline, a foreign number or no number', () => {
    expect(mentionMobile('0571-87654321')).toBeUndefined();
    expect(mentionMobile('+44 7700 900123')).toBeUndefined();
    expect(mentionMobile('12900001111')).toBeUndefined();
    expect(mentionMobile(undefined)).toBeUndefined();
  });
});
