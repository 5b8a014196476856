// Issue 8, finding 1 (the mail side): a person's name is never pasted into an address. A name such as
// `Zhang <attacker@evil.example>, Director` in "name <email>" makes a second recipient; as the name of
// an address object it is only a display name. Checked on the envelope nodemailer builds and on the To
// header a mail program reads, for the sign-in link mail and the publication mail.
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { MailSender } from '../../activities/mail-sender.js';
import { createResultMailActivities } from '../../activities/result-mail.js';
import { signInMail } from '../../client/portal/signin-mail.js';
import type { Account } from '../../client/portal/users.js';
import { sharedStore } from '../helpers/db.js';

const EVIL_NAME = 'Zhang <attacker@evil.example>, Director';
const EMAIL = 'director-zhang@jinjiang.example';

/** What nodemailer would hand an SMTP server: the envelope, and the message as a mail program reads it. */
async function delivered(message: Mail.Options) {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const info = await transport.sendMail({ from: 'perfcycle <perfcycle@test>', ...message });
  const parsed = await simpleParser(info.message as Buffer);
  const to = Array.isArray(parsed.to) ? parsed.to.flatMap((a) => a.value) : parsed.to?.value ?? [];
  return { envelope: info.envelope.to, to };
}

describe('a name with an address in it', () => {
  it('the sign-in link mail has exactly one envelope recipient: the account\'s address', async () => {
    const account = { id: 'director-zhang', name: EVIL_NAME, email: EMAIL, lang: 'zh-CN' } as Account;
    const mail = signInMail({ account, url: 'http://portal.test/auth/link/x', minutes: 30, from: 'perfcycle <perfcycle@test>', now: new Date() });
    const { envelope, to } = await delivered(mail);
    expect(envelope).toEqual([EMAIL]);
    expect(to.map((a) => a.address)).toEqual([EMAIL]);
    expect(to[0]?.name).toBe(EVIL_NAME);
  });

  it('the publication mail too, and the mail ledger records the recipient as text', async () => {
    const sent: Mail.Options[] = [];
    const sender: MailSender = { kind: 'outbox', send: async (m) => { sent.push(m); return { messageId: String(m.messageId), where: 'test' }; }, close: () => undefined };
    const store = await sharedStore();
    const { sendResultMail } = createResultMailActivities({ sender, store, from: 'perfcycle <perfcycle@test>' });
    const key = `result-address-${Date.now()}`;
    await sendResultMail({
      key, unitName: '晋江市自然资源局', cycleId: 'perfcycle-x-2019', year: 2019,
      to: { id: 'director-zhang', name: EVIL_NAME, email: EMAIL, lang: 'zh-CN' },
      grade: 'good', rank: 3, units: 38, score: 88.5, reason: '得分 88.5', nextYearExcellentShare: 0.2, sanctions: [],
    });
    expect(sent).toHaveLength(1);
    const { envelope, to } = await delivered(sent[0]!);
    expect(envelope).toEqual([EMAIL]);
    expect(to.map((a) => a.address)).toEqual([EMAIL]);
    const row = await store.db.selectFrom('mail_ledger').select('recipient').where('mail_key', '=', key).executeTakeFirst();
    expect(row?.recipient).toBe(`${EVIL_NAME} <${EMAIL}>`);
  });
});
