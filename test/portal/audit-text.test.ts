// The audit in words (client/portal/audit-text.ts): every stored shape of detail the workflows write,
// told with names and titles in both languages; no id, code, hash or workflow id left in the words.
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../domain/audit.js';
import { auditNames, auditWords, spoken } from '../../client/portal/audit-text.js';
import { exampleCycle } from '../helpers/cycle.js';

const input = exampleCycle('words');
const names = auditNames(input, { targets: [{ id: 'T14', title: '规范性文件合法性审查' }] });
const SHA = 'a'.repeat(64);

let seq = 0;
const entry = (e: Partial<AuditEntry> & Pick<AuditEntry, 'action'>): AuditEntry => ({
  seq: (seq += 1), at: '2020-01-02T10:32:00+08:00', actor: 'system', role: 'system', subject: 'plan', workflowId: `${input.cycleId}.plan`, ...e,
});

const ENTRIES: AuditEntry[] = [
  entry({ action: 'cycle-started', actor: 'office-lin', role: 'coordinator', subject: input.cycleId, workflowId: input.cycleId }),
  entry({ action: 'deliverable-opened', detail: 'owner=office-lin due=2019-12-31T23:59:59.999+08:00' }),
  entry({ action: 'escalated', detail: 'escalate-director → director-zhang, office-lin (waiting for office-lin)' }),
  entry({ action: 'reminder-sent', detail: `to=office-lin kinds=assigned+escalate-director id=<${input.cycleId}.x@perfcycle> (已送达 delivered after 3 failed attempts)` }),
  entry({ action: 'escalated', detail: 'overdue-repeat → director-zhang, office-lin (waiting for office-lin)' }),
  entry({ action: 'submitted', actor: 'office-lin', role: 'coordinator', detail: '方案及三定规定' }),
  entry({ action: 'approved', actor: 'hr-reviewer', role: 'hrReviewer', detail: '市人社局初审' }),
  entry({ action: 'rejected', actor: 'efficiency-group', role: 'approver', detail: '目标量化不足' }),
  entry({ action: 'escalated', detail: 'overdue-repeat → director-zhang, office-lin (waiting for office-lin)' }),
  entry({ action: 'refused', actor: 'head-zheng', role: 'owner:planning', detail: 'submit: head-zheng 无权提交「绩效评估工作方案」，应由 office-lin 办理 / head-zheng may not submit plan; only office-lin may' }),
  entry({ action: 'phase-changed', subject: input.cycleId, detail: 'plan → summary' }),
  entry({ action: 'approved', actor: 'leader-wang', role: 'leader:planning', subject: 'summary-planning', detail: '责任领导审核' }),
  entry({ action: 'mail-delayed', detail: 'to=office-lin attempts=3: connect ECONNREFUSED' }),
  entry({ action: 'mail-failed', detail: 'unknown person ghost' }),
  entry({ action: 'deliverable-closed', subject: 'evidence-planning', detail: 'review window closed / 考评窗口已关闭' }),
  entry({ action: 'scoring-prepared', subject: input.cycleId, detail: '/data/packages/x.json' }),
  entry({ action: 'targets-imported', actor: 'office-lin', role: 'coordinator', subject: input.cycleId, detail: `17 项目标 targets (职能 functional 65 + 行政能力 administrative 35); 考评表.csv sha256=${SHA}` }),
  entry({ action: 'evidence-filed', actor: 'head-xu', role: 'owner:law', subject: 'T14', detail: `纸质/paper 复议 台账.pdf sha256=${SHA}; 2019 年度台账` }),
  entry({ action: 'mark-corrected', actor: 'review-gov', role: 'reviewTeam', subject: 'T14', detail: '7.5/8；理由 reason: 复核更正' }),
  entry({ action: 'figure-entered', actor: 'efficiency-office', role: 'efficiencyOffice', subject: 'figure:windowReview', detail: '不适用 n/a；来源 source: 本单位无办事窗口' }),
  entry({ action: 'vetoes-set', actor: 'efficiency-office', role: 'efficiencyOffice', subject: input.cycleId, detail: 'public-criticism；来源 source: 市效能办' }),
  entry({ action: 'graded', actor: 'efficiency-office', role: 'efficiencyOffice', subject: input.cycleId, detail: `excellent 第 3/38 名 rank, 93.15; 得分前列 / among the best (perfcycle-grading-2019@01a2146b-5c1e)` }),
  entry({ action: 'result-published', subject: input.cycleId, detail: `to=director-zhang grade=excellent id=<r@perfcycle>` }),
  entry({ action: 'urged', actor: 'director-zhang', role: 'director', detail: 'to=office-lin: 请尽快提交' }),
  entry({ action: 'deadline-extended', actor: 'office-lin', role: 'coordinator', detail: '2019-12-31 → 2020-01-06: 三定规定待批复' }),
];

