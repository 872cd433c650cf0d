import { APP_CONFIG, AppConfig } from '@assises/config';
import { clampLimit, isLocale, Locale, NotFoundError, Page } from '@assises/core';
import { JobProducer } from '@assises/queue';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isEmail } from 'class-validator';
import DataLoader from 'dataloader';
import { DataSource, EntityManager, In, Like } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { headerSafe } from './delivery-policy';
import { MailSuppression } from './mail-suppression.entity';
import { MailTemplates, RenderedMail } from './mail-templates';
import { MailAttachment, MailCategory, OutboxMessage, OutboxStatus } from './outbox-message.entity';
import { unsubscribeToken } from './unsubscribe';

export interface StageMail {
  to: string;
  name?: string | null;
  template: string;
  locale: Locale;
  data: Record<string, unknown>;
  /** Why this mail exists; a second row with the same (recipient, purpose) is ignored. */
  purpose: string;
  category?: MailCategory;
  editionId?: string | null;
  /** For scheduled mail (reminders): not sent before. Defaults to now. */
  notBefore?: Date;
  /** Files sent with the message (an iCal event, an inline QR code). Keep them small. */
  attachments?: MailAttachment[];
}

export interface OutboxQuery {
  status?: OutboxStatus;
  editionId?: string;
  search?: string;
  limit?: number;
  offset?: number;
}

/** How long an enqueue waits for companions, in ms. */
const ENQUEUE_WINDOW_MS = 5;
/** How long an `enqueueSoon` waits for companions, in ms (nobody waits for it). */
const SOON_WINDOW_MS = 25;

/** Staged mail that the caller passes to `dispatch` once its transaction has committed. */
export type StagedMail = string[];

/**
 * The outbox: every email starts as a row written in the caller's transaction. After commit the
 * caller dispatches the ids (enqueue with jobId = row id); the sweep catches anything that did
 * not reach the queue.
 */
