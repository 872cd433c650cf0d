import { APP_CONFIG, AppConfig } from '@assises/config';
import { Locale } from '@assises/core';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { calendarIcs } from './calendar';
import { classifySendError, headerSafe, retryDelayMs } from './delivery-policy';
import { MailRenderError, MailTemplates, RenderedMail } from './mail-templates';
import { MailTransport } from './mail-transport';
import { MailAttachment, MailCategory, OutboxStatus } from './outbox-message.entity';
import { unsubscribeToken } from './unsubscribe';

/** The bytes of an attachment: QR codes and calendar events are drawn here, at send time. */
async function contentOf(a: MailAttachment): Promise<Buffer> {
  if (a.qrCode !== undefined) {
    // Loaded by the worker on its first QR code, never by the api.
    const { default: QRCode } = await import('qrcode');
    return QRCode.toBuffer(a.qrCode, { type: 'png', width: 240, margin: 2 });
  }
  if (a.calendar !== undefined) return Buffer.from(calendarIcs(a.calendar), 'utf8');
  return Buffer.from(a.content ?? '', 'base64');
}

/** The files of a message as nodemailer takes them. */
export async function attachmentsOf(attachments: MailAttachment[]) {
  return Promise.all(
    attachments.map(async (a) => ({
      filename: headerSafe(a.filename),
      contentType: a.contentType,
      content: await contentOf(a),
      ...(a.cid ? { cid: a.cid } : {}),
    })),
  );
}

/**
 * How long claims and marks wait for companions; an email can wait 20 ms. 20 rather than 10 halves
 * the statements (and the CPU PostgreSQL spends per email) at the rates of bench/mail.ts.
 */
const BATCH_WINDOW_MS = 20;

export type DeliveryOutcome = 'sent' | 'skipped' | 'retry' | 'failed' | 'cancelled';

interface SentMark {
  id: string;
  messageId: string;
  subject: string;
}

interface ClaimedRow {
  id: string;
  recipient: string;
  recipient_name: string | null;
  template: string;
  locale: Locale;
  data: Record<string, unknown>;
  category: MailCategory;
  attempts: number;
  attachments: MailAttachment[] | null;
  suppressed: boolean;
}

/**
 * Sends one outbox row. The row is claimed with an atomic update (pending → sending, with a
 * lease), so two workers never send the same row; only a worker that dies after the SMTP
 * server accepted the message and before the row is marked leaves it to be sent again once the
 * lease expires (at-least-once, see README).
 */
