// The portal's words, zh-CN first. `?lang=en` (or the toggle in the header) switches to English and
// is remembered in a cookie; without either, a signed-in person's own language from the cycle file.
export type Lang = 'zh' | 'en';

const M = {
  app: ['绩效评估平台', 'Performance evaluation portal'],
  dashboard: ['仪表盘', 'Dashboard'],
  cycles: ['评估周期', 'Cycles'],
  tasks: ['我的任务', 'My tasks'],
  audit: ['审计记录', 'Audit log'],
  scores: ['得分与等次', 'Scores and grades'],
  account: ['我的账号', 'My account'],
  signOut: ['退出登录', 'Sign out'],
  signIn: ['登录', 'Sign in'],
  login: ['账号或邮箱', 'Account id or e-mail'],
  password: ['密码', 'Password'],
  sendLink: ['发送登录链接', 'E-mail me a sign-in link'],
  signInPassword: ['用密码登录', 'Sign in with password'],
  linkSent: ['如该账号存在，登录链接已发送至其邮箱，请查收。', 'If the account exists, a sign-in link is on its way to its e-mail.'],
  linkBad: ['链接无效、已使用或已过期，请重新获取。', 'The link is invalid, used or expired: ask for a new one.'],
  wrongPassword: ['账号或密码错误。', 'Wrong account or password.'],
  confirmLink: ['点击下方按钮完成登录。', 'Press the button to finish signing in.'],
  phase: ['当前阶段', 'Current phase'],
  timeline: ['阶段时间表', 'Phase timeline'],
  byDepartment: ['各科室进度', 'Progress by department'],
  department: ['科室', 'Department'],
  bureau: ['本局（方案、结果、整改）', 'The Bureau (plan, results, rectification)'],
  owner: ['负责人', 'Owner'],
  leader: ['责任领导', 'Responsible leader'],
  due: ['期限', 'Due'],
  dueCount: ['待办', 'Due'],
  overdue: ['逾期', 'Overdue'],
  done: ['已完成', 'Done'],
  closed: ['已关闭', 'Closed'],
  item: ['事项', 'Item'],
  state: ['状态', 'State'],
  daysLeft: ['剩余', 'Left'],
  action: ['需办理', 'To do'],
  actSubmit: ['提交', 'Submit'],
  actReview: ['审核', 'Review'],
  noTasks: ['目前没有待办事项。', 'Nothing to do right now.'],
  upcoming: ['后续期限', 'Coming deadlines'],
  notStarted: ['该周期尚未启动。', 'This cycle has not been started yet.'],
  startCycle: ['启动评估周期', 'Start the cycle'],
  submissions: ['提交记录', 'Submissions'],
  reviews: ['审核记录', 'Reviews'],
  note: ['说明', 'Note'],
  files: ['附件', 'Attachments'],
  submit: ['提交', 'Submit'],
  approve: ['审核通过', 'Approve'],
  reject: ['退回', 'Reject'],
  comment: ['意见', 'Comment'],
  reason: ['退回理由', 'Reason'],
  newDue: ['新的期限（可选）', 'New due date (optional)'],
  by: ['办理人', 'By'],
  at: ['时间', 'When'],
  decision: ['结论', 'Decision'],
  filter: ['筛选', 'Filter'],
  exportCsv: ['导出 CSV', 'Export CSV'],
  actor: ['操作人', 'Actor'],
  subject: ['对象', 'Subject'],
  detail: ['详情', 'Detail'],
  from: ['起始日期', 'From'],
  to: ['截止日期', 'To'],
  all: ['全部', 'All'],
  noScores: ['得分与等次尚未公布。市效能办于次年 3 月计分、4 月公布结果。', 'No score or grade yet: the efficiency office scores in March and publishes in April of the following year.'],
  setPassword: ['设置密码', 'Set password'],
  currentPassword: ['当前密码', 'Current password'],
  newPassword: ['新密码（至少 10 位）', 'New password (at least 10 characters)'],
  passwordSet: ['密码已设置。', 'Password set.'],
  ical: ['日历订阅（iCalendar）', 'Calendar feed (iCalendar)'],
  icalHint: ['在手机或 Outlook 中订阅此地址，即可看到您的各项期限。请勿转发：持有地址者可看到您的期限。', 'Subscribe to this address from a phone or Outlook to see your deadlines. Do not share it: whoever has it sees them.'],
  newIcal: ['更换订阅地址', 'Replace the address'],
  roles: ['角色', 'Roles'],
  back: ['返回', 'Back'],
  refused: ['无权操作', 'Refused'],
  error: ['出错了', 'Something went wrong'],
  limits: ['单个文件不超过 {mb} MB；允许的类型：{types}', 'Up to {mb} MB per file; allowed types: {types}'],
  outboxHint: ['本机运行：邮件保存在 {dir}（.eml 文件，可用邮件程序打开）。', 'Running locally: mails are saved in {dir} (.eml files; open with a mail program).'],
  scoringPackage: ['考评材料包', 'Review package'],
  downloads: ['下载', 'Download'],
} as const satisfies Record<string, readonly [string, string]>;

export type Key = keyof typeof M;

export function tr(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  const s = M[key][lang === 'en' ? 1 : 0];
  return s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

/** For texts the domain already carries in both languages. */
export const pick = (lang: Lang, t: { zh: string; en: string }): string => (lang === 'en' ? t.en : t.zh);

export const STATE_LABEL: Record<string, { zh: string; en: string }> = {
  open: { zh: '待提交', en: 'Open' },
  'in-review': { zh: '审核中', en: 'In review' },
  accepted: { zh: '已通过', en: 'Accepted' },
  closed: { zh: '已关闭', en: 'Closed' },
};

export const ROLE_LABEL: Record<string, { zh: string; en: string }> = {
  coordinator: { zh: '局办公室（统筹）', en: 'Coordinator (office)' },
  director: { zh: '局长', en: 'Director' },
  hrReviewer: { zh: '市人社局（初审）', en: 'HR reviewer' },
  approver: { zh: '效能建设领导小组（批复）', en: 'Approver (efficiency leading group)' },
  efficiencyOffice: { zh: '市效能办', en: 'Efficiency office' },
  owner: { zh: '科室负责人', en: 'Department head' },
  leader: { zh: '责任领导', en: 'Responsible leader' },
};
