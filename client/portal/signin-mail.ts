// The sign-in link mail: zh-CN first, English below, like the reminders. The link opens a page with
// a button, so a mail scanner that follows links does not use it up.
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Account } from './users.js';

export function signInMail(opts: { account: Account; url: string; minutes: number; from: string; now: Date }): Mail.Options {
  const { account: a, url, minutes } = opts;
  const text = [
    `${a.name}，您好：`,
    '',
    `请在 ${minutes} 分钟内打开以下链接登录绩效评估平台（账号 ${a.id}）：`,
    url,
    '',
    '该链接只能使用一次。登录后可在「我的账号」中设置密码。如非本人操作，请忽略本邮件。',
    '',
    '—— English ——',
    `Dear ${a.name},`,
    '',
    `Open this link within ${minutes} minutes to sign in to the performance-evaluation portal (account ${a.id}):`,
    url,
    '',
    'The link works once. After signing in you can set a password under "My account". If you did not ask for it, ignore this mail.',
    '',
    '本邮件由 perfcycle 自动发送 / sent by perfcycle',
  ].join('\n');
  return {
    from: opts.from,
    // An address object, never "name <email>" pasted together: a name such as
    // `Zhang <attacker@evil.example>, Director` would otherwise add its own recipient to the envelope.
    to: { name: a.name, address: a.email },
    subject: '【绩效评估】登录链接 / Sign-in link',
    text,
    date: opts.now,
    headers: { 'X-Perfcycle-Signin': a.id },
  };
}
