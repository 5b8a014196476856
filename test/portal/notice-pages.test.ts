// Notice channels' pages in a real browser (Debian's headless Chromium, playwright-core): the account
// page's 通知渠道 form, a coordinator's robots form (the secret typed into a password field, never shown
// again), and who was reached by which channel; each fits a 375 px phone as well as a laptop's screen.
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { harness, signIn as signInByApi, type Harness } from '../api/harness.js';
import { go, text } from '../helpers/browser.js';
import { freePort } from '../helpers/net.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`SKIPPED test/portal/notice-pages.test.ts: ${CHROMIUM} not found (npm run setup installs Debian's chromium)`);

const TOKEN = 'brTok9Q4mZ7xLp2W';
const SECRET = 'SECbr0wserS3cretK8v';

let h: Harness;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let id: string;

describe.skipIf(!hasChromium)('notice channels in Chromium', () => {
  beforeAll(async () => {
    h = await harness('notice-browser');
    id = h.input.cycleId;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    app = await h.api({ publicUrl: base });
    await app.listen({ host: '127.0.0.1', port });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // Messages of the cycle, as the worker would have recorded them.
    const mail = h.client.store.mail;
    let n = 0;
    for (const [personId, channel, sent] of [['head-zheng', 'email', true], ['head-zheng', 'dingtalk', true], ['head-wu', 'wecom', false], ['office-lin', 'email', true]] as const) {
      n += 1;
      const messageId = `<browser-${n}@perfcycle.test>`;
      await mail.claim(messageId, 'test', 15_000, { key: `${id}|browser-${n}`, to: personId, subject: '提醒', cycleId: id, personId, channel });
      if (sent) await mail.markSent(messageId, 'test', personId);
      else await mail.release(messageId, 'test', { kind: 'refused', message: 'bad-key 93000: invalid webhook url' });
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  }, 60_000);

  /** A browser profile with the person's session (signed in by the mailed link over the API). */
  async function as(who: string, width: number): Promise<Page> {
    const cookie = await signInByApi(app, h.dataDir, who);
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width, height: 812 }, ...(width < 500 && { isMobile: true, hasTouch: true }) });
    await context.addCookies(cookie.split('; ').map((c) => ({ name: c.slice(0, c.indexOf('=')), value: c.slice(c.indexOf('=') + 1), url: base })));
    return context.newPage();
  }

  async function fits(page: Page, what: string): Promise<void> {
    const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
    expect(m.sw, `${what} is ${m.sw} px wide on a ${m.iw} px screen`).toBeLessThanOrEqual(m.iw);
  }

  it('a coordinator sets a robot by form; the person then chooses channels and quiet hours on the account page; both fit a phone', { timeout: 120_000 }, async () => {
    for (const width of [1366, 375]) {
      const lin = await as('office-lin', width);
      await lin.goto(`${base}/account`);
      await go(lin, lin.getByTestId('manage-robots'));
      expect(new URL(lin.url()).pathname).toBe('/robots');
      await fits(lin, `robots @${width}`);
      const form = lin.getByTestId('set-robot');
      await form.getByLabel('单位 / 科室').selectOption({ label: '晋江市自然资源局 · 规划科' });
      await form.getByLabel('渠道').selectOption({ label: '钉钉' });
      await form.getByLabel('Webhook 地址').fill(`https://oapi.dingtalk.com/robot/send?access_token=${TOKEN}`);
      expect(await form.getByLabel('加签密钥（仅钉钉，可不填）').getAttribute('type')).toBe('password');
      await form.getByLabel('加签密钥（仅钉钉，可不填）').fill(SECRET);
      await go(lin, form.getByRole('button', { name: '保存' }));
      expect(await text(lin.getByTestId('done'))).toBe('机器人已设置。');
      const row = await text(lin.getByTestId('robot').filter({ hasText: '规划科' }));
      expect(row).toContain('钉钉');
      expect(row).toContain('已加签');
      expect(row).toContain('林晓燕（局办公室）');
      const html = await lin.content();
      expect(html).not.toContain(TOKEN);
      expect(html).not.toContain(SECRET);
      await fits(lin, `robots after saving @${width}`);
      await lin.context().close();

      const zheng = await as('head-zheng', width);
      await zheng.goto(`${base}/account`);
      const notices = zheng.getByTestId('notices');
      expect(await text(notices.getByTestId('robot-dingtalk'))).toBe('钉钉：由您科室（规划科）的群机器人发送。');
      expect(await text(notices.getByTestId('no-robot-wecom'))).toContain('企业微信：您的科室（规划科）和单位（晋江市自然资源局）都还没有企业微信机器人');
      await fits(zheng, `account @${width}`);
      await notices.getByLabel('钉钉').check();
      await notices.getByLabel('开始').fill('22:00');
      await notices.getByLabel('结束').fill('07:30');
      await go(zheng, notices.getByRole('button', { name: '保存' }));
      expect(await text(zheng.getByRole('status'))).toBe('通知设置已保存。');
      expect(await text(zheng.getByTestId('notices-now'))).toBe('当前：邮件、钉钉；免打扰 22:00–07:30');
      expect(await zheng.getByTestId('notices').getByLabel('钉钉').isChecked()).toBe(true);
      await fits(zheng, `account after saving @${width}`);
      await zheng.context().close();
    }
    expect(await h.client.store.notices.preference('head-zheng')).toEqual({ channels: ['email', 'dingtalk'], quiet: { start: '22:00', end: '07:30' } });
  });

  it('shows who was reached by which channel, per department, by name, on a laptop and a phone', { timeout: 120_000 }, async () => {
    for (const width of [1366, 375]) {
      const lin = await as('office-lin', width);
      await lin.goto(`${base}/cycles/${id}/reach`);
      const planning = lin.getByTestId('reach-dept').filter({ hasText: '规划科' });
      expect(await planning.getByTestId('reach').count()).toBe(2);
      expect(await text(planning.getByTestId('reach').filter({ hasText: '钉钉' }))).toContain('郑伟（规划科科长）');
      const refused = await text(lin.getByTestId('reach-dept').filter({ hasText: '地籍与确权登记科' }).getByTestId('reach'));
      expect(refused).toContain('企业微信');
      expect(await lin.locator('body').innerText()).not.toMatch(/head-zheng|head-wu|office-lin|@perfcycle/);
      await fits(lin, `reach @${width}`);
      await lin.context().close();
    }
  });
});
