// Notice channels in the audit's words (issue 9): a chat robot's refusal and the e-mail sent instead, the
// channels a notice went by, robots set and removed, a person's channels; every reason code in words,
// people, units and departments by name, never an id or a robot's hash.
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../domain/audit.js';
import type { PermanentReason } from '../../activities/channels/channel.js';
import { auditNames, auditWords, directoryAuditNames } from '../../client/portal/audit-text.js';
import { exampleCycle } from '../helpers/cycle.js';

const input = exampleCycle('notice-words');
const names = auditNames(input);
let seq = 0;
const entry = (e: Partial<AuditEntry> & Pick<AuditEntry, 'action'>): AuditEntry => ({
  seq: (seq += 1), at: '2020-01-02T10:32:00+08:00', actor: 'system', role: 'system', subject: 'plan', workflowId: input.cycleId, ...e,
});
const HASH = 'dingtalk:1a2b3c4d';

describe('notices in the cycle\'s audit', () => {
  it('tells a robot\'s refusal with the person, the channel and the reason in words, then the channels the notice went by', () => {
    const entries = [
      entry({ action: 'notice-fallback', detail: `to=office-lin channel=dingtalk robot=${HASH} reason=bad-secret` }),
      entry({ action: 'reminder-sent', detail: `to=office-lin kinds=assigned id=<${input.cycleId}.x@perfcycle> via=email` }),
      entry({ action: 'reminder-sent', detail: `to=head-zheng kinds=assigned+escalate-director id=<${input.cycleId}.y@perfcycle> via=dingtalk+email` }),
      entry({ action: 'reminder-sent', detail: `to=head-zheng kinds=assigned id=<${input.cycleId}.z@perfcycle> via=wecom (已送达 delivered after 2 failed attempts)` }),
      // Written before issue 9: no via, by e-mail.
      entry({ action: 'reminder-sent', detail: `to=office-lin kinds=assigned id=<${input.cycleId}.w@perfcycle>` }),
      entry({ action: 'notice-fallback', detail: 'to=head-zheng channel=wecom robot=wecom:99aa00bb reason=bad-key' }),
    ];
    expect(auditWords('zh', entries, names).map((w) => w.text)).toEqual([
      '发给 林晓燕（局办公室） 的钉钉消息被机器人拒收（加签密钥不符），已改用邮件发送',
      '系统通过邮件向 林晓燕（局办公室） 发送通知（新任务）',
      '系统通过钉钉、邮件向 郑伟（规划科科长） 发送通知（新任务、逾期督办）',
      '系统通过企业微信向 郑伟（规划科科长） 发送通知（新任务），此前失败 2 次',
      '系统向 林晓燕（局办公室） 发送邮件（新任务）',
      '发给 郑伟（规划科科长） 的企业微信消息被机器人拒收（机器人地址中的 key 无效），已改用邮件发送',
    ]);
    const en = auditWords('en', entries, names);
    expect(en.map((w) => w.text)).toEqual([
      'The DingTalk message to 林晓燕（局办公室） was refused by the robot (the signing secret does not match); it was sent by e-mail instead',
      'Notice (New task) sent to 林晓燕（局办公室） by E-mail',
      'Notice (New task, Overdue) sent to 郑伟（规划科科长） by DingTalk and E-mail',
      'Notice (New task) sent to 郑伟（规划科科长） by WeCom, after 2 failed attempts',
      'Mail (New task) sent to 林晓燕（局办公室）',
      'The WeCom message to 郑伟（规划科科长） was refused by the robot (the key in the robot\'s address is not valid); it was sent by e-mail instead',
    ]);
    expect(en.map((w) => w.action)).toEqual(['E-mailed instead', 'Notice sent', 'Notice sent', 'Notice sent', 'Notice sent', 'E-mailed instead']);
    for (const w of [...auditWords('zh', entries, names), ...en]) expect(w.text).not.toMatch(/office-lin|head-zheng|dingtalk:|wecom:|1a2b3c4d|99aa00bb|reason=|via=/);
  });

  it('has words for every reason a robot refuses for good, and for one it does not know', () => {
    const reasons: (PermanentReason | 'something-new')[] = ['bad-secret', 'clock-skew', 'security-setting', 'robot-removed', 'bad-key', 'bad-message', 'rejected', 'something-new'];
    const said = (lang: 'zh' | 'en') => auditWords(lang, reasons.map((r) => entry({ action: 'notice-fallback', detail: `to=hr-reviewer channel=dingtalk robot=${HASH} reason=${r}` })), names)
      .map((w) => /[（(](.*)[）)]/.exec(w.text)?.[1]);
    expect(said('zh')).toEqual(['加签密钥不符', '服务器时钟与钉钉相差超过一小时', '不符合机器人的安全设置：关键词或 IP 白名单', '机器人已被移除或所在群已解散', '机器人地址中的 key 无效', '消息格式不被接受', '原因未明', '原因未明']);
    expect(new Set(said('en')).size).toBe(7);
    for (const text of said('en')) expect(reasons).not.toContain(text);
  });

  it('does not restart the count of escalations', () => {
    const entries = [
      entry({ action: 'escalated', detail: 'escalate-director → director-zhang (waiting for office-lin)' }),
      entry({ action: 'notice-fallback', detail: `to=director-zhang channel=dingtalk robot=${HASH} reason=robot-removed` }),
      entry({ action: 'escalated', detail: 'overdue-repeat → director-zhang (waiting for office-lin)' }),
    ];
    expect(auditWords('zh', entries, names)[2]!.text).toContain('第 2 次督办');
  });
});

