import { APP_CONFIG, AppConfig } from '@assises/config';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { SendMailOptions, Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export interface SentInfo {
  messageId: string;
  /** Where the message went: `smtp` or the path of the .eml file. */
  destination: string;
}

/**
 * nodemailer, configured once per process: a pooled SMTP transport when SMTP_URL is set,
 * otherwise .eml files under MAIL_DIR so a newcomer can read what was sent.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  /** The SMTP pool; none in file mode, where the built message is written as it is. */
  private readonly transporter: Transporter | null;
  readonly mode: 'smtp' | 'file';
  readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = resolve(config.mail.dir);
    if (config.mail.smtpUrl) {
      this.mode = 'smtp';
      const rate = config.mail.ratePerSecond;
      this.transporter = nodemailer.createTransport({
        url: config.mail.smtpUrl,
        pool: true,
        maxConnections: config.mail.smtpPoolSize,
        maxMessages: 500,
        ...(rate > 0 ? { rateDelta: 1000, rateLimit: rate } : {}),
        // A send must end well before the outbox lease, or another worker could take it over.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      } as SMTPPool.Options);
    } else {
      this.mode = 'file';
      this.transporter = null;
    }
  }

  /**
   * Builds the whole MIME message once and hands it over as one buffer: nodemailer streaming a
   * message writes to the socket once per chunk, which cost more than everything else the
   * worker does per email (see bench/README.md).
   */
  async send(
    message: SendMailOptions & { messageId: string },
    fileName: string,
  ): Promise<SentInfo> {
    const node = new MailComposer(message).compile();
    const envelope = node.getEnvelope();
    const raw = await node.build();
    if (!this.transporter) {
      await mkdir(this.dir, { recursive: true });
      const path = join(this.dir, `${fileName}.eml`);
      await writeFile(path, raw);
      return { messageId: message.messageId, destination: path };
    }
    await this.transporter.sendMail({ envelope, raw });
    return { messageId: message.messageId, destination: 'smtp' };
  }

  /**
   * Last of the shutdown hooks, not onModuleDestroy: the worker lets its in-flight jobs finish
   * first (beforeApplicationShutdown), and they need the pool.
   */
  onApplicationShutdown(): void {
    this.transporter?.close();
    this.logger.debug('mail transport closed');
  }
}
