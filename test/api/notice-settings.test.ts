// Notice channels, the people's side (issue 9): who may set a unit's DingTalk or WeCom robot (a directory
// administrator, or the unit's coordinator for their own unit; anyone else 403, audited), bad addresses as
// 400s naming the field, a person's own channels and quiet hours over JSON and on the account page, the
// robots on /admin and /robots, and per department which channel reached whom in a cycle. A robot's
// address and secret are credentials: no answer, page, log line or audit line ever holds them.
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxSender } from '../../activities/mail-sender.js';
import { buildApi } from '../../client/api/app.js';
import { operatorActor } from '../../client/operator.js';
import { csrfHeaders, harness, signIn, type Harness } from './harness.js';

let h: Harness;
let app: FastifyInstance;
let unit: string;
let id: string;
const cookies: Record<string, string> = {};
/** Every request's log line, and every answer's body: searched for the credentials at the end. */
const logLines: string[] = [];
const seen: string[] = [];

// Credentials that are easy to find in any text, raw or URL-encoded.
const TOKEN = 'dtTok3nQ7x9LmZ2vR5pW';
const SECRET = 'SECs3cr3tH8kJ4nB6cV1xZ0qA';
const WECOM_KEY = 'wk-5b1e9c07-44aa-4f1d-9e3c-8d2f6a7b0c11';
const dingtalk = (token = TOKEN) => `https://oapi.dingtalk.com/robot/send?access_token=${token}`;
const wecom = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_KEY}`;

beforeAll(async () => {
  h = await harness('notices');
  unit = h.input.unit.id;
  id = h.input.cycleId;
  await h.client.store.directory.importDirectory({
    units: [{ id: unit, name: h.input.unit.name }, { id: 'other-bureau', name: '晋江市住房和城乡建设局', coordinator: 'coord-qian' }],
    departments: [{ unit: 'other-bureau', id: 'housing', name: '住房保障科' }],
    people: [
      { id: 'admin-chen', name: '陈管理员', email: 'admin-chen@jinjiang.example' },
      { id: 'coord-qian', name: '钱协调（住建局办公室）', email: 'qian@zjj.example', unit: 'other-bureau' },
    ],
  }, operatorActor());
  await h.client.store.directory.grantAdmin('admin-chen', operatorActor());
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { logLines.push(chunk.toString()); done(); } });
  app = await buildApi({ cycles: h.client, settings: h.settings, sender: outboxSender(join(h.dataDir, 'outbox')), log: { level: 'debug', stream } });
  for (const who of ['office-lin', 'head-zheng', 'admin-chen', 'coord-qian', 'director-zhang']) cookies[who] = await signIn(app, h.dataDir, who);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await h?.close();
}, 60_000);

type Res = Awaited<ReturnType<FastifyInstance['inject']>>;
const keep = (res: Res) => {
  seen.push(res.body, JSON.stringify(res.headers));
  return res;
};
const call = async (who: string, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  keep(await app.inject({ method, url, headers: csrfHeaders(cookies[who]!), ...(payload && { payload }) }));
const page = async (who: string, url: string) => keep(await app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } }));
/** Posts a page's form as the browser would: the form's own CSRF token, url-encoded fields (repeated names allowed). */
async function form(who: string, body: string, action: string, fields: [string, string][]): Promise<Res> {
  const token = new RegExp(`action="${action.replace(/[?]/g, '\\?')}"[^>]*><input type="hidden" name="_csrf" value="([^"]+)"`).exec(body)?.[1];
  if (!token) throw new Error(`no form ${action}`);
  return keep(await app.inject({
    method: 'POST', url: action, headers: { cookie: cookies[who]!, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([...fields, ['_csrf', token]]).toString(),
  }));
}
const directoryChain = () => h.client.store.audit.list('directory');
const refusalsOf = async (actor: string) => (await directoryChain()).filter((e) => e.action === 'refused' && e.actor === actor);