@Injectable()
export class MailDelivery {
  private readonly logger = new Logger(MailDelivery.name);
  private readonly host: string;
  /**
   * Claims and "sent" marks of the jobs running at the same moment go to PostgreSQL as one
   * statement each (DataLoader batches the calls of a 20 ms window): a socket write per message was
   * the cost that kept the worker well below raw nodemailer. Each row is still claimed and
   * marked atomically; a job completes only once its own row is marked.
   */
  private readonly claims = new DataLoader<string, ClaimedRow | null>(
    (ids) => this.claimMany(ids),
    { cache: false, maxBatchSize: 200, batchScheduleFn: (run) => setTimeout(run, BATCH_WINDOW_MS) },
  );
  private readonly sentMarks = new DataLoader<SentMark, true>((marks) => this.markSentMany(marks), {
    cache: false,
    maxBatchSize: 200,
    batchScheduleFn: (run) => setTimeout(run, BATCH_WINDOW_MS),
  });

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly templates: MailTemplates,
    private readonly transport: MailTransport,
  ) {
    this.host = new URL(config.publicUrl).hostname || 'assises.localhost';
  }

  async deliver(outboxId: string): Promise<DeliveryOutcome> {
    const row = await this.claims.load(outboxId);
    if (!row) return 'skipped';

    if (row.category === MailCategory.Bulk && row.suppressed) {
      await this.finish(row.id, OutboxStatus.Cancelled, { lastError: 'unsubscribed' });
      return 'cancelled';
    }

    const unsubscribeUrl =
      row.category === MailCategory.Bulk
        ? `${this.config.publicUrl}/unsubscribe/${unsubscribeToken(this.config.session.secret, row.recipient)}`
        : null;
    let rendered: RenderedMail;
    try {
      rendered = this.templates.render(row.template, row.locale, row.data, {
        publicUrl: this.config.publicUrl,
        unsubscribeUrl,
      });
    } catch (error) {
      const reason = error instanceof MailRenderError ? error.message : `render: ${String(error)}`;
      this.logger.error({ outboxId: row.id, template: row.template }, reason);
      await this.finish(row.id, OutboxStatus.Failed, { lastError: reason });
      return 'failed';
    }

    const messageId = `<${row.id}@${this.host}>`;
    try {
      await this.transport.send(
        {
          from: this.config.mail.from,
          to: row.recipient_name
            ? { name: headerSafe(row.recipient_name), address: row.recipient }
            : row.recipient,
          subject: headerSafe(rendered.subject),
          html: rendered.html,
          text: rendered.text,
          attachments: await attachmentsOf(row.attachments ?? []),
          messageId,
          headers: {
            'Auto-Submitted': 'auto-generated',
            'X-Assises-Outbox-Id': row.id,
            ...(unsubscribeUrl
              ? {
                  'List-Unsubscribe': `<${unsubscribeUrl}>`,
                  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
                }
              : {}),
          },
        },
        row.id,
      );
    } catch (error) {
      return this.failedSend(row, error);
    }
    await this.sentMarks.load({ id: row.id, messageId, subject: rendered.subject });
    return 'sent';
  }

  /** pending (or sending past its lease) → sending, atomically per row; rows not claimable are absent. */
  private async claimMany(ids: readonly string[]): Promise<(ClaimedRow | null)[]> {
    // For an UPDATE, TypeORM's query() resolves to [returned rows, affected count].
    const [rows] = await this.dataSource.query<[ClaimedRow[], number]>(
      `UPDATE outbox_messages m
          SET status = 'sending', attempts = m.attempts + 1,
              locked_until = now() + make_interval(secs => $2::int), updated_at = now()
        WHERE m.id = ANY($1::uuid[]) AND m.not_before <= now()
          AND (m.status = 'pending' OR (m.status = 'sending' AND m.locked_until < now()))
        RETURNING m.id, m.recipient, m.recipient_name, m.template, m.locale, m.data, m.category, m.attempts,
                  m.attachments,
                  EXISTS (SELECT 1 FROM mail_suppressions s WHERE s.email = m.recipient) AS suppressed`,
      [[...new Set(ids)], this.config.mail.leaseSeconds],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    // Two jobs for one row in the same batch: only the first gets the claim.
    const given = new Set<string>();
    return ids.map((id) => {
      if (given.has(id)) return null;
      given.add(id);
      return byId.get(id) ?? null;
    });
  }

  private async markSentMany(marks: readonly SentMark[]): Promise<true[]> {
    await this.dataSource.query(
      `UPDATE outbox_messages m
          SET status = 'sent', locked_until = NULL, last_error = NULL, message_id = v.message_id,
              subject = v.subject, sent_at = now(), updated_at = now()
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS v(id, message_id, subject)
        WHERE m.id = v.id AND m.status = 'sending'`,
      [marks.map((m) => m.id), marks.map((m) => m.messageId), marks.map((m) => m.subject)],
    );
    return marks.map(() => true as const);
  }

  private async failedSend(row: ClaimedRow, error: unknown): Promise<DeliveryOutcome> {
    const reason = `${(error as Error)?.message ?? String(error)}`.slice(0, 1000);
    const kind = classifySendError(error);
    if (kind === 'permanent' || row.attempts >= this.config.mail.maxAttempts) {
      this.logger.error({ outboxId: row.id, attempts: row.attempts }, `mail failed: ${reason}`);
      await this.finish(row.id, OutboxStatus.Failed, { lastError: reason });
      return 'failed';
    }
    const delay = retryDelayMs(row.attempts, this.config.mail.retryBaseMs);
    this.logger.warn(
      { outboxId: row.id, attempts: row.attempts, delay },
      `mail will be retried: ${reason}`,
    );
    await this.dataSource.query(
      `UPDATE outbox_messages
          SET status = 'pending', locked_until = NULL, last_error = $2,
              not_before = now() + make_interval(secs => $3::double precision), updated_at = now()
        WHERE id = $1::uuid AND status = 'sending'`,
      [row.id, reason, delay / 1000],
    );
    return 'retry';
  }

  private async finish(
    id: string,
    status: OutboxStatus.Failed | OutboxStatus.Cancelled,
    fields: { lastError?: string; messageId?: string; subject?: string },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE outbox_messages
          SET status = $2, locked_until = NULL, last_error = $3, message_id = coalesce($4, message_id),
              subject = coalesce($5, subject),
              sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END, updated_at = now()
        WHERE id = $1::uuid AND status = 'sending'`,
      [id, status, fields.lastError ?? null, fields.messageId ?? null, fields.subject ?? null],
    );
  }
}
