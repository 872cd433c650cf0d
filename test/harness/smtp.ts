import { AddressObject, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer, SMTPServerAddress } from 'smtp-server';

/** One message the sink accepted, parsed. */
export interface ReceivedMail {
  /** Envelope (MAIL FROM / RCPT TO), as the SMTP client sent it. */
  envelope: { from: string; to: string[] };
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Header values by lower-cased name; a repeated header is joined with '\n'. */
  headers: Record<string, string>;
  /** Every header name, lower-cased, in order, as the message carried them. */
  headerNames: string[];
  messageId: string;
  /** Files the message carried (an iCal event, an inline QR code). */
  attachments: { filename: string; contentType: string; cid: string | null; content: Buffer }[];
  receivedAt: Date;
}

/** A recipient the sink refused. */
export interface Rejection {
  address: string;
  code: number;
  at: Date;
}

export interface SmtpSinkOptions {
  /** Listen on this port instead of a free one (to start a server where a worker already points). */
  port?: number;
  /** Wait this long before accepting each message (keeps messages in flight). */
  delayMs?: number;
}

interface Rule {
  matches: (address: string) => boolean;
  code: number;
  message: string;
  remaining: number;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that keeps what it receives, parsed with
 * mailparser. No TLS, no authentication. It can refuse chosen recipients with a chosen reply
 * (550 permanent, 451 temporary), a given number of times.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  readonly rejections: Rejection[] = [];
  /** MAIL FROM commands received: how many sends were even attempted. */
  transactions = 0;
  /** Wait this long before accepting each message (keeps messages in flight); settable. */
  delayMs: number;
  private rules: Rule[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  private readonly server: SMTPServer;
  private listeningPort = 0;

  private constructor(private readonly options: SmtpSinkOptions) {
    this.delayMs = options.delayMs ?? 0;
    this.server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      // Pooled clients keep idle connections open: do not wait for them on close.
      closeTimeout: 200,
      logger: false,
      size: 10 * 1024 * 1024,
      onMailFrom: (_address, _session, callback) => {
        this.transactions += 1;
        callback();
      },
      onRcptTo: (address, _session, callback) => callback(this.refusal(address)),
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then(async (parsed) => {
            if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
            this.record({
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              },
              from: addresses(parsed.from)[0] ?? '',
              to: addresses(parsed.to),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headers: headerRecord(parsed.headerLines),
              headerNames: parsed.headerLines.map((line) => line.key.toLowerCase()),
              messageId: parsed.messageId ?? '',
              attachments: parsed.attachments.map((a) => ({
                filename: a.filename ?? '',
                contentType: a.contentType,
                cid: a.cid ?? null,
                content: a.content,
              })),
              receivedAt: new Date(),
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    this.server.on('error', () => undefined); // a client dropping the connection is not our failure
  }

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(options);
    await new Promise<void>((resolve, reject) => {
      sink.server.once('error', reject);
      sink.server.listen(options.port ?? 0, '127.0.0.1', () => {
        sink.server.off('error', reject);
        resolve();
      });
    });
    sink.listeningPort = (sink.server.server.address() as AddressInfo).port;
    return sink;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** The SMTP_URL that points at this sink. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /**
   * Refuses RCPT TO for matching addresses with `code` (e.g. 550 or 451), `times` times
   * (forever by default), then accepts them again.
   */
  refuse(address: string | ((address: string) => boolean), code: number, times = Infinity): void {
    const matches =
      typeof address === 'string'
        ? (a: string) => a.toLowerCase() === address.toLowerCase()
        : address;
    const message = code >= 500 ? 'Mailbox unavailable' : 'Mailbox busy, try again later';
    this.rules.push({ matches, code, message, remaining: times });
  }

  /** Resolves once `count` messages have arrived; rejects after `timeoutMs` saying how many did. */
  waitFor(count: number, timeoutMs = 20_000): Promise<ReceivedMail[]> {
    if (this.messages.length >= count) return Promise.resolve(this.messages);
    return new Promise((resolve, reject) => {
      const waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.messages);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `SMTP sink: expected ${count} message(s) within ${timeoutMs} ms, got ${this.messages.length}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Messages received for one address (envelope recipient). */
  to(address: string): ReceivedMail[] {
    const wanted = address.toLowerCase();
    return this.messages.filter((m) => m.envelope.to.some((to) => to.toLowerCase() === wanted));
  }

  /** How many times each Message-ID arrived. */
  countByMessageId(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const message of this.messages)
      counts.set(message.messageId, (counts.get(message.messageId) ?? 0) + 1);
    return counts;
  }

  /** Copies beyond the first, over all Message-IDs. */
  duplicates(): number {
    let extra = 0;
    for (const n of this.countByMessageId().values()) extra += n - 1;
    return extra;
  }

  /** Forgets messages, refusals and rules, restores the delay (between tests). */
  reset(): void {
    this.delayMs = this.options.delayMs ?? 0;
    this.messages.length = 0;
    this.rejections.length = 0;
    this.transactions = 0;
    this.rules = [];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private refusal(address: SMTPServerAddress): Error | null {
    const rule = this.rules.find((r) => r.remaining > 0 && r.matches(address.address));
    if (!rule) return null;
    rule.remaining -= 1;
    this.rejections.push({ address: address.address, code: rule.code, at: new Date() });
    return Object.assign(new Error(rule.message), { responseCode: rule.code });
  }

  private record(mail: ReceivedMail): void {
    this.messages.push(mail);
    const ready = this.waiters.filter((w) => this.messages.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.messages.length < w.count);
    for (const waiter of ready) waiter.resolve();
  }
}

/** Starts a sink; see SmtpSink. */
export function startSmtpSink(options?: SmtpSinkOptions): Promise<SmtpSink> {
  return SmtpSink.start(options);
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((group) => group.value.map((entry) => entry.address ?? '')).filter(Boolean);
}

function headerRecord(lines: readonly { key: string; line: string }[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const { key, line } of lines) {
    const name = key.toLowerCase();
    const value = line.slice(line.indexOf(':') + 1).trim();
    record[name] = name in record ? `${record[name]}\n${value}` : value;
  }
  return record;
}