describe('who may set a unit\'s robots', () => {
  it('refuses a department head: 403 for listing, setting and removing, each audited in the directory chain; nothing stored', async () => {
    const set = await call('head-zheng', 'PUT', '/api/directory/robots', { unit, department: 'planning', channel: 'dingtalk', webhook: dingtalk(), secret: SECRET });
    expect(set.statusCode).toBe(403);
    expect(set.json().error).toMatchObject({ code: 'refused' });
    expect(set.json().error.message).toContain(`head-zheng 无权管理单位 ${unit} 的通知机器人`);
    expect((await call('head-zheng', 'GET', '/api/directory/robots')).statusCode).toBe(403);
    expect((await call('head-zheng', 'DELETE', `/api/directory/robots?unit=${unit}&channel=dingtalk`)).statusCode).toBe(403);
    const refusals = await refusalsOf('head-zheng');
    expect(refusals.map((e) => [e.subject, e.detail?.split(':')[0]])).toEqual([[unit, 'setRobot'], ['directory', 'viewRobots'], [unit, 'removeRobot']]);
    // The refused request's address is not in the audit either.
    expect(JSON.stringify(refusals)).not.toContain(TOKEN);
    expect(await h.client.store.notices.robots()).toEqual([]);
    // The page says so too (403), audited.
    const refusedPage = await page('head-zheng', '/robots');
    expect(refusedPage.statusCode).toBe(403);
    expect(refusedPage.body).toContain('郑伟（规划科科长） 无权管理通知机器人，只有组织目录管理员或单位的协调人可以');
    expect(refusedPage.body).not.toContain('head-zheng');
    expect((await refusalsOf('head-zheng')).length).toBe(4);
  });

  it('lets the coordinator set and remove their own unit\'s robots, but not another unit\'s', async () => {
    const set = await call('office-lin', 'PUT', '/api/directory/robots', { unit, department: 'planning', channel: 'dingtalk', webhook: dingtalk(), secret: SECRET });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ unit, unitName: '晋江市自然资源局', department: 'planning', departmentName: '规划科', channel: 'dingtalk', signed: true, updatedBy: 'office-lin', updatedByName: '林晓燕（局办公室）' });
    expect(set.json().robotId).toMatch(/^dingtalk:[0-9a-f]{8}$/);
    expect(set.json().updatedAt).toMatch(/\+08:00$/);
    expect(Object.keys(set.json())).not.toContain('webhook');
    expect(Object.keys(set.json())).not.toContain('secret');
    // The unit's WeCom robot, for every department without its own.
    expect((await call('office-lin', 'PUT', '/api/directory/robots', { unit, channel: 'wecom', webhook: wecom })).json()).toMatchObject({ signed: false, channel: 'wecom' });

    const other = await call('office-lin', 'PUT', '/api/directory/robots', { unit: 'other-bureau', channel: 'dingtalk', webhook: dingtalk('otherTok') });
    expect(other.statusCode).toBe(403);
    expect((await refusalsOf('office-lin')).map((e) => e.subject)).toEqual(['other-bureau']);
    // The other unit's coordinator sets theirs, and cannot read this unit's.
    expect((await call('coord-qian', 'PUT', '/api/directory/robots', { unit: 'other-bureau', department: 'housing', channel: 'dingtalk', webhook: dingtalk('otherTok') })).statusCode).toBe(200);
    expect((await call('coord-qian', 'GET', `/api/directory/robots?unit=${unit}`)).statusCode).toBe(403);
    expect((await call('coord-qian', 'DELETE', '/api/directory/robots', { unit, channel: 'wecom' })).statusCode).toBe(403);

    // Each coordinator lists their own unit's; the administrator every unit's.
    const mine = (await call('office-lin', 'GET', '/api/directory/robots')).json() as { unit: string; channel: string }[];
    expect(mine.map((r) => [r.unit, r.channel])).toEqual([[unit, 'wecom'], [unit, 'dingtalk']]);
    const all = (await call('admin-chen', 'GET', '/api/directory/robots')).json() as { unit: string }[];
    expect(new Set(all.map((r) => r.unit))).toEqual(new Set([unit, 'other-bureau']));
    expect((await call('admin-chen', 'GET', '/api/directory/robots?unit=other-bureau')).json()).toHaveLength(1);

    // Removing: by query or by body; one that is not there is a 404. Every change is audited, by the robot's hash only.
    const temp = await call('office-lin', 'PUT', '/api/directory/robots', { unit, department: 'cadastre', channel: 'wecom', webhook: wecom });
    expect((await call('office-lin', 'DELETE', `/api/directory/robots?unit=${unit}&department=cadastre&channel=wecom`)).json()).toEqual({ removed: true });
    expect((await call('office-lin', 'DELETE', '/api/directory/robots', { unit, department: 'cadastre', channel: 'wecom' })).statusCode).toBe(404);
    expect((await call('office-lin', 'DELETE', '/api/directory/robots', { channel: 'wecom' })).json().error).toMatchObject({ field: 'body.unit' });
    const changes = (await directoryChain()).filter((e) => e.actor === 'office-lin' && e.action.startsWith('robot-'));
    expect(changes.map((e) => [e.action, e.subject])).toEqual([['robot-set', `${unit}/planning`], ['robot-set', unit], ['robot-set', `${unit}/cadastre`], ['robot-removed', `${unit}/cadastre`]]);
    expect(changes[0]!.detail).toBe(`${set.json().robotId} signed`);
    expect(changes[3]!.detail).toBe(temp.json().robotId);
  });

  it('answers 400 naming the field and the reason for a bad address, and stores nothing', async () => {
    const put = (body: object) => call('office-lin', 'PUT', '/api/directory/robots', { unit, department: 'law', channel: 'dingtalk', ...body });
    const cases: [object, string, RegExp][] = [
      [{ webhook: `http://oapi.dingtalk.com/robot/send?access_token=${TOKEN}` }, 'body.webhook', /须为 https 地址 \/ must be an https address/],
      [{ webhook: 'https://oapi.dingtalk.com/robot/send' }, 'body.webhook', /地址缺少 access_token \/ the address has no access_token/],
      [{ webhook: `https://oapi.dingtalk.com/robot/send?key=${TOKEN}` }, 'body.webhook', /access_token/],
      // Not a URL at all: a 400, never a 500 (whose log would hold the address).
      [{ webhook: `oapi.dingtalk.com/robot/send?access_token=${TOKEN}` }, 'body.webhook', /不是有效网址 \/ not a valid URL/],
      [{ channel: 'wecom', webhook: wecom, secret: SECRET }, 'body.secret', /企业微信机器人没有加签密钥/],
      [{ department: 'nowhere', webhook: dingtalk() }, 'body.department', /没有科室 "nowhere"/],
      [{ channel: 'fax', webhook: dingtalk() }, 'body.channel', /./],
      [{ webhook: 'x'.repeat(1001) }, 'body.webhook', /./],
    ];
    for (const [body, field, reason] of cases) {
      const res = await put(body);
      expect([res.statusCode, res.json().error.field], JSON.stringify(body).slice(0, 80)).toEqual([400, field]);
      expect(res.json().error.message).toMatch(reason);
    }
    expect((await h.client.store.notices.robots(unit)).some((r) => r.department === 'law')).toBe(false);
    // Plain HTTP is allowed on loopback only (a local relay).
    expect((await put({ webhook: `http://127.0.0.1:9/robot/send?access_token=${TOKEN}` })).statusCode).toBe(200);
    expect((await call('office-lin', 'DELETE', '/api/directory/robots', { unit, department: 'law', channel: 'dingtalk' })).statusCode).toBe(200);
  });
});

