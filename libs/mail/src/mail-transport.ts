import { APP_CONFIG, AppConfig } from '@assises/config';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { SendMailOptions } from 'nodemailer';
import type MailComposer from 'nodemailer/lib/mail-composer';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export interface SentInfo {
  messageId: string;
  /** Where the message went: `smtp` or the path of the .eml file. */
  destination: string;
}

/**
 * nodemailer, configured once per process: a pooled SMTP transport when SMTP_URL is set,
 * otherwise .eml files under MAIL_DIR so a newcomer can read what was sent. nodemailer is loaded
 * on the first send: only the worker sends, and the api, which builds this module too, is
 * spared its code (~2 MB of memory).
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  /** The SMTP pool's options; none in file mode, where the built message is written as it is. */
  private readonly poolOptions: SMTPPool.Options | null;
  /** nodemailer's modules and the pool, made on the first send. */
  private loaded: Promise<{ composer: typeof MailComposer; pool: SMTPPool | null }> | null = null;
  private pool: SMTPPool | null = null;
  readonly mode: 'smtp' | 'file';
  readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = resolve(config.mail.dir);
    if (config.mail.smtpUrl) {
      this.mode = 'smtp';
      const rate = config.mail.ratePerSecond;
      this.poolOptions = {
        url: config.mail.smtpUrl,
        pool: true,
        maxConnections: config.mail.smtpPoolSize,
        maxMessages: 500,
        ...(rate > 0 ? { rateDelta: 1000, rateLimit: rate } : {}),
        // A send must end well before the outbox lease, or another worker could take it over.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      };
    } else {
      this.mode = 'file';
      this.poolOptions = null;
    }
  }

  private load() {
    this.loaded ??= (async () => {
      const [{ default: nodemailer }, { default: composer }] = await Promise.all([
        import('nodemailer'),
        import('nodemailer/lib/mail-composer'),
      ]);
      // The pool itself (nodemailer's transport object), not the Mailer around it: see send().
      this.pool = this.poolOptions
        ? (nodemailer.createTransport(this.poolOptions).transporter as SMTPPool)
        : null;
      return { composer, pool: this.pool };
    })();
    return this.loaded;
  }

  /**
   * Builds the whole MIME message once and hands it over as one buffer: nodemailer streaming a
   * message writes to the socket once per chunk, which cost more than everything else the
   * worker does per email (see bench/README.md).
   *
   * The buffer goes straight to the pool through the transport interface nodemailer documents
   * for transports (`send(mail, callback)`), not through `sendMail({ raw })`: that would compile
   * the finished message into a second MIME node (a new Message-ID, plugins, a stream pipeline
   * per message) only to copy it through. The pool reads four things of `mail.message`, given
   * here; the stream is a fresh Readable so the pool can still tell, on a pooled connection the
   * server closed, that no byte went out and send the message over another connection.
   */
  async send(
    message: SendMailOptions & { messageId: string },
    fileName: string,
  ): Promise<SentInfo> {
    const { composer, pool } = await this.load();
    const node = new composer(message).compile();
    const envelope = node.getEnvelope();
    const raw = await node.build();
    if (!pool) {
      await mkdir(this.dir, { recursive: true });
      const path = join(this.dir, `${fileName}.eml`);
      await writeFile(path, raw);
      return { messageId: message.messageId, destination: path };
    }
    const built = {
      getEnvelope: () => envelope,
      messageId: () => message.messageId,
      getHeader: (key: string) => (key.toLowerCase() === 'message-id' ? message.messageId : ''),
      createReadStream: () =>
        new Readable({
          read() {
            this.push(raw);
            this.push(null);
          },
        }),
    };
    await new Promise<void>((resolve, reject) => {
      pool.send(
        { data: {}, message: built } as unknown as MailMessage<SMTPPool.SentMessageInfo>,
        (error) => (error ? reject(error) : resolve()),
      );
    });
    return { messageId: message.messageId, destination: 'smtp' };
  }

  /**
   * Last of the shutdown hooks, not onModuleDestroy: the worker lets its in-flight jobs finish
   * first (beforeApplicationShutdown), and they need the pool.
   */
  onApplicationShutdown(): void {
    this.pool?.close();
    this.logger.debug('mail transport closed');
  }
}
