// `perfcycle outbox`: the mails of the embedded default, readable without a mail program.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { parseConfig } from '../../domain/config.js';
import { UserError } from '../errors.js';
import { io } from './io.js';
import { textTable } from './table.js';

export async function readOutbox(dir: string) {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();
  return Promise.all(files.map(async (file) => {
    const mail = await simpleParser(await readFile(join(dir, file)));
    const to = (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text ?? '';
    return { file, slot: String(mail.headers.get('x-perfcycle-slot') ?? ''), to, subject: mail.subject ?? '', text: mail.text ?? '' };
  }));
}

// The action (its command line: register/outbox.ts).

export async function outbox(opts: { show?: string; json?: boolean }): Promise<void> {
  const dir = join(parseConfig(io().env).DATA_DIR, 'outbox');
  const mails = await readOutbox(dir);
  if (opts.show !== undefined) {
    const mail = mails[Number(opts.show) - 1];
    if (!mail) throw new UserError(`--show: 没有第 ${opts.show} 封邮件（共 ${mails.length} 封）/ no mail number ${opts.show} (${mails.length} in ${dir})`);
    io().write(`${opts.json ? JSON.stringify(mail, null, 2) : `To: ${mail.to}\nSubject: ${mail.subject}\nSlot: ${mail.slot}\n\n${mail.text}`}\n`);
    return;
  }
  if (opts.json) return void io().write(`${JSON.stringify(mails.map(({ text: _text, ...m }) => m), null, 2)}\n`);
  io().write(`${textTable(['#', '时间 slot', '收件人 to', '主题 subject'], mails.map((m, i) => [String(i + 1), m.slot, m.to, m.subject]))}\n${mails.length} 封 / mails in ${dir}\n`);
}
