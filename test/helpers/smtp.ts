// A real SMTP server in the test process: nodemailer talks SMTP to it, mailparser reads what arrived.
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface SmtpSink {
  url: string;
  messages: ParsedMail[];
  /** Answer the next n messages with this SMTP code instead of accepting them. */
  failNext(n: number, responseCode: number): void;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  let failures: { left: number; code: number } = { left: 0, code: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures.left > 0) {
          failures = { ...failures, left: failures.left - 1 };
          const err = Object.assign(new Error('injected failure'), { responseCode: failures.code });
          callback(err);
          return;
        }
        simpleParser(Buffer.concat(chunks)).then((m) => { messages.push(m); callback(); }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // From now on (a failure to listen stays an error): a client that drops its connection mid-mail (a
  // pooled connection closed after a 421, a killed worker) is the client's failure, which the sender
  // sees; like a real server, this one carries on.
  server.on('error', () => {});
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    failNext: (n, code) => { failures = { left: n, code }; },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const headerOf = (m: ParsedMail, name: string): string => String(m.headers.get(name) ?? '');
export const recipientOf = (m: ParsedMail): string => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address ?? '';
/** The mails whose X-Perfcycle-Items name this `<deliverable>:<kind>`. */
export const mailsWith = (messages: ParsedMail[], item: string): ParsedMail[] =>
  messages.filter((m) => headerOf(m, 'x-perfcycle-items').split(',').includes(item));
