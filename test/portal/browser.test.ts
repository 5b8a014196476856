// The portal in a real browser: Debian's headless Chromium driven by playwright-core (nothing is
// downloaded). An owner signs in by the e-mailed link and submits with a file; HR pre-approves;
// the approver approves; the dashboard shows the next phase; a wrong user is refused. Forged requests
// from a page on another port of the same host (issue 8, finding #3) are refused and change nothing.
// Screenshots of the main pages go to docs/screenshots/ with PORTAL_SCREENSHOTS=docs, to a temp dir with
// PORTAL_SCREENSHOTS=1; without it none is taken (a full-page screenshot costs Chromium a second of CPU here, and a
// test run looks at none).
import { existsSync, mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { readTable } from '../../activities/tables.js';
import { harness, lastLinkToken, type Harness } from '../api/harness.js';
import { MARKS, pastCycle, TARGETS_CSV, walkToScoring } from '../api/scored-cycle.js';
import { tempDir } from '../helpers/cycle.js';
import { go, text } from '../helpers/browser.js';
import { freePort } from '../helpers/net.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`SKIPPED test/portal/browser.test.ts: ${CHROMIUM} not found (npm run setup installs Debian's chromium)`);

const shots = process.env.PORTAL_SCREENSHOTS === 'docs' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : process.env.PORTAL_SCREENSHOTS ? tempDir('screenshots') : undefined;
const shoot = async (page: Page, name: string): Promise<void> => {
  if (shots) await page.screenshot({ path: join(shots, name), fullPage: true });
};

const ATTACKER_PASSWORD = 'attacker chose this 123';

/** The screens of the issue's tester: a laptop and a phone. */
interface Screen { name: string; width: number; height: number; phone?: boolean }
const DESKTOP: Screen = { name: '1366', width: 1366, height: 768 };
const PHONE: Screen = { name: '375', width: 375, height: 812, phone: true };

/** A day as people write it: 2026-12-31 → 2026年12月31日. */
const dayZh = (d: string) => d.replace(/^(\d{4})-0?(\d+)-0?(\d+)$/, '$1年$2月$3日');

let h: Harness;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let id: string;
/** The 2019 cycle taken to scoring by the scores test, and the widths measured on each screen. */
let sid: string;
const widths: string[] = [];

describe.skipIf(!hasChromium)(`the portal in Chromium${hasChromium ? '' : ' (skipped: /usr/bin/chromium not found)'}`, () => {
  beforeAll(async () => {
    h = await harness('browser');
    id = h.input.cycleId;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await h.api({ publicUrl: base });
    await app.listen({ host: '127.0.0.1', port });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    if (shots) mkdirSync(shots, { recursive: true });
  });
  afterAll(async () => {
    if (widths.length) console.log(`page widths (scrollWidth/innerWidth, height):\n${widths.join('\n')}`);
    await browser?.close();
    await h?.close();
  });

  /** A fresh browser profile (own cookies) signed in through the login page and the mailed link. */
  async function signIn(who: string, shot?: string, cycle = id, screen: Screen = DESKTOP): Promise<Page> {
    const page = await newPage(screen);
    await page.goto(`${base}/cycles/${cycle}`);
    expect(new URL(page.url()).pathname).toBe('/login');
    // Two sections, each under its heading: the mailed link, and the password.
    await page.getByRole('region', { name: '邮件登录链接' }).getByLabel('账号或邮箱').fill(who);
    await go(page, page.getByRole('button', { name: '发送登录链接' }));
    expect(await text(page.getByRole('status'))).toContain('登录链接已发送');
    if (shot) await shoot(page, shot);
    const token = await lastLinkToken(h.dataDir, who);
    await page.goto(`${base}/auth/link/${token}`);
    await go(page, page.getByRole('button', { name: '登录', exact: true }));
    // A person of one cycle lands on its dashboard; a person of several on the list of their cycles.
    expect(page.url()).toBe(cycle === id ? `${base}/cycles/${id}` : `${base}/`);
    return page;
  }

  /** A fresh browser profile on a laptop's screen, or a phone's (touch, and the page's viewport meta honoured). */
  async function newPage(screen: Screen): Promise<Page> {
    const context = await browser.newContext({
      locale: 'zh-CN', viewport: { width: screen.width, height: screen.height }, ...(screen.phone && { isMobile: true, hasTouch: true }),
    });
    return context.newPage();
  }

  /** The page is no wider than the screen (nothing to scroll sideways); its screenshot goes to `shot`. */
  async function fits(page: Page, what: string, screen: Screen, shot: string): Promise<void> {
    const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth, sh: document.documentElement.scrollHeight }));
    widths.push(`${what} @${screen.name}: ${m.sw}/${m.iw}, ${m.sh} px high`);
    expect(m.sw, `${what} at ${screen.width} px is ${m.sw} px wide`).toBeLessThanOrEqual(m.iw);
    await shoot(page, shot);
  }

  async function openDeliverable(page: Page, deliverableId: string) {
    await page.goto(`${base}/cycles/${id}/d/${deliverableId}`);
  }

  /**
   * Another site on this host (another port: the same "site" for SameSite cookies). `/post?to=URL` is a
   * page whose script posts a form (comment, and the attacker's password) to URL at once; `/bounce?to=URL`
   * answers a POST with a 307 to URL, which the browser follows with the same body and `Origin: null`.
   */
  async function attackerSite(): Promise<{ url: string; bounced: string[]; close: () => Promise<void> }> {
    const bounced: string[] = [];
    const server: Server = createHttpServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://attacker');
      const to = url.searchParams.get('to') ?? '/';
      if (url.pathname === '/bounce') {
        bounced.push(to);
        req.resume();
        res.writeHead(307, { location: to }).end();
        return;
      }
      const attr = to.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>抽奖</title>
<form method="post" action="${attr}"><input name="comment" value="同意"><input name="password" value="${ATTACKER_PASSWORD}"></form>
<script>document.forms[0].submit()</script>`);
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${port}`, bounced, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  /** The victim opens the attacker's page; the answer of the portal or API that it ends on. */
  async function attack(victim: Page, url: string): Promise<{ status: number; text: string }> {
    const answer = victim.waitForResponse((r) => r.url().startsWith(base) && r.request().method() === 'POST');
    await victim.goto(url, { waitUntil: 'commit' });
    const res = await answer;
    return { status: res.status(), text: await res.text() };
  }

  it('walks the plan from submission to approval and on to the next phase; refuses a wrong user', { timeout: 180_000 }, async () => {
    // The coordinator starts the imported cycle from its dashboard.
    const lin = await signIn('office-lin', '01-login.png');
    expect(await text(lin.getByTestId('phase'))).toBe('该周期尚未启动。');
    await go(lin, lin.getByRole('button', { name: '启动评估周期' }));
    expect(await text(lin.getByTestId('phase'))).toBe('制订方案');
    await shoot(lin, '02-dashboard-plan.png');

    // My tasks: the plan, with its due date and days left.
    await go(lin, lin.getByRole('link', { name: '我的任务' }));
    const row = lin.getByTestId('current').getByTestId('task').filter({ hasText: '绩效评估工作方案' });
    // Both deadlines, as people write them: the office's to submit, HR's and the approver's to review.
    expect(await text(row)).toContain(`${dayZh(h.input.dates.planSubmission)}（周`);
    expect(await text(row)).toContain(dayZh(h.input.dates.planApproval));
    expect(await text(row)).toMatch(/还剩 \d+ 天|今天到期/);
    expect(await text(row)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // Deadlines of later phases are not open yet: never overdue.
    expect(await text(lin.getByTestId('upcoming').getByTestId('task').first())).toContain('未开始');
    await shoot(lin, '03-my-tasks.png');

    // The owner submits with a file.
    await go(lin, row.getByRole('link'));
    await lin.getByLabel('说明').fill('年度绩效评估工作方案及"三定"规定');
    await lin.getByLabel('附件').setInputFiles({ name: '绩效评估工作方案.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 方案') });
    await go(lin, lin.getByRole('button', { name: '提交', exact: true }));
    expect(await text(lin.getByTestId('done'))).toBe('已提交');
    // After the submission the item shows the owner's deadline and the reviewer's apart.
    expect(await text(lin.getByTestId('submit-due'))).toMatch(new RegExp(`^提交期限: ${dayZh(h.input.dates.planSubmission)}（周.）24:00\\s*已于 .* 提交$`));
    expect(await text(lin.getByTestId('review-due'))).toMatch(new RegExp(`^审核期限: ${dayZh(h.input.dates.planApproval)}（周.）24:00$`));
    const file = lin.getByTestId('file');
    expect(await text(file)).toBe('绩效评估工作方案.pdf');
    const download = await lin.context().request.get(`${base}${await file.getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect((await download.body()).toString()).toBe('%PDF-1.4 方案');
    await shoot(lin, '04-deliverable-submitted.png');

    // HR pre-approves.
    const hr = await signIn('hr-reviewer');
    await openDeliverable(hr, 'plan');
    await hr.getByLabel('意见').fill('初审通过');
    await go(hr, hr.getByRole('button', { name: '审核通过', exact: true }));
    expect(await text(hr.getByTestId('done'))).toBe('已审核通过');

    // A wrong user: the efficiency office is no reviewer of the plan, and a department head may not see it.
    const office = await signIn('efficiency-office');
    await openDeliverable(office, 'plan');
    expect(await office.getByRole('button', { name: '审核通过', exact: true }).count()).toBe(0);
    // Past the CSRF check (the token of the page's own sign-out form), the rights refuse it.
    const token = await office.locator('input[name="_csrf"]').first().getAttribute('value');
    const forged = await office.context().request.post(`${base}/cycles/${id}/d/plan/approve`, { form: { comment: '越权', _csrf: token! }, headers: { origin: base } });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('市效能办 无权审批');
    expect(await forged.text()).not.toContain('efficiency-office');

    // The approver approves; the dashboard moves on to the next phase.
    const approver = await signIn('efficiency-group');
    await openDeliverable(approver, 'plan');
    await shoot(approver, '05-review.png');
    await go(approver, approver.getByRole('button', { name: '审核通过', exact: true }));
    expect(await text(approver.getByTestId('done'))).toBe('已审核通过');
    await approver.goto(`${base}/cycles/${id}`);
    expect(await text(approver.getByTestId('phase'))).toBe('分析总结');
    expect(await text(approver.locator('ol.timeline li.current'))).toContain('分析总结');
    expect(await text(approver.locator('ol.timeline li.done'))).toContain('制订方案');

    // A department head sees their own department and is refused another's.
    const zheng = await signIn('head-zheng');
    expect(await text(zheng.getByTestId('phase'))).toBe('分析总结');
    expect(await zheng.getByTestId('dept').count()).toBe(1);
    expect(await text(zheng.getByTestId('dept'))).toContain('规划科');
    await shoot(zheng, '06-dashboard-department-head.png');
    const refused = await zheng.goto(`${base}/cycles/${id}/d/summary-law`);
    expect(refused?.status()).toBe(403);
    expect(await text(zheng.getByTestId('error'))).toContain('郑伟（规划科科长） 无权查看');
    await shoot(zheng, '07-refused.png');

    // The coordinator's dashboard, audit (the refusals are in it) and the English toggle.
    await lin.goto(`${base}/cycles/${id}`);
    expect(await text(lin.getByTestId('phase'))).toBe('分析总结');
    // The page's one <style> is allowed by its hash in the CSP (no 'unsafe-inline'): it applies.
    expect(await lin.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(143, 29, 33)');
    await shoot(lin, '08-dashboard-summary.png');
    await lin.goto(`${base}/cycles/${id}/audit?action=refused`);
    expect(await lin.getByTestId('audit-row').filter({ hasText: '郑伟（规划科科长）' }).count()).toBe(1);
    expect(await lin.getByTestId('audit-row').filter({ hasText: '市效能办' }).count()).toBeGreaterThan(0);
    expect(await text(lin.getByTestId('audit-row').filter({ hasText: '郑伟（规划科科长）' }))).toContain('郑伟（规划科科长） 尝试查看「政策法规科年度工作总结及目标台账」，被拒绝');
    const csv = await lin.context().request.get(`${base}${await lin.getByTestId('csv').getAttribute('href')}`);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain('head-zheng');
    await lin.goto(`${base}/cycles/${id}/audit`);
    // People by name, actions in words; the codes stay in the CSV and the JSON.
    const visible = await lin.locator('body').innerText();
    expect(visible).toContain('林晓燕');
    expect(visible).toContain('系统向 林晓燕（局办公室） 下达「绩效评估工作方案及"三定"规定」，期限');
    expect(visible).toContain('市人社局考核科 审核通过「绩效评估工作方案及"三定"规定」（市人社局初审）');
    expect(visible).not.toMatch(/office-lin|deliverable-opened|hrReviewer|@perfcycle|sha256/);
    await shoot(lin, '09-audit.png');
    await lin.goto(`${base}/cycles/${id}/scores`);
    expect(await text(lin.getByTestId('no-result'))).toContain('尚未公布');
    await lin.goto(`${base}/account`);
    expect(await text(lin.getByTestId('ical'))).toContain(`${base}/ical/`);
    await shoot(lin, '10-account.png');
    await go(lin, lin.getByTestId('lang'));
    await lin.goto(`${base}/cycles/${id}`);
    expect(await text(lin.getByTestId('phase'))).toBe('Analysis and summary');
    await shoot(lin, '11-dashboard-en.png');
  });

  it('refuses forged requests from a page on another port: a form posted to the API, a POST redirected (307) to an action or to the password change', async () => {
    // The summary of 规划科 waits for its leader, who is signed in, when he opens the attacker's page.
    await h.client.submit(id, 'summary-planning', { actor: 'head-zheng', note: '规划科年度总结' });
    const state = async () => (await h.client.status(id)).deliverables.find((d) => d.id === 'summary-planning')!.state;
    expect(await state()).toBe('in-review');
    const victim = await signIn('leader-wang');
    const attacker = await attackerSite();
    try {
      const api = `${base}/api/cycles/${id}/deliverables/summary-planning/approve`;
      const portal = `${base}/cycles/${id}/d/summary-planning/approve`;
      // 1. A form auto-submitted straight to the JSON API (form-encoded, Origin: the attacker's port).
      const a = await attack(victim, `${attacker.url}/post?to=${encodeURIComponent(api)}`);
      expect(a.status).toBe(403);
      expect(a.text).toContain('"code":"csrf"');
      // 2. The attacker's own form answered 307 to the portal's approve: Chromium re-posts with Origin: null.
      const b = await attack(victim, `${attacker.url}/post?to=${encodeURIComponent(`${attacker.url}/bounce?to=${encodeURIComponent(portal)}`)}`);
      expect(b.status).toBe(403);
      expect(b.text).toContain('请重新加载页面后再提交');
      expect(attacker.bounced).toContain(portal);
      expect(await state()).toBe('in-review');
      // 3. The same to the password change (signed in by link, no current password asked).
      const c = await attack(victim, `${attacker.url}/post?to=${encodeURIComponent(`${attacker.url}/bounce?to=${encodeURIComponent(`${base}/account/password`)}`)}`);
      expect(c.status).toBe(403);
      const hijack = await app.inject({ method: 'POST', url: '/api/auth/password', payload: { login: 'leader-wang', password: ATTACKER_PASSWORD } });
      expect(hijack.statusCode).toBe(401);
      const account = await h.client.store.db.selectFrom('accounts').select('password_hash').where('id', '=', 'leader-wang').executeTakeFirstOrThrow();
      expect(account.password_hash).toBeNull();
      // The leader himself still approves from the item's page.
      await openDeliverable(victim, 'summary-planning');
      await go(victim, victim.getByRole('button', { name: '审核通过', exact: true }));
      expect(await text(victim.getByTestId('done'))).toBe('已审核通过');
    } finally {
      await attacker.close();
    }
  });

  it('files evidence from a target page; shows the ledger, the breakdown and the efficiency office\'s form on the scores page', { timeout: 180_000 }, async () => {
    // A 2019 cycle: past its review window once plan and summaries are approved, so marks can be given.
    const input = await pastCycle(h, 'browser-2019');
    sid = input.cycleId;
    await h.client.start(input, 'office-lin');
    await h.client.importTargets(sid, await readTable(TARGETS_CSV), 'office-lin');

    const xu = await signIn('head-xu', undefined, sid);
    await xu.goto(`${base}/cycles/${sid}/t/T14`);
    await xu.getByTestId('evidence-form').getByLabel('附件').setInputFiles({ name: '复议诉讼台账.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF 台账') });
    await xu.getByTestId('evidence-form').getByLabel('说明').fill('2019 年度行政复议、诉讼案件台账');
    await go(xu, xu.getByRole('button', { name: '报送佐证材料' }));
    expect(await text(xu.getByTestId('done'))).toBe('佐证材料已报送。');
    expect(await text(xu.getByTestId('file'))).toBe('复议诉讼台账.pdf');
    await shoot(xu, '12-target-evidence.png');

    await walkToScoring(h, input);
    for (const [targetId, mark] of Object.entries(MARKS)) await h.client.markTarget(sid, { actor: 'review-gov', targetId, mark });
    for (const [figure, value, source] of [['publicReview', 90, '市统计局'], ['windowReview', null, '本单位无办事窗口'], ['approvalService', 88, '市审改办'], ['partyBuilding', 92, '市直机关工委']] as const) {
      await h.client.enterFigure(sid, { actor: 'efficiency-office', figure, value, source });
    }

    // The efficiency office enters the inspection deduction in the browser: the final score follows.
    const office = await signIn('efficiency-office', undefined, sid);
    await office.goto(`${base}/cycles/${sid}/scores`);
    expect(await text(office.getByTestId('final-score'))).toBe('93.15');
    const form = office.getByTestId('figure-form');
    await form.getByLabel('项目').selectOption('inspection');
    await form.getByLabel('数值').fill('0.2');
    await form.getByLabel('数据来源').fill('察访核验通报（2020 年第 1 期）');
    await go(office, form.getByRole('button', { name: '录入' }));
    expect(await text(office.getByTestId('done'))).toBe('已录入。');
    expect(await text(office.getByTestId('final-score'))).toBe('92.95');
    expect(await office.getByTestId('target-row').count()).toBe(17);
    await shoot(office, '13-scores.png');
    await office.goto(`${base}/cycles/${sid}/scores?lang=en`);
    expect(await text(office.locator('h2').filter({ hasText: 'Score breakdown' }))).toBe('Score breakdown');
    await office.goto(`${base}/cycles/${sid}/scores?lang=zh`);
  });

  it('shows every main page within the screen at 1366×768 and on a 375×812 phone, in words and names', { timeout: 180_000 }, async () => {
    expect(sid).toBeDefined();
    for (const [n, screen] of [[20, DESKTOP], [30, PHONE]] as const) {
      const login = await newPage(screen);
      await login.goto(`${base}/login`);
      expect(await login.getByRole('heading', { name: '邮件登录链接' }).count()).toBe(1);
      expect(await login.getByRole('heading', { name: '密码登录' }).count()).toBe(1);
      await fits(login, 'sign-in', screen, `${n}-login-${screen.name}.png`);
      await login.context().close();

      const lin = await signIn('office-lin', undefined, sid, screen);
      // Anything the CSP refuses, or a script's error, is reported on the console.
      const errors: string[] = [];
      lin.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      lin.on('pageerror', (e) => errors.push(e.message));
      await lin.goto(`${base}/cycles/${sid}`);
      // The charts, drawn by the app's own scripts (Chart.js and charts.js, allowed by the CSP): each
      // table of numbers folds away once its chart is drawn.
      for (const chart of ['chart-completion', 'chart-overdue', 'chart-score']) {
        expect(await lin.getByTestId(chart).getAttribute('data-drawn'), chart).toBe('true');
        expect(await lin.getByTestId(chart).locator('canvas').evaluate((c) => (c as HTMLCanvasElement).width)).toBeGreaterThan(100);
      }
      expect(await lin.getByTestId('chart-overdue').locator('details').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      expect(errors).toEqual([]);
      await fits(lin, 'dashboard', screen, `${n + 1}-dashboard-${screen.name}.png`);
      // Counts per department, and the filter by department and state.
      const planning = lin.getByTestId('dept').filter({ hasText: '规划科' });
      // Its summary accepted; its evidence closed with the review window.
      expect(await text(planning.getByTestId('count-done'))).toBe('1');
      expect(await text(planning.getByTestId('count-closed'))).toBe('1');
      await lin.getByTestId('dashboard-filter').getByLabel('科室').selectOption({ label: '规划科' });
      await lin.getByTestId('dashboard-filter').getByLabel('状态').selectOption({ label: '已完成' });
      await go(lin, lin.getByTestId('dashboard-filter').getByRole('button', { name: '筛选' }));
      expect(await lin.getByTestId('dept').count()).toBe(1);
      expect(await lin.getByTestId('item').count()).toBe(1);

      await lin.goto(`${base}/tasks`);
      // The 2019 cycle's later deadlines are long past, yet not open: 未开始 with their opening, never 逾期.
      const later = await text(lin.getByTestId('upcoming').getByTestId('task').filter({ hasText: '绩效奖金发放人员名单' }));
      expect(later).toContain('未开始');
      expect(later).toContain('计分评定后开始，预计 2020年3月31日');
      expect(later).not.toContain('逾期');
      await fits(lin, 'my tasks', screen, `${n + 2}-tasks-${screen.name}.png`);

      await lin.goto(`${base}/cycles/${sid}/d/summary-planning`);
      expect(await text(lin.getByTestId('submit-due'))).toContain('提交期限: 2020年1月31日（周五）24:00');
      expect(await lin.locator('body').innerText()).not.toMatch(/head-zheng|leader-wang|[0-9a-f]{12}/);
      await fits(lin, 'item', screen, `${n + 3}-item-${screen.name}.png`);

      await lin.goto(`${base}/cycles/${sid}/audit`);
      const audit = await lin.locator('body').innerText();
      expect(audit).toContain('林晓燕');
      expect(audit).not.toMatch(/office-lin|deliverable-opened|escalated|hrReviewer|@perfcycle|perfcycle-/);
      expect(audit).toMatch(/系统向 .*发出首次督办（已逾期），等待 .* 办理/);
      expect(await lin.getByTestId('audit-row').count()).toBeLessThanOrEqual(50);
      expect(await text(lin.getByTestId('pager'))).toMatch(/第 1\/\d+ 页/);
      await fits(lin, 'audit', screen, `${n + 4}-audit-${screen.name}.png`);
      await go(lin, lin.getByTestId('nextPage'));
      expect(await text(lin.getByTestId('pager'))).toMatch(/第 2\/\d+ 页/);

      await lin.goto(`${base}/cycles/${sid}/scores`);
      expect(await lin.locator('body').innerText()).not.toMatch(/office-lin|review-gov|efficiency-office|perfcycle-grading/);
      await fits(lin, 'scores', screen, `${n + 5}-scores-${screen.name}.png`);

      // The calendar of deadlines, from the dashboard: each month, each deadline on its day, by name.
      await lin.goto(`${base}/cycles/${sid}`);
      await go(lin, lin.getByTestId('calendar-link'));
      expect(await lin.getByTestId('month').count()).toBeGreaterThanOrEqual(5);
      const january = lin.getByTestId('month').filter({ hasText: '2020年1月' });
      expect(await text(january.getByTestId('deadline').filter({ hasText: '规划科年度工作总结及目标台账' }))).toContain('郑伟（规划科科长） 提交 · 规划科');
      expect(await january.getByTestId('marked-day').filter({ hasText: /^31$/ }).count()).toBe(1);
      expect(await lin.locator('body').innerText()).not.toMatch(/office-lin|head-zheng|summary-planning|\d{4}-\d{2}-\d{2}/);
      await fits(lin, 'calendar', screen, `${n + 6}-calendar-${screen.name}.png`);
      expect(errors).toEqual([]);
      await lin.context().close();
    }
  });
});