describe('a person\'s own channels', () => {
  it('round-trips over JSON: e-mail until chosen; which chat channels reach them; bad input a 400 naming the field', async () => {
    const before = (await call('head-zheng', 'GET', '/api/me/notices')).json();
    // head-zheng is of 规划科: its own DingTalk robot, and the unit's WeCom robot.
    expect(before).toEqual({
      channels: ['email'], robots: { dingtalk: { available: true, scope: 'department' }, wecom: { available: true, scope: 'unit' } },
      unit: { id: unit, name: '晋江市自然资源局' }, department: { id: 'planning', name: '规划科' },
    });
    const body = { channels: ['dingtalk', 'email'], quiet: { start: '22:00', end: '07:30' } };
    const put = await call('head-zheng', 'PUT', '/api/me/notices', body);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject(body);
    expect((await call('head-zheng', 'GET', '/api/me/notices')).json()).toMatchObject(body);
    expect(await h.client.store.notices.preference('head-zheng')).toEqual(body);
    // Someone of no department: the unit's robots only (director-zhang has a unit, no department).
    expect((await call('director-zhang', 'GET', '/api/me/notices')).json().robots).toEqual({ dingtalk: { available: false }, wecom: { available: true, scope: 'unit' } });

    for (const [bad, field] of [
      [{ channels: [] }, 'body.channels'], [{ channels: ['email', 'email'] }, 'body.channels'], [{ channels: ['fax'] }, 'body.channels.0'],
      [{ channels: ['email'], quiet: { start: '22:00', end: '22:00' } }, 'body.quiet.end'], [{ channels: ['email'], quiet: { start: '25:00', end: '07:00' } }, 'body.quiet.start'],
      [{ channels: ['email'], quiet: { start: '22:00' } }, 'body.quiet.end'],
    ] as const) {
      const res = await call('head-zheng', 'PUT', '/api/me/notices', bad);
      expect([res.statusCode, res.json().error.field], JSON.stringify(bad)).toEqual([400, field]);
    }
    // Nothing changed by the refused ones; the one change is audited as the person's own.
    expect(await h.client.store.notices.preference('head-zheng')).toEqual(body);
    const audited = (await directoryChain()).filter((e) => e.action === 'notice-preference-set');
    expect(audited.map((e) => [e.actor, e.subject, e.detail])).toEqual([['head-zheng', 'head-zheng', 'dingtalk,email quiet 22:00-07:30']]);
    // Signed out: 401.
    expect((await app.inject({ method: 'GET', url: '/api/me/notices' })).statusCode).toBe(401);
  });

  it('saves and shows them on the account page, saying which chat channels have no robot and what quiet hours do', async () => {
    // The WeCom robot gone: 郑伟 has DingTalk (his department's) but no WeCom at all.
    expect((await call('office-lin', 'DELETE', '/api/directory/robots', { unit, channel: 'wecom' })).statusCode).toBe(200);
    const account = await page('head-zheng', '/account');
    expect(account.statusCode).toBe(200);
    const section = account.body.slice(account.body.indexOf('data-testid="notices"'));
    expect(section).toContain('<h2 id="notices">通知渠道</h2>');
    expect(section).toContain('<input type="checkbox" name="channels" value="email" checked> 邮件');
    expect(section).toContain('<input type="checkbox" name="channels" value="dingtalk" checked> 钉钉');
    expect(section).toContain('<input type="checkbox" name="channels" value="wecom"> 企业微信');
    expect(section).toContain('<input type="time" name="quietStart" value="22:00">');
    expect(section).toContain('data-testid="robot-dingtalk">钉钉：由您科室（规划科）的群机器人发送。');
    expect(section).toContain('data-testid="no-robot-wecom">企业微信：您的科室（规划科）和单位（晋江市自然资源局）都还没有企业微信机器人，选了也不会发送企业微信消息，通知改由邮件发送。');
    expect(section).toContain('免打扰时段内不发送钉钉、企业微信消息，通知改由邮件发送。');
    expect(section).toContain('当前：钉钉、邮件；免打扰 22:00–07:30');
    // Not a coordinator: no link to the robots.
    expect(section).not.toContain('data-testid="manage-robots"');

    const saved = await form('head-zheng', account.body, '/account/notices', [['channels', 'email'], ['channels', 'wecom'], ['quietStart', '12:00'], ['quietEnd', '13:30']]);
    expect([saved.statusCode, saved.headers.location]).toEqual([303, '/account?done=notices#notices']);
    expect(await h.client.store.notices.preference('head-zheng')).toEqual({ channels: ['email', 'wecom'], quiet: { start: '12:00', end: '13:30' } });
    const after = await page('head-zheng', '/account?done=notices');
    expect(after.body).toContain('通知设置已保存。');
    expect(after.body).toContain('<input type="checkbox" name="channels" value="wecom" checked> 企业微信');
    expect(after.body).toContain('<input type="time" name="quietEnd" value="13:30">');

    // Refused: the form again with the choice made, the reason in words; nothing changed.
    const half = await form('head-zheng', after.body, '/account/notices', [['channels', 'dingtalk'], ['quietStart', '23:00']]);
    expect(half.statusCode).toBe(400);
    expect(half.body).toContain('免打扰时段须同时填写开始和结束时间，或都留空。');
    expect(half.body).toContain('<input type="checkbox" name="channels" value="dingtalk" checked> 钉钉');
    const none = await form('head-zheng', after.body, '/account/notices', [['quietStart', ''], ['quietEnd', '']]);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('通知渠道：至少选择一个渠道');
    // Without quiet hours: both empty.
    expect((await form('head-zheng', after.body, '/account/notices', [['channels', 'email'], ['quietStart', ''], ['quietEnd', '']])).statusCode).toBe(303);
    expect(await h.client.store.notices.preference('head-zheng')).toEqual({ channels: ['email'] });
    // English.
    const en = await page('head-zheng', '/account?lang=en');
    expect(en.body).toContain('WeCom: neither your department (规划科) nor your unit (晋江市自然资源局) has a WeCom robot yet, so no WeCom message is sent; the notice goes by e-mail instead.');
    await page('head-zheng', '/account?lang=zh');
    // A coordinator's page links to the robots.
    expect((await page('office-lin', '/account')).body).toContain('<a href="/robots" data-testid="manage-robots">管理通知机器人</a>');
  });
});