describe('the audit in words', () => {
  const zh = auditWords('zh', ENTRIES, names).map((w) => w.text);
  const en = auditWords('en', ENTRIES, names).map((w) => w.text);

  it('tells every entry as a sentence with names, titles and dates as people write them', () => {
    expect(zh).toEqual([
      '林晓燕（局办公室） 启动了晋江市自然资源局 2019的评估周期',
      '系统向 林晓燕（局办公室） 下达「绩效评估工作方案及"三定"规定」，期限 2019年12月31日（周二）24:00',
      '系统向 张建国（局长）、林晓燕（局办公室） 发出首次督办（已逾期），等待 林晓燕（局办公室） 办理',
      '系统向 林晓燕（局办公室） 发送邮件（新任务、逾期督办），此前失败 3 次',
      '系统向 张建国（局长）、林晓燕（局办公室） 发出第 2 次督办（已逾期），等待 林晓燕（局办公室） 办理',
      '林晓燕（局办公室） 提交「绩效评估工作方案及"三定"规定」；说明：方案及三定规定',
      '市人社局考核科 审核通过「绩效评估工作方案及"三定"规定」（市人社局初审）',
      '市机关效能建设领导小组 退回「绩效评估工作方案及"三定"规定」，理由：目标量化不足',
      // Sent back: a new deadline, counted from the first again.
      '系统向 张建国（局长）、林晓燕（局办公室） 发出首次督办（已逾期），等待 林晓燕（局办公室） 办理',
      '郑伟（规划科科长） 尝试提交「绩效评估工作方案及"三定"规定」，被拒绝：郑伟（规划科科长） 无权提交「绩效评估工作方案」，应由 林晓燕（局办公室） 办理',
      '周期从「制订方案」进入「分析总结」阶段',
      '王志明（副局长） 审核通过「规划科年度工作总结及目标台账」（责任领导审核）',
      '发给 林晓燕（局办公室） 的邮件发送受阻（已尝试 3 次），将自动重试：connect ECONNREFUSED',
      '邮件未发送：收件人 ghost 不在本周期人员中',
      '系统关闭「规划科考评佐证材料」：考评窗口已关闭',
      '系统将本周期的材料归档为考评材料包',
      '林晓燕（局办公室） 导入考评表：17 项目标（职能工作 65 分，行政能力 35 分）；文件：考评表.csv',
      '许志强（政策法规科科长兼执法大队队长） 为「T14 规范性文件合法性审查」报送佐证材料（纸质）；文件：复议 台账.pdf；说明：2019 年度台账',
      '考评组（市政府办） 将「T14 规范性文件合法性审查」的得分更正为 7.5 分（满分 8 分）；理由：复核更正',
      '市效能办 录入「窗口公众评议得分」：不适用，来源：本单位无办事窗口',
      '市效能办 认定否决情形：工作落实不力被专题通报批评或被市委、市政府严肃追责；依据：市效能办',
      '市效能办 评定本单位等次为「优秀」：第 3 名（共 38 个单位），93.15 分。得分前列',
      '系统向 张建国（局长） 发送考评结果（等次：优秀）',
      '张建国（局长） 催办「绩效评估工作方案及"三定"规定」，已发邮件提醒 林晓燕（局办公室）；说明：请尽快提交',
      '林晓燕（局办公室） 将「绩效评估工作方案及"三定"规定」的期限从 2019年12月31日（周二）24:00 延至 2020年1月6日（周一）24:00，理由：三定规定待批复',
    ]);
  });

  it('speaks English when chosen', () => {
    expect(en[2]).toBe('First escalation (overdue) sent to 张建国（局长）, 林晓燕（局办公室）; waiting for 林晓燕（局办公室）');
    expect(en[4]).toMatch(/^2nd escalation/);
    expect(en[6]).toBe('市人社局考核科 approved "Work plan and "three-determination" mandate" (HR preliminary review)');
    expect(en[9]).toBe('郑伟（规划科科长） tried to submit "Work plan and "three-determination" mandate" and was refused: 郑伟（规划科科长） may not submit plan; only 林晓燕（局办公室） may');
    // A pair written English first.
    expect(en[14]).toBe('"规划科: evidence for the review" was closed: review window closed');
  });

  it('leaves no id, code, hash or workflow id in the words', () => {
    for (const text of [...zh, ...en]) {
      expect(text).not.toMatch(/office-lin|director-zhang|head-zheng|hrReviewer|owner:|sha256|@perfcycle|perfcycle-|escalate-|overdue-repeat|[0-9a-f]{16}/);
    }
    const w = auditWords('zh', ENTRIES, names);
    expect(w[9]).toMatchObject({ actor: '郑伟（规划科科长）', role: '规划科负责人', action: '拒绝越权操作' });
    expect(w[0]).toMatchObject({ role: '局办公室（统筹）', action: '启动周期', subject: '晋江市自然资源局 2019' });
  });

  it('picks the reader\'s half of a two-language message, line by line, with names for ids', () => {
    expect(spoken('zh', 'head-zheng 无权查看「政策法规科年度工作总结及目标台账」/ head-zheng may not see summary-law\n第 2 行「分值」/ row 2, column "分值"', names))
      .toBe('郑伟（规划科科长） 无权查看「政策法规科年度工作总结及目标台账」\n第 2 行「分值」');
    expect(spoken('en', '无权 / head-zheng may not see summary-law', names)).toBe('郑伟（规划科科长） may not see 政策法规科: annual summary and target ledger');
    expect(spoken('en', 'a path /data/x stays whole', names)).toBe('a path /data/x stays whole');
  });
});
