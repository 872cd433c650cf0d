/**
 * A child process that runs an SMTP sink and reports what it received, so senders measured by
 * the benchmarks (raw nodemailer, the Assises worker) run against the same sink on equal terms.
 * Messages: parent sends 'stats' → child answers { received, unique }; 'reset' clears.
 */
import { SMTPServer } from 'smtp-server';

let received = 0;
const seen = new Set<string>();

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 10 * 1024 * 1024,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const head = Buffer.concat(chunks).subarray(0, 4096).toString('utf8');
      const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1] ?? `none-${received}`;
      received += 1;
      seen.add(id);
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (message: string) => {
  if (message === 'stats') process.send?.({ received, unique: seen.size });
  if (message === 'reset') {
    received = 0;
    seen.clear();
    process.send?.({ reset: true });
  }
  if (message === 'stop') server.close(() => process.exit(0));
});
