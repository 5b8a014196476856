// Two ways out for a mail: real SMTP (SMTP_URL) or the local outbox of .eml files a user can open.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';

export interface MailSender {
  readonly kind: 'smtp' | 'outbox';
  send(message: Mail.Options): Promise<{ messageId: string; where: string }>;
  close(): void;
}

/**
 * Short timeouts: Temporal owns retries, and an activity must not hang for nodemailer's default 10 minutes.
 * Pooled: the mails of a busy minute reuse a few open connections instead of one each.
 */
export function smtpSender(url: string): MailSender {
  const transport = nodemailer.createTransport(url, {
    pool: true,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Record<string, unknown>);
  return {
    kind: 'smtp',
    async send(message) {
      const info = await transport.sendMail(message);
      return { messageId: String(info.messageId), where: String(info.response ?? '') };
    },
    close: () => transport.close(),
  };
}

/**
 * The outbox holds live sign-in links: only the service's own user may read it (directory 0700, files
 * 0600). An outbox made by an older version is tightened once; where the service does not own it
 * (a shared volume) that is left to whoever does.
 */
export function outboxSender(dir: string): MailSender {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let tightened = false;
  return {
    kind: 'outbox',
    async send(message) {
      const info = await transport.sendMail(message);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      if (!tightened) {
        tightened = true;
        await chmod(dir, 0o700).catch(() => undefined);
      }
      const id = String(info.messageId).replace(/[<>]/g, '').replace(/[^A-Za-z0-9.@-]/g, '_');
      const when = message.date instanceof Date ? message.date : new Date();
      const path = join(dir, `${when.toISOString().slice(0, 16).replace(/[:T]/g, '-')}-${id}.eml`);
      await writeFile(path, info.message as Buffer, { mode: 0o600 });
      return { messageId: String(info.messageId), where: path };
    },
    close: () => transport.close(),
  };
}