describe('the robots on /admin and /robots', () => {
  it('lists robots by names, channel in words, signed or not, who set them when; sets and removes by form', async () => {
    const admin = await page('admin-chen', '/admin');
    expect(admin.statusCode).toBe(200);
    const list = admin.body.slice(admin.body.indexOf('data-testid="robot-list"'), admin.body.indexOf('data-testid="set-robot"'));
    const rows = list.split('data-testid="robot"').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/晋江市自然资源局<\/td><td data-label="科室">规划科<\/td><td class="c" data-label="渠道">钉钉<\/td><td class="c" data-label="加签"><span class="badge s-accepted">已加签<\/span><\/td><td data-label="设置人">林晓燕（局办公室），\d{4}年\d+月\d+日 \d{2}:\d{2}<\/td>/);
    expect(rows[1]).toContain('晋江市住房和城乡建设局</td><td data-label="科室">住房保障科</td><td class="c" data-label="渠道">钉钉</td>');
    expect(rows[1]).toContain('未加签');
    expect(rows[1]).toContain('钱协调（住建局办公室），');
    // Names, never ids or hashes, in the list.
    expect(list).not.toMatch(/>planning<|>housing<|dingtalk:[0-9a-f]{8}|office-lin|coord-qian/);
    // The form: the secret as a password field, no value in either credential field.
    expect(admin.body).toContain('<input name="secret" type="password" autocomplete="new-password" maxlength="200">');
    expect(admin.body).toMatch(/<input name="webhook" type="url"[^>]*required>/);
    expect(admin.body).not.toMatch(/name="webhook"[^>]*value=/);

    const set = await form('admin-chen', admin.body, '/robots/set', [['back', '/admin'], ['place', `${unit}/registry`], ['channel', 'dingtalk'], ['webhook', dingtalk()], ['secret', SECRET]]);
    expect([set.statusCode, set.headers.location]).toEqual([303, '/admin?robot=saved#robots']);
    expect((await h.client.store.notices.robots(unit)).find((r) => r.department === 'registry')).toMatchObject({ channel: 'dingtalk', signed: true, updatedBy: 'admin-chen' });
    const shown = await page('admin-chen', '/admin?robot=saved');
    expect(shown.body).toContain('机器人已设置。');
    expect(shown.body).toContain('不动产登记中心</td>');

    // A refused save: the form again, the reason in words, the address and secret nowhere.
    const bad = await form('admin-chen', shown.body, '/robots/set', [['back', '/admin'], ['place', `${unit}/registry`], ['channel', 'dingtalk'], ['webhook', `http://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`], ['secret', SECRET]]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Webhook 地址：须为 https 地址');
    expect(bad.body).toContain(`<option value="${unit}/registry" selected>`);

    const remove = await form('admin-chen', shown.body, '/robots/remove', [['unit', unit], ['department', 'registry'], ['channel', 'dingtalk'], ['back', '/admin']]);
    expect([remove.statusCode, remove.headers.location]).toEqual([303, '/admin?robot=removed#robots']);
    expect((await h.client.store.notices.robots(unit)).some((r) => r.department === 'registry')).toBe(false);
  });

  it('gives a coordinator /robots for their own unit only, and refuses the form for another unit (403, audited)', async () => {
    const robots = await page('office-lin', '/robots');
    expect(robots.statusCode).toBe(200);
    expect(robots.body).toContain('规划科</td>');
    expect(robots.body).not.toContain('住房保障科');
    expect(robots.body).toContain(`<option value="${unit}">晋江市自然资源局 · 全单位（未单独设置的科室使用）</option>`);
    expect(robots.body).not.toContain('value="other-bureau');
    const set = await form('office-lin', robots.body, '/robots/set', [['back', '/robots'], ['place', unit], ['channel', 'wecom'], ['webhook', wecom]]);
    expect([set.statusCode, set.headers.location]).toEqual([303, '/robots?done=saved']);
    const refused = await form('office-lin', robots.body, '/robots/set', [['back', '/robots'], ['place', 'other-bureau/housing'], ['channel', 'dingtalk'], ['webhook', dingtalk()], ['secret', SECRET]]);
    expect(refused.statusCode).toBe(403);
    // Said with names: the person and the unit.
    expect(refused.body).toContain('林晓燕（局办公室） 无权管理单位 晋江市住房和城乡建设局 的通知机器人');
    expect((await refusalsOf('office-lin')).map((e) => e.subject)).toEqual(['other-bureau', 'other-bureau']);
    expect((await h.client.store.notices.robots('other-bureau'))[0]).toMatchObject({ department: 'housing', updatedBy: 'coord-qian' });
  });

  it('refuses a form forged on another page (no CSRF token, or another origin): 403, nothing stored', async () => {
    const before = await h.client.store.notices.robots(unit);
    const prefBefore = await h.client.store.notices.preference('head-zheng');
    const forged = (who: string, url: string, fields: [string, string][], extra: Record<string, string> = {}) => app.inject({
      method: 'POST', url, headers: { cookie: cookies[who]!, 'content-type': 'application/x-www-form-urlencoded', ...extra },
      payload: new URLSearchParams(fields).toString(),
    });
    const robot = await forged('office-lin', '/robots/set', [['back', '/robots'], ['place', `${unit}/planning`], ['channel', 'dingtalk'], ['webhook', dingtalk()], ['secret', SECRET]]);
    expect(robot.statusCode).toBe(403);
    const fromElsewhere = await forged('office-lin', '/robots/remove', [['place', unit], ['channel', 'wecom'], ['_csrf', 'forged']], { origin: 'https://evil.example' });
    expect(fromElsewhere.statusCode).toBe(403);
    const pref = await forged('head-zheng', '/account/notices', [['channels', 'dingtalk']]);
    expect(pref.statusCode).toBe(403);
    expect(await h.client.store.notices.robots(unit)).toEqual(before);
    expect(await h.client.store.notices.preference('head-zheng')).toEqual(prefBefore);
  });
});

