import { APP_CONFIG, AppConfig } from '@assises/config';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { SendMailOptions, Transporter } from 'nodemailer';
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
export class MailTransport implements OnModuleDestroy {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter: Transporter;
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
      this.transporter = nodemailer.createTransport({
        streamTransport: true,
        buffer: true,
        newline: 'unix',
      });
    }
  }

  async send(
    message: SendMailOptions & { messageId: string },
    fileName: string,
  ): Promise<SentInfo> {
    const info = (await this.transporter.sendMail(message)) as {
      messageId: string;
      message?: Buffer;
    };
    if (this.mode === 'smtp') return { messageId: info.messageId, destination: 'smtp' };
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `${fileName}.eml`);
    await writeFile(path, info.message ?? Buffer.alloc(0));
    return { messageId: info.messageId, destination: path };
  }

  onModuleDestroy(): void {
    this.transporter.close();
    this.logger.debug('mail transport closed');
  }
}
