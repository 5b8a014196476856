// A real SMTP server that counts what arrives without parsing it (test/helpers/smtp.ts parses every
// mail with mailparser: thousands of mails would bill the benchmark for the sink's own CPU).
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface CountingSink {
  url: string;
  count(): number;
  close(): Promise<void>;
}

export async function startCountingSink(): Promise<CountingSink> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => { count += 1; callback(); });
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
    count: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