describe('which channel reached whom', () => {
  it('shows per department the people by name and the channels in words, with sent, refused and pending counts', async () => {
    const mail = h.client.store.mail;
    let n = 0;
    const row = async (personId: string, channel: string, outcome: 'sent' | 'refused' | 'pending') => {
      n += 1;
      const messageId = `<reach-${n}@perfcycle.test>`;
      await mail.claim(messageId, 'test', 15_000, { key: `${id}|reach-${n}`, to: personId, subject: '提醒', cycleId: id, personId, channel, ...(channel !== 'email' && { robotId: `${channel}:0badc0de` }) });
      if (outcome === 'sent') await mail.markSent(messageId, 'test', personId);
      if (outcome === 'refused') await mail.release(messageId, 'test', { kind: 'refused', message: 'bad-secret 310000: sign not match' });
    };
    await row('head-zheng', 'dingtalk', 'sent');
    await row('head-zheng', 'dingtalk', 'refused');
    await row('head-zheng', 'email', 'sent');
    await row('head-zheng', 'email', 'sent');
    await row('head-wu', 'wecom', 'pending');
    await row('director-zhang', 'email', 'sent');

    const coordinator = await page('office-lin', `/cycles/${id}/reach`);
    expect(coordinator.statusCode).toBe(200);
    const parts = coordinator.body.split('data-testid="reach-dept"').slice(1);
    expect(parts.map((p) => /<h2>([^<]+)<\/h2>/.exec(p)?.[1])).toEqual(['规划科', '地籍与确权登记科', '未分科室']);
    const cells = (p: string) => [...p.matchAll(/<tr data-testid="reach">(.*?)<\/tr>/gs)].map((m) => [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((c) => c[1]!.replace(/<[^>]+>/g, '')));
    const planning = cells(parts[0]!);
    expect(planning.map((r) => r.slice(0, 5))).toEqual([['郑伟（规划科科长）', '邮件', '2', '0', '0'], ['郑伟（规划科科长）', '钉钉', '1', '1', '0']]);
    expect(planning[0]![5]).toMatch(/^\d{4}年\d+月\d+日 \d{2}:\d{2}$/);
    expect(cells(parts[1]!).map((r) => r.slice(0, 5))).toEqual([['吴海峰（地籍与确权登记科科长）', '企业微信', '0', '0', '1']]);
    expect(cells(parts[2]!)[0]!.slice(0, 3)).toEqual(['张建国（局长）', '邮件', '1']);
    expect(coordinator.body).not.toMatch(/head-zheng|head-wu|director-zhang|0badc0de/);

    // A department head sees his department's people (himself here), nobody else's.
    const head = await page('head-zheng', `/cycles/${id}/reach`);
    expect(head.body).toContain('郑伟（规划科科长）');
    expect(head.body).not.toMatch(/吴海峰|张建国/);
    // The same over JSON; someone of no cycle is refused.
    const json = (await call('office-lin', 'GET', `/api/cycles/${id}/reach`)).json();
    expect(json.departments[0]).toMatchObject({ id: 'planning', name: '规划科', people: [{ personId: 'head-zheng', name: '郑伟（规划科科长）', channels: [{ channel: 'email', sent: 2 }, { channel: 'dingtalk', sent: 1, refused: 1 }] }] });
    expect((await call('coord-qian', 'GET', `/api/cycles/${id}/reach`)).statusCode).toBe(403);
    expect(JSON.stringify(json)).not.toContain('0badc0de');
  });
});

describe('the OpenAPI document', () => {
  it('lists the routes, and no robot answer has a field for the address or the secret', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    expect(Object.keys(doc.paths['/api/directory/robots'] ?? {}).sort()).toEqual(['delete', 'get', 'put']);
    expect(Object.keys(doc.paths['/api/me/notices'] ?? {}).sort()).toEqual(['get', 'put']);
    expect(doc.paths['/api/cycles/{cycleId}/reach']?.get).toBeDefined();
    const answers = JSON.stringify([doc.paths['/api/directory/robots']!.get!.responses, doc.paths['/api/directory/robots']!.put!.responses]);
    expect(answers).toContain('robotId');
    expect(answers).not.toMatch(/"webhook"|"secret"/);
  });
});

describe('credentials', () => {
  it('never appear in an answer, a page, the request log or the audit', async () => {
    // One more look at every page that shows robots, as each kind of person who may see them.
    await page('admin-chen', '/admin');
    await page('office-lin', '/robots');
    await call('admin-chen', 'GET', '/api/directory/robots');
    const audit = JSON.stringify(await directoryChain());
    const texts = { answers: seen.join('\n'), log: logLines.join('\n'), audit };
    expect(seen.length).toBeGreaterThan(40);
    expect(logLines.length).toBeGreaterThan(40);
    for (const [where, text] of Object.entries(texts)) {
      for (const secret of [TOKEN, SECRET, WECOM_KEY, 'otherTok']) {
        for (const form of new Set([secret, encodeURIComponent(secret)])) expect(text.includes(form), `${secret} in ${where}`).toBe(false);
      }
    }
  });
});