describe('notice settings in the directory\'s audit', () => {
  const unit = input.unit.id;
  const dnames = directoryAuditNames({
    units: [{ id: unit, name: '晋江市自然资源局' }],
    departments: [{ unit, id: 'planning', name: '规划科' }],
    people: [{ id: 'office-lin', name: '林晓燕（局办公室）' }, { id: 'head-zheng', name: '郑伟（规划科科长）' }, { id: 'admin-chen', name: '陈管理员' }],
  });
  const d = (e: Partial<AuditEntry> & Pick<AuditEntry, 'action'>) => entry({ workflowId: 'directory', role: 'admin', ...e });
  const entries = [
    d({ action: 'robot-set', actor: 'office-lin', subject: `${unit}/planning`, detail: `${HASH} signed` }),
    d({ action: 'robot-set', actor: 'office-lin', subject: unit, detail: 'wecom:99aa00bb' }),
    d({ action: 'robot-removed', actor: 'admin-chen', subject: `${unit}/planning`, detail: HASH }),
    d({ action: 'notice-preference-set', actor: 'head-zheng', subject: 'head-zheng', detail: 'dingtalk,email quiet 22:00-07:30' }),
    d({ action: 'notice-preference-set', actor: 'admin-chen', subject: 'head-zheng', detail: 'email' }),
    d({ action: 'refused', actor: 'head-zheng', role: 'none', subject: unit, detail: `setRobot: head-zheng 无权管理单位 ${unit} 的通知机器人，只有组织目录管理员或该单位的协调人可以 / head-zheng may not manage the notice robots of unit ${unit}; only a directory administrator or the unit's coordinator may` }),
  ];

  it('names the unit and department, the channel, whether signed, and the channels and quiet hours chosen', () => {
    const zh = auditWords('zh', entries, dnames);
    expect(zh.map((w) => w.text)).toEqual([
      '林晓燕（局办公室） 为 晋江市自然资源局 规划科 设置了钉钉机器人（已加签）',
      '林晓燕（局办公室） 为 晋江市自然资源局 设置了企业微信机器人',
      '陈管理员 移除了 晋江市自然资源局 规划科 的钉钉机器人',
      '郑伟（规划科科长） 将自己的通知渠道设为 钉钉、邮件，免打扰时段 22:00–07:30',
      '陈管理员 将 郑伟（规划科科长） 的通知渠道设为 邮件',
      '郑伟（规划科科长） 尝试设置通知机器人：「晋江市自然资源局」，被拒绝：郑伟（规划科科长） 无权管理单位 晋江市自然资源局 的通知机器人，只有组织目录管理员或该单位的协调人可以',
    ]);
    expect(zh.map((w) => w.subject).slice(0, 3)).toEqual(['晋江市自然资源局 规划科', '晋江市自然资源局', '晋江市自然资源局 规划科']);
    expect(zh.map((w) => w.action).slice(0, 4)).toEqual(['设置通知机器人', '设置通知机器人', '移除通知机器人', '设置通知渠道']);
    const en = auditWords('en', entries, dnames).map((w) => w.text);
    expect(en.slice(0, 5)).toEqual([
      '林晓燕（局办公室） set the DingTalk robot of 晋江市自然资源局 规划科 (signed)',
      '林晓燕（局办公室） set the WeCom robot of 晋江市自然资源局',
      '陈管理员 removed the DingTalk robot of 晋江市自然资源局 规划科',
      '郑伟（规划科科长） set their notice channels to DingTalk, E-mail, quiet hours 22:00–07:30',
      '陈管理员 set the notice channels of 郑伟（规划科科长） to E-mail',
    ]);
    for (const text of [...zh.map((w) => w.text), ...en.slice(0, 5)]) expect(text).not.toMatch(/dingtalk:|wecom:|1a2b3c4d|99aa00bb|planning|head-zheng|office-lin|signed$|notice-words/);
  });
});