@Injectable()
export class MailOutbox implements OnModuleDestroy {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly producer: JobProducer,
    private readonly templates: MailTemplates,
  ) {}

  /** Writes the rows in `em`'s transaction; returns the ids of the rows it created. */
  async stage(em: EntityManager, mails: StageMail[]): Promise<StagedMail> {
    if (mails.length === 0) return [];
    const result = await em
      .createQueryBuilder()
      .insert()
      .into(OutboxMessage)
      .values(mails.map((mail) => this.rowOf(mail)) as QueryDeepPartialEntity<OutboxMessage>[])
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }

  /**
   * The checked rows as JSON with the table's column names, for a caller that inserts them in
   * its own SQL statement (`jsonb_populate_recordset(NULL::outbox_messages, $1)`, ON CONFLICT
   * DO NOTHING as `stage` does). It then dispatches the ids it got back, like `stage`'s.
   */
  columnsOf(mails: StageMail[]): Record<string, unknown>[] {
    return mails.map((mail) => {
      const row = this.rowOf(mail);
      return {
        recipient: row.recipient,
        recipient_name: row.recipientName,
        template: row.template,
        locale: row.locale,
        data: row.data,
        purpose: row.purpose,
        category: row.category,
        edition_id: row.editionId,
        not_before: row.notBefore.toISOString(),
        attachments: row.attachments,
      };
    });
  }

  private rowOf(mail: StageMail) {
    if (!this.templates.has(mail.template))
      throw new Error(`unknown mail template ${mail.template}`);
    if (!isEmail(mail.to)) throw new Error(`not an email address: ${JSON.stringify(mail.to)}`);
    if (!isLocale(mail.locale)) throw new Error(`unknown locale ${String(mail.locale)}`);
    return {
      recipient: mail.to.trim().toLowerCase(),
      recipientName: mail.name ? headerSafe(mail.name) : null,
      template: mail.template,
      locale: mail.locale,
      data: mail.data,
      purpose: mail.purpose,
      category: mail.category ?? MailCategory.Transactional,
      editionId: mail.editionId ?? null,
      notBefore: mail.notBefore ?? new Date(),
      attachments: mail.attachments ?? [],
    };
  }

  /** After commit: puts the due rows on the queue. Never throws; the sweep covers failures. */
  async dispatch(ids: StagedMail): Promise<void> {
    if (ids.length === 0) return;
    const due = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM outbox_messages WHERE id = ANY($1::uuid[]) AND status = 'pending' AND not_before <= now()`,
      [ids],
    );
    await this.enqueue(due.map((row) => row.id));
  }

  /**
   * After commit, for ids the caller's own statement just wrote and found due (so known pending
   * and due without reading them back). Never throws; the sweep covers failures.
   */
  async enqueue(ids: StagedMail): Promise<void> {
    if (ids.length === 0) return;
    await this.enqueueBatch.loadMany(ids);
  }

  /**
   * `enqueue` without making the caller wait for Redis, for an answer that does not depend on
   * it (a public registration): the rows are committed, so at worst a failure delays them until
   * the sweep. Enqueues still in flight are awaited when the process shuts down.
   */
  enqueueSoon(ids: StagedMail): void {
    if (ids.length === 0) return;
    const pending: Promise<void> = this.soonBatch
      .loadMany(ids)
      .then(() => undefined)
      .finally(() => this.inFlight.delete(pending));
    this.inFlight.add(pending);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  // Requests finishing together share one trip to Redis (BullMQ adds a job by a script; one
  // addBulk for many rows costs little more than one add), after a window of a few ms.
  private readonly enqueueBatch = new DataLoader<string, true>((ids) => this.addJobs(ids), {
    cache: false,
    batchScheduleFn: (run) => setTimeout(run, ENQUEUE_WINDOW_MS),
  });

  // The same for `enqueueSoon`, whose callers do not wait: a longer window, larger batches
  // (BullMQ's per-call work and Redis's are shared by more jobs), an email 25 ms later at most.
  private readonly soonBatch = new DataLoader<string, true>((ids) => this.addJobs(ids), {
    cache: false,
    batchScheduleFn: (run) => setTimeout(run, SOON_WINDOW_MS),
  });

  private async addJobs(ids: readonly string[]): Promise<true[]> {
    await this.producer.enqueue(
      'send-mail',
      ids.map((id) => ({ jobId: id, payload: { outboxId: id } })),
    );
    return ids.map(() => true as const);
  }

  /** Convenience for a change that is only the mail itself (e.g. a password reset request). */
  async send(mails: StageMail[]): Promise<StagedMail> {
    const ids = await this.dataSource.transaction((em) => this.stage(em, mails));
    await this.dispatch(ids);
    return ids;
  }

  /**
   * Enqueues every due pending row and every row whose sender crashed (lease expired). Safe to
   * run anywhere, any time: the job id dedups rows already queued and the claim in
   * MailDelivery guards against double sending.
   *
   * A job id only dedups while Redis keeps the job, and a crashed worker's jobs stay "active"
   * there until BullMQ finds them stalled (30 s to a minute), a failed job until 1000 others
   * fail: an add under the same id is ignored meanwhile. So a row the queue has not delivered
   * within one lease (pending since its due time, or sending past its lease) is enqueued under
   * an id of its own, `<id>-<attempts>-<lease period>`: a new one per claim and per lease.
   */
  async sweep(limit = 10_000): Promise<number> {
    const rows = await this.dataSource.query<
      { id: string; attempts: number; fresh: boolean; period: string }[]
    >(
      `SELECT id, attempts,
              status = 'pending' AND not_before > now() - make_interval(secs => $2::int) AS fresh,
              floor(extract(epoch FROM now()) / $2::int)::bigint AS period
         FROM outbox_messages
        WHERE (status = 'pending' AND not_before <= now())
           OR (status = 'sending' AND locked_until < now())
        ORDER BY not_before
        LIMIT $1::int`,
      [limit, this.config.mail.leaseSeconds],
    );
    return this.producer.enqueue(
      'send-mail',
      rows.map((row) => ({
        jobId: row.fresh ? row.id : `${row.id}-${row.attempts}-${row.period}`,
        payload: { outboxId: row.id },
      })),
    );
  }

  /** Cancels pending mail whose purpose starts with a prefix (e.g. every reminder of a registration). */
  async cancel(em: EntityManager, purposePrefix: string): Promise<number> {
    const result = await em.update(
      OutboxMessage,
      {
        purpose: Like(`${purposePrefix.replace(/[%_\\]/g, '\\$&')}%`),
        status: OutboxStatus.Pending,
      },
      { status: OutboxStatus.Cancelled, lastError: 'cancelled' },
    );
    return result.affected ?? 0;
  }

  /**
   * Moves scheduled mail (the event date changed); `data`, when given, is merged into the
   * template's variables (the new date the reminder shows).
   */
  async reschedule(
    em: EntityManager,
    purpose: string,
    notBefore: Date,
    data?: Record<string, unknown>,
  ): Promise<number> {
    const [, affected] = await em.query<[unknown[], number]>(
      `UPDATE outbox_messages SET not_before = $2, data = data || $3::jsonb, updated_at = now()
        WHERE purpose = $1 AND status = 'pending'`,
      [purpose, notBefore, JSON.stringify(data ?? {})],
    );
    return affected;
  }

  /** Puts a failed or cancelled message back in the queue (an organiser fixed the cause). */
  async retry(id: string): Promise<void> {
    const result = await this.dataSource.manager.update(
      OutboxMessage,
      { id, status: In([OutboxStatus.Failed, OutboxStatus.Cancelled]) },
      { status: OutboxStatus.Pending, notBefore: new Date(), attempts: 0, lastError: null },
    );
    if (!result.affected)
      throw new NotFoundError('outbox.not_retryable', 'No failed message with this id');
    await this.dispatch([id]);
  }

  async list(query: OutboxQuery): Promise<Page<OutboxMessage>> {
    const limit = clampLimit(query.limit);
    const offset = Math.max(0, query.offset ?? 0);
    const qb = this.dataSource.manager
      .createQueryBuilder(OutboxMessage, 'm')
      .orderBy('m.created_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .limit(limit)
      .offset(offset);
    if (query.status) qb.andWhere('m.status = :status', { status: query.status });
    if (query.editionId) qb.andWhere('m.edition_id = :editionId', { editionId: query.editionId });
    if (query.search) {
      qb.andWhere('(m.recipient ILIKE :q OR m.subject ILIKE :q OR m.template ILIKE :q)', {
        q: `%${query.search.replace(/[%_\\]/g, '\\$&')}%`,
      });
    }
    const [items, total] = await qb.getManyAndCount();
    return { items, total, limit, offset };
  }

  async counts(): Promise<Record<OutboxStatus, number>> {
    const rows = await this.dataSource.query<{ status: OutboxStatus; n: string }[]>(
      `SELECT status, count(*) AS n FROM outbox_messages GROUP BY status`,
    );
    const counts = Object.fromEntries(Object.values(OutboxStatus).map((s) => [s, 0])) as Record<
      OutboxStatus,
      number
    >;
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  async get(id: string): Promise<OutboxMessage> {
    const message = await this.dataSource.manager.findOne(OutboxMessage, { where: { id } });
    if (!message) throw new NotFoundError('outbox.not_found', 'No message with this id');
    return message;
  }

  /** The message as its recipient sees (or saw) it. */
  render(message: OutboxMessage): RenderedMail {
    return this.templates.render(message.template, message.locale as Locale, message.data, {
      publicUrl: this.config.publicUrl,
      unsubscribeUrl: this.unsubscribeUrl(message),
    });
  }

  unsubscribeUrl(message: Pick<OutboxMessage, 'category' | 'recipient'>): string | null {
    if (message.category !== MailCategory.Bulk) return null;
    return `${this.config.publicUrl}/unsubscribe/${unsubscribeToken(this.config.session.secret, message.recipient)}`;
  }

  /** The address stops receiving bulk mail; its pending bulk mail is cancelled. */
  async suppress(email: string, reason = 'unsubscribe'): Promise<void> {
    const address = email.toLowerCase();
    await this.dataSource.transaction(async (em) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(MailSuppression)
        .values({ email: address, reason })
        .orIgnore()
        .execute();
      await em.update(
        OutboxMessage,
        { recipient: address, category: MailCategory.Bulk, status: OutboxStatus.Pending },
        { status: OutboxStatus.Cancelled, lastError: 'unsubscribed' },
      );
    });
  }
}
