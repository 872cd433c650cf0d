import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, hashSecret, Locale, safeEqual } from '@assises/core';
import { AuditLog, DatabaseNotifications, TransactionRunner } from '@assises/database';
import { Edition, EditionNotFoundError, EditionService } from '@assises/editions';
import { MailCategory, MailOutbox, StagedMail, StageMail } from '@assises/mail';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { createHmac, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { formatCheckInCode, newCheckInCode } from './check-in-code';
import { GroupCommit } from './group-commit';
import { RegisterDto, UpdateRegistrationDto } from './dto/registration.dto';
import { InvitationCode } from './invitation-code.entity';
import { confirmationAttachments, eventWhen, eventWhere, formatInstant } from './registration-mail';
import { RegistrationSettings, WaitlistMode } from './registration-settings.entity';
import { holdsSeat, nextState } from './registration-state.machine';
import { Registration, RegistrationState } from './registration.entity';
import {
  AlreadyRegisteredError,
  InvalidRegistrationError,
  OfferNotOpenError,
  RegistrationClosedError,
  RegistrationNotFoundError,
} from './registration.errors';
import { reminderPlan, reminderPurpose } from './reminders';
import { TicketCategory } from './ticket-category.entity';
import { WorkshopService } from './workshop.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOUR = 3_600_000;
/**
 * How long a process reuses an edition's registration context (edition, settings, category)
 * without reading it again. A change notifies every process at once (`registration_context`,
 * see the NotifyRegistrationContext migration); this bounds staleness should a notification be
 * lost while the listening connection is being re-opened.
 */
const CONTEXT_TTL_MS = 1_000;

/** The answer to a registration: confirmed, or waiting at a position. */
export interface RegistrationOutcome {
  id: string;
  status: RegistrationState;
  position?: number;
}

/** A registration as its manage link shows it. */
export interface RegistrationView {
  registration: Registration;
  edition: Edition;
  category: TicketCategory;
  settings: RegistrationSettings;
  /** Place in the waiting list (1 = next), when waiting. */
  position: number | null;
}

/** What the public form needs: whether it is open, the visible categories, the questions. */
export interface RegistrationFormView {
  edition: Edition;
  settings: RegistrationSettings | null;
  categories: TicketCategory[];
  open: boolean;
  /** Why not open: `not_configured`, `not_yet`, `closed`. */
  reason: 'closed' | 'not_configured' | 'not_yet' | null;
  seatsLeft: number;
}

/** One entity of `registrationContext`: its columns in the select list, and how to read them back. */
interface ContextPart {
  select: string;
  hydrate(row: Record<string, unknown>): object | null;
}

/** What a registration reads before it writes. Shared between requests: never mutated. */
interface RegistrationContext {
  edition: Edition;
  settings: RegistrationSettings | null;
  category: TicketCategory | null;
}

/** `register_attendee`'s arguments, as one item of `register_attendees`. */
interface SeatRequest {
  edition: string;
  category: string;
  invitation: string | null;
  registration: Record<string, unknown>;
  now: string;
  audit: Record<string, unknown>;
  confirmed_mails: Record<string, unknown>[];
  waiting_mails: Record<string, unknown>[];
}

/** What `register_attendee` answers. */
interface SeatResult {
  state: string;
  waiting_position: number | null;
  mail_ids: string[] | null;
}

/** One row of `register_attendees`: the answer, or why that item failed. */
interface SeatRow extends SeatResult {
  ord: number;
  error_code: string | null;
  error_message: string | null;
}

/** An item of a group commit that PostgreSQL refused (its SQLSTATE and message). */
class SeatRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string | null,
  ) {
    super(`register_attendee refused a registration: ${code} ${message ?? ''}`);
  }
}

/** What the emails of a registration need to know about the person. */
type Attendee = Pick<Registration, 'id' | 'email' | 'name' | 'locale' | 'checkInCode'>;

/** Who did it, for the audit row (null: the attendee through their link, or the system). */
type ActorId = string | null;

/**
 * Registrations to an edition, and the seats they hold. Capacity is decided in PostgreSQL, by
 * counters (`seats_left`) of the edition and of each category, under the lock of the edition's
 * settings row, which is also the waiting list's mutex: a new registration takes that lock,
 * then a seat or the end of the waiting list (one statement, `register_attendee`); handing a
 * freed seat to the next person runs under the same lock, so a seat can never be free while
 * someone waits for it, and promotions happen in order.
 */
@Injectable()
export class RegistrationService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RegistrationService.name);
  private parts: ContextPart[] | null = null;
  private unlisten: (() => void) | null = null;
  private lastManageToken: { id: string; token: string } | null = null;
  /**
   * Registration contexts by slug and category key, for `CONTEXT_TTL_MS`; requests arriving
   * together while one is read share that read. The seat counters are not read from here:
   * `register_attendee` reads them under the lock.
   */
  private readonly contexts = new LRUCache<
    string,
    RegistrationContext,
    { slug: string; categoryKey: string }
  >({
    max: 1_000,
    ttl: CONTEXT_TTL_MS,
    // Forgotten while being read (a change was notified): the requests waiting for that read
    // still get it, as they would have without a cache, but it is not kept.
    ignoreFetchAbort: true,
    fetchMethod: (_key, _stale, { context }) => this.readContext(context.slug, context.categoryKey),
  });

  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly editions: EditionService,
    private readonly outbox: MailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly workshops: WorkshopService,
    private readonly notifications: DatabaseNotifications,
  ) {}

  onModuleInit(): void {
    this.unlisten = this.notifications.listen('registration_context', () => this.contexts.clear());
  }

  onModuleDestroy(): void {
    this.unlisten?.();
  }

  /** The public form's state for an edition. */
  async form(slug: string): Promise<RegistrationFormView> {
    const edition = await this.editions.getPublic(slug);
    const settings = await this.db.manager.findOne(RegistrationSettings, {
      where: { editionId: edition.id },
    });
    const categories = settings
      ? await this.db.manager.find(TicketCategory, {
          where: { editionId: edition.id, hidden: false },
          order: { position: 'ASC', key: 'ASC' },
        })
      : [];
    const reason = this.closedReason(settings);
    return {
      edition,
      settings,
      categories,
      open: reason === null,
      reason,
      seatsLeft: Math.max(0, settings?.seatsLeft ?? 0),
    };
  }

  /**
   * Registers someone: confirmed when a seat is free (edition and category), else on the
   * waiting list. One transaction for the row, its seat, its audit row and its emails. A
   * repeated Idempotency-Key returns the first answer; a live registration with the same
   * address is refused.
   */
  async register(
    slug: string,
    input: RegisterDto,
    idempotencyKey?: string,
  ): Promise<RegistrationOutcome> {
    const code = input.invitationCode?.toUpperCase() || null;
    const context = await this.registrationContext(slug, input.category ?? 'participant');
    const { edition, settings } = context;
    const key = idempotencyKey?.trim() ? idempotencyKey.trim().slice(0, 200) : null;
    if (key) {
      const earlier = await this.byIdempotencyKey(edition.id, key);
      if (earlier) return earlier;
    }
    this.assertOpen(settings);
    const email = input.email.toLowerCase();
    const fields: Record<string, string[]> = {};
    let invitation: InvitationCode | null = null;
    let category: TicketCategory | null = null;
    if (code) {
      invitation = await this.db.manager.findOne(InvitationCode, {
        where: { editionId: edition.id, code },
      });
      if (!invitation || invitation.revokedAt || invitation.usedCount >= invitation.maxUses)
        fields.invitationCode = ['invitationCode is unknown or used up'];
      else
        category = await this.db.manager.findOne(TicketCategory, {
          where: { id: invitation.categoryId },
        });
    } else {
      category = context.category;
      if (!category || category.hidden) {
        category = null;
        fields.category = ['category is not open to registration'];
      }
    }
    const answers = this.checkAnswers(settings!, input.answers, fields);
    if (Object.keys(fields).length > 0) throw new InvalidRegistrationError(fields);

    // Everything is prepared here, outside any lock: the row, the audit data and the emails of
    // both outcomes. Then one statement (register_attendee, see its migration) takes the seat
    // or the place in the waiting list and writes it all; the edition's lock lasts as long as
    // PostgreSQL takes to run it. A second live registration of the same address, or a raced
    // retry of the same Idempotency-Key, is refused by a unique index (23505, below).
    const id = randomUUID();
    const locale: Locale = input.locale ?? (edition.defaultLocale === 'en' ? 'en' : 'fr');
    const now = this.clock.now();
    const attendee = { id, email, name: input.name, locale, checkInCode: newCheckInCode() };
    const confirmed = this.confirmationMails(edition, attendee, category!, false, settings);
    const waiting = [this.waitingMail(edition, attendee, 0)];
    try {
      const result = await this.seatOrWait({
        edition: edition.id,
        category: category!.id,
        invitation: invitation?.id ?? null,
        registration: {
          id,
          name: input.name,
          email,
          organisation: input.organisation ?? '',
          role: input.role ?? '',
          stakeholder_type: input.stakeholderType,
          territory_type: input.territoryType,
          city_or_region: input.cityOrRegion ?? '',
          heard_from: input.heardFrom ?? '',
          accessibility_needs: input.accessibilityNeeds ?? '',
          dietary_needs: input.dietaryNeeds ?? '',
          privacy_notice_version: settings!.privacyNoticeVersion,
          public_listing: input.publicListing ?? false,
          answers,
          locale,
          manage_token_hash: hashSecret(this.manageToken(id)),
          check_in_code: attendee.checkInCode,
          idempotency_key: key,
        },
        now: now.toISOString(),
        audit: { category: category!.key, invitationCode: invitation?.id ?? null },
        confirmed_mails: this.outbox.columnsOf(confirmed),
        waiting_mails: this.outbox.columnsOf(waiting),
      });
      if (result.state === 'invitation_used_up')
        throw new InvalidRegistrationError({
          invitationCode: ['invitationCode is unknown or used up'],
        });
      // The rows are committed: the answer need not wait for Redis (the sweep covers a failure).
      this.outbox.enqueueSoon(result.mail_ids ?? []);
      const status = result.state as RegistrationState;
      return result.waiting_position
        ? { id, status, position: result.waiting_position }
        : { id, status };
    } catch (error) {
      if (
        error instanceof SeatRefusedError
          ? error.code === '23505'
          : (error as { driverError?: { code?: string } }).driverError?.code === '23505'
      ) {
        // A retried request raced its first try: the unique index let one through.
        if (key) {
          const earlier = await this.byIdempotencyKey(edition.id, key);
          if (earlier) return earlier;
        }
        throw new AlreadyRegisteredError();
      }
      throw error;
    }
  }

  /**
   * Takes a seat or a place in the waiting list (`register_attendee`). Registrations of one
   * edition arriving while a statement for it runs go together in the next one
   * (`register_attendees`: one transaction, one lock, one commit for all, each in order and
   * answered on its own), which under load divides PostgreSQL's work per registration by about
   * four. The load tests' control run (TEST_ONLY_UNGUARDED_SEATS) sends each one alone, without
   * the lock.
   */
  private async seatOrWait(item: SeatRequest): Promise<SeatResult> {
    if (this.config.testOnly.unguardedSeats) {
      const [result] = await this.db.manager.query<SeatResult[]>(
        'SELECT * FROM register_attendee($1, $2, $3, $4, $5, $6, $7, $8, false)',
        [
          item.edition,
          item.category,
          item.invitation,
          JSON.stringify(item.registration),
          item.now,
          JSON.stringify(item.audit),
          JSON.stringify(item.confirmed_mails),
          JSON.stringify(item.waiting_mails),
        ],
      );
      return result;
    }
    const result = await this.seats.submit(item.edition, item);
    if (result.error_code) throw new SeatRefusedError(result.error_code, result.error_message);
    return result;
  }

  private readonly seats = new GroupCommit<SeatRequest, SeatRow>(async (_edition, items) => {
    const rows = await this.db.manager.query<SeatRow[]>(
      'SELECT * FROM register_attendees($1) ORDER BY ord',
      [JSON.stringify(items)],
    );
    return rows;
  });

  /**
   * What a registration reads before it writes: the public edition, its registration settings
   * and the category asked for (by key), from memory when read less than a second ago and
   * not changed since.
   */
  private async registrationContext(
    slug: string,
    categoryKey: string,
  ): Promise<RegistrationContext> {
    const context = await this.contexts.fetch(`${slug}\n${categoryKey}`, {
      context: { slug, categoryKey },
    });
    if (!context) throw new EditionNotFoundError();
    return context;
  }

  /** The registration context in one round trip; undefined for an unknown or draft edition. */
  private async readContext(
    slug: string,
    categoryKey: string,
  ): Promise<RegistrationContext | undefined> {
    const parts = this.contextParts();
    const [row] = await this.db.manager.query<Record<string, unknown>[]>(
      `SELECT ${parts.map((p) => p.select).join(', ')}
         FROM editions e
         LEFT JOIN registration_settings s ON s.edition_id = e.id
         LEFT JOIN ticket_categories c ON c.edition_id = e.id AND c.key = $2
        WHERE e.slug = $1 AND e.status <> 'draft'`,
      [slug, categoryKey],
    );
    if (!row) return undefined;
    const [edition, settings, category] = parts.map((part) => part.hydrate(row));
    return Object.freeze({
      edition: Object.freeze(edition) as Edition,
      settings: Object.freeze(settings) as RegistrationSettings | null,
      category: Object.freeze(category) as TicketCategory | null,
    });
  }

  /** The select lists and row readers of `registrationContext`, built once from the entities. */
  private contextParts(): ContextPart[] {
    return (this.parts ??= (
      [
        [Edition, 'e'],
        [RegistrationSettings, 's'],
        [TicketCategory, 'c'],
      ] as const
    ).map(([entity, alias]) => {
      const metadata = this.db.manager.connection.getMetadata(entity);
      const columns = metadata.columns.map((column) => ({
        property: column.propertyName,
        name: column.databaseName,
        as: `${alias}_${column.databaseName}`,
      }));
      const primary = `${alias}_${metadata.primaryColumns[0].databaseName}`;
      return {
        select: columns.map((c) => `${alias}.${c.name} AS "${c.as}"`).join(', '),
        hydrate: (row) => {
          if (row[primary] == null) return null;
          const entity = metadata.create() as Record<string, unknown>;
          for (const c of columns) entity[c.property] = row[c.as];
          return entity;
        },
      };
    }));
  }

  /** The registration its manage token opens. */
  async view(id: string, token: string | null): Promise<RegistrationView> {
    const registration = await this.byToken(id, token);
    return this.viewOf(this.db.manager, registration);
  }

  /** The attendee changes their details (not their address or category). */
  async update(
    id: string,
    token: string | null,
    input: UpdateRegistrationDto,
  ): Promise<RegistrationView> {
    const registration = await this.byToken(id, token);
    return this.changeDetails(registration, input, null);
  }

  /** Changes details, checking the custom questions; audited with the fields changed. */
  async changeDetails(
    registration: Registration,
    input: UpdateRegistrationDto,
    actorId: ActorId,
  ): Promise<RegistrationView> {
    if (registration.state === RegistrationState.Cancelled)
      throw new InvalidRegistrationError({ _form: ['a cancelled registration cannot change'] });
    const settings = await this.db.manager.findOneOrFail(RegistrationSettings, {
      where: { editionId: registration.editionId },
    });
    const fields: Record<string, string[]> = {};
    const changes: Partial<Registration> = {};
    for (const [field, value] of Object.entries(input)) {
      if (value === undefined || field === 'category') continue;
      (changes as Record<string, unknown>)[field] = value;
    }
    if (input.answers !== undefined)
      changes.answers = this.checkAnswers(settings, input.answers, fields);
    if (Object.keys(fields).length > 0) throw new InvalidRegistrationError(fields);
    return this.db.run(async (em) => {
      if (Object.keys(changes).length > 0)
        await em.update(Registration, { id: registration.id }, changes);
      await this.audit.record(em, {
        subjectType: 'registration',
        subjectId: registration.id,
        editionId: registration.editionId,
        actorId,
        action: 'update',
        data: { fields: Object.keys(changes).sort() },
      });
      return this.viewOf(
        em,
        await em.findOneOrFail(Registration, { where: { id: registration.id } }),
      );
    });
  }

  /** The attendee cancels: the seat is freed at once and handed to the next person waiting. */
  async cancel(id: string, token: string | null): Promise<void> {
    await this.byToken(id, token);
    await this.cancelById(id, null);
  }

  /** Cancels (attendee or organiser), frees the seat, promotes, cancels reminders; audited. */
  async cancelById(id: string, actorId: ActorId): Promise<void> {
    const mailIds = await this.db.run(async (em) => {
      // Someone leaving the waiting list changes its length on the settings row (the
      // count_waiting trigger): that row is locked first, as every change of the list does. A
      // seat holder's row comes first and the settings row after (releaseSeat): held seats
      // never join the waiting list again, so no promotion can be waiting for this row.
      const [seen] = await em.query<{ state: RegistrationState }[]>(
        'SELECT state FROM registrations WHERE id = $1',
        [id],
      );
      if (seen?.state === RegistrationState.Waiting) await this.lockSeatsOf(em, id);
      const [current] = await em.query<{ state: RegistrationState; edition_id: string }[]>(
        'SELECT state, edition_id FROM registrations WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!current) throw new RegistrationNotFoundError();
      const next = nextState(current.state, 'cancel');
      await em.update(
        Registration,
        { id },
        { state: next, cancelledAt: this.clock.now(), offerExpiresAt: null },
      );
      await this.audit.record(em, {
        subjectType: 'registration',
        subjectId: id,
        editionId: current.edition_id,
        actorId,
        action: 'cancel',
        from: current.state,
        to: next,
      });
      await this.outbox.cancel(em, `registration-reminder:${id}:`);
      // Its workshop seats go to the next person waiting in each workshop.
      const workshopMails = await this.workshops.releaseAll(em, id);
      if (!holdsSeat(current.state)) return workshopMails;
      await this.releaseSeat(em, id);
      return [...workshopMails, ...(await this.promote(em, current.edition_id))];
    });
    await this.outbox.dispatch(mailIds);
  }

  /** Someone offered a seat takes it before the offer expires. */
  async acceptOffer(id: string, token: string | null): Promise<RegistrationView> {
    await this.byToken(id, token);
    const mailIds = await this.db.run(async (em) => {
      const [current] = await em.query<
        { state: RegistrationState; offer_expires_at: Date | null }[]
      >('SELECT state, offer_expires_at FROM registrations WHERE id = $1 FOR UPDATE', [id]);
      if (
        current.state !== RegistrationState.Offered ||
        !current.offer_expires_at ||
        current.offer_expires_at <= this.clock.now()
      )
        throw new OfferNotOpenError();
      const next = nextState(current.state, 'accept_offer');
      await em.update(
        Registration,
        { id },
        { state: next, confirmedAt: this.clock.now(), offerExpiresAt: null },
      );
      const registration = await em.findOneOrFail(Registration, { where: { id } });
      await this.audit.record(em, {
        subjectType: 'registration',
        subjectId: id,
        editionId: registration.editionId,
        action: 'accept_offer',
        from: current.state,
        to: next,
      });
      const edition = await em.findOneOrFail(Edition, { where: { id: registration.editionId } });
      const category = await em.findOneOrFail(TicketCategory, {
        where: { id: registration.categoryId },
      });
      const settings = await em.findOne(RegistrationSettings, {
        where: { editionId: registration.editionId },
      });
      return this.outbox.stage(
        em,
        this.confirmationMails(edition, registration, category, true, settings),
      );
    });
    await this.outbox.dispatch(mailIds);
    return this.view(id, token);
  }

  /**
   * Offers not accepted in time expire; each freed seat goes to the next person. Run by the
   * worker's sweep; safe in several workers at once (rows are locked and re-checked).
   */
  async expireOffers(): Promise<number> {
    const due = await this.db.manager.query<{ id: string }[]>(
      `SELECT id FROM registrations WHERE state = 'offered' AND offer_expires_at <= $1
        ORDER BY offer_expires_at LIMIT 500`,
      [this.clock.now()],
    );
    let expired = 0;
    for (const { id } of due) {
      const mailIds = await this.db.run(async (em) => {
        const [current] = await em.query<{ state: RegistrationState; edition_id: string }[]>(
          `SELECT state, edition_id FROM registrations
            WHERE id = $1 AND state = 'offered' AND offer_expires_at <= $2 FOR UPDATE SKIP LOCKED`,
          [id, this.clock.now()],
        );
        if (!current) return [];
        const next = nextState(current.state, 'expire_offer');
        await em.update(Registration, { id }, { state: next });
        await this.audit.record(em, {
          subjectType: 'registration',
          subjectId: id,
          editionId: current.edition_id,
          action: 'expire_offer',
          from: current.state,
          to: next,
        });
        await this.releaseSeat(em, id);
        expired += 1;
        return this.promote(em, current.edition_id);
      });
      await this.outbox.dispatch(mailIds);
    }
    if (expired > 0) this.logger.log(`${expired} seat offer(s) expired`);
    return expired;
  }

  /**
   * Hands free seats to the people waiting, first come first served (skipping someone whose
   * category is full), under the lock of the edition's settings row. In mode "offer" the seat
   * is held for them for N hours. Returns the staged mail to dispatch after commit.
   */
  async promote(em: EntityManager, editionId: string): Promise<StagedMail> {
    const [settings] = await em.query<
      { waitlist_mode: WaitlistMode; offer_hours: number; reminder_days: number[] }[]
    >(
      `SELECT waitlist_mode, offer_hours, reminder_days FROM registration_settings
        WHERE edition_id = $1 FOR UPDATE`,
      [editionId],
    );
    if (!settings) return [];
    const mails: StageMail[] = [];
    let edition: Edition | null = null;
    for (;;) {
      const [candidate] = await em.query<{ id: string; category_id: string }[]>(
        `SELECT r.id, r.category_id FROM registrations r
           JOIN ticket_categories c ON c.id = r.category_id
          WHERE r.edition_id = $1 AND r.state = 'waiting' AND (c.seats_left IS NULL OR c.seats_left > 0)
          ORDER BY r.seq LIMIT 1 FOR UPDATE OF r`,
        [editionId],
      );
      if (!candidate) break;
      if (!(await this.takeSeat(em, editionId, candidate.category_id))) break;
      edition ??= await em.findOneOrFail(Edition, { where: { id: editionId } });
      const offer = settings.waitlist_mode === WaitlistMode.Offer;
      const next = nextState(RegistrationState.Waiting, offer ? 'offer' : 'promote');
      const now = this.clock.now();
      await em.update(
        Registration,
        { id: candidate.id },
        offer
          ? { state: next, offerExpiresAt: new Date(now.getTime() + settings.offer_hours * HOUR) }
          : { state: next, confirmedAt: now },
      );
      await this.audit.record(em, {
        subjectType: 'registration',
        subjectId: candidate.id,
        editionId,
        action: offer ? 'offer' : 'promote',
        from: RegistrationState.Waiting,
        to: next,
      });
      const registration = await em.findOneOrFail(Registration, { where: { id: candidate.id } });
      if (offer) mails.push(this.offerMail(edition, registration));
      else {
        const category = await em.findOneOrFail(TicketCategory, {
          where: { id: candidate.category_id },
        });
        mails.push(
          ...this.confirmationMails(edition, registration, category, true, {
            reminderDays: settings.reminder_days,
          }),
        );
      }
    }
    return this.outbox.stage(em, mails);
  }

  /**
   * Locks the settings row of a registration's edition, the mutex of its seats and waiting list,
   * before the caller locks the registration itself. Every transaction that moves someone into
   * or out of the waiting list takes that row before any waiting registration's (register_attendee,
   * promote, and through this, cancelling someone waiting, changing their category): none can
   * then hold a waiting registration while waiting for the row another holds, and wait for it.
   */
  async lockSeatsOf(em: EntityManager, registrationId: string): Promise<void> {
    await em.query(
      `SELECT 1 FROM registration_settings s JOIN registrations r ON r.edition_id = s.edition_id
        WHERE r.id = $1 FOR UPDATE OF s`,
      [registrationId],
    );
  }

  /** One seat of the edition, then one of the category (given back if the category is full). */
  async takeSeat(em: EntityManager, editionId: string, categoryId: string): Promise<boolean> {
    // For an UPDATE, TypeORM's query() resolves to [returned rows, affected count].
    const [edition] = await em.query<[unknown[], number]>(
      `UPDATE registration_settings SET seats_left = seats_left - 1
        WHERE edition_id = $1 AND seats_left > 0 RETURNING seats_left`,
      [editionId],
    );
    if (edition.length === 0) return false;
    const [category] = await em.query<[unknown[], number]>(
      `UPDATE ticket_categories SET seats_left = seats_left - 1
        WHERE id = $1 AND (seats_left IS NULL OR seats_left > 0) RETURNING id`,
      [categoryId],
    );
    if (category.length > 0) return true;
    await em.query(
      'UPDATE registration_settings SET seats_left = seats_left + 1 WHERE edition_id = $1',
      [editionId],
    );
    return false;
  }

  /** Gives a registration's seat back to its edition and category. */
  async releaseSeat(em: EntityManager, registrationId: string): Promise<void> {
    await em.query(
      `UPDATE registration_settings s SET seats_left = s.seats_left + 1
         FROM registrations r WHERE r.id = $1 AND s.edition_id = r.edition_id`,
      [registrationId],
    );
    await em.query(
      `UPDATE ticket_categories c SET seats_left = c.seats_left + 1
         FROM registrations r WHERE r.id = $1 AND c.id = r.category_id AND c.seats_left IS NOT NULL`,
      [registrationId],
    );
  }

  /**
   * The manage link's token: derived from the id with the server secret, stored hashed. The
   * last one is remembered: a registration asks for it three times in a row (its hash, the link
   * in each outcome's email).
   */
  manageToken(id: string): string {
    if (this.lastManageToken?.id === id) return this.lastManageToken.token;
    const token = createHmac('sha256', this.config.session.secret)
      .update(`registration:${id}`)
      .digest('base64url');
    this.lastManageToken = { id, token };
    return token;
  }

  manageUrl(id: string): string {
    return `${this.config.publicUrl}/registrations/${id}?token=${this.manageToken(id)}`;
  }

  /**
   * The confirmation (with iCal and QR code, drawn by the worker at send time) and the
   * reminders of a confirmed registration.
   */
  confirmationMails(
    edition: Edition,
    registration: Attendee,
    category: TicketCategory,
    promoted: boolean,
    settings: Pick<RegistrationSettings, 'reminderDays'> | null,
  ): StageMail[] {
    const locale = registration.locale as Locale;
    const manageUrl = this.manageUrl(registration.id);
    const common = {
      name: registration.name,
      editionTitle: edition.title,
      when: eventWhen(edition, locale),
      where: eventWhere(edition),
      checkInCode: formatCheckInCode(registration.checkInCode),
      manageUrl,
    };
    const reminders = reminderPlan(
      edition.startsAt,
      settings?.reminderDays ?? [],
      this.clock.now(),
    ).map((plan): StageMail => ({
      to: registration.email,
      name: registration.name,
      template: 'registration-reminder',
      locale,
      purpose: reminderPurpose(registration.id, plan.days),
      category: MailCategory.Bulk,
      editionId: edition.id,
      notBefore: plan.sendAt,
      data: { ...common, days: plan.days },
    }));
    return [
      {
        to: registration.email,
        name: registration.name,
        template: 'registration-confirmed',
        locale,
        purpose: promoted
          ? `registration-promoted:${registration.id}`
          : `registration-confirmed:${registration.id}`,
        editionId: edition.id,
        data: {
          ...common,
          promoted,
          categoryName: locale === 'en' ? category.nameEn : category.nameFr,
        },
        attachments: confirmationAttachments(edition, registration.checkInCode, manageUrl),
      },
      ...reminders,
    ];
  }

  private waitingMail(edition: Edition, registration: Attendee, position: number): StageMail {
    return {
      to: registration.email,
      name: registration.name,
      template: 'registration-waiting',
      locale: registration.locale as Locale,
      purpose: `registration-waiting:${registration.id}`,
      editionId: edition.id,
      data: {
        name: registration.name,
        editionTitle: edition.title,
        position,
        manageUrl: this.manageUrl(registration.id),
      },
    };
  }

  private offerMail(edition: Edition, registration: Registration): StageMail {
    const locale = registration.locale as Locale;
    return {
      to: registration.email,
      name: registration.name,
      template: 'registration-offer',
      locale,
      purpose: `registration-offer:${registration.id}`,
      editionId: edition.id,
      data: {
        name: registration.name,
        editionTitle: edition.title,
        expiresAt: formatInstant(registration.offerExpiresAt!, edition.timezone, locale),
        manageUrl: this.manageUrl(registration.id),
      },
    };
  }

  /** 1 for the next person, counting only those still waiting before them. */
  async positionOf(em: EntityManager, registration: Registration): Promise<number> {
    const [row] = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM registrations
        WHERE edition_id = $1 AND state = 'waiting' AND seq <= $2::bigint`,
      [registration.editionId, registration.seq],
    );
    return row.n;
  }

  async viewOf(em: EntityManager, registration: Registration): Promise<RegistrationView> {
    const edition = await em.findOneOrFail(Edition, { where: { id: registration.editionId } });
    const category = await em.findOneOrFail(TicketCategory, {
      where: { id: registration.categoryId },
    });
    const settings = await em.findOneOrFail(RegistrationSettings, {
      where: { editionId: registration.editionId },
    });
    const position =
      registration.state === RegistrationState.Waiting
        ? await this.positionOf(em, registration)
        : null;
    return { registration, edition, category, settings, position };
  }

  private closedReason(settings: RegistrationSettings | null): RegistrationFormView['reason'] {
    if (!settings) return 'not_configured';
    const now = this.clock.now();
    if (now < settings.opensAt) return 'not_yet';
    if (now > settings.closesAt) return 'closed';
    return null;
  }

  private assertOpen(settings: RegistrationSettings | null): void {
    switch (this.closedReason(settings)) {
      case 'not_configured':
        throw new RegistrationClosedError('Registration is not open for this edition');
      case 'not_yet':
        throw new RegistrationClosedError('Registration is not open yet');
      case 'closed':
        throw new RegistrationClosedError('Registration has closed');
      case null:
        return;
    }
  }

  /** Keeps the answers to known questions; a required question left empty is a field error. */
  private checkAnswers(
    settings: RegistrationSettings,
    answers: Record<string, unknown> | undefined,
    fields: Record<string, string[]>,
  ): Record<string, string> {
    const kept: Record<string, string> = {};
    for (const question of settings.questions) {
      const raw = answers?.[question.key];
      const value = typeof raw === 'string' ? raw.trim().slice(0, 2000) : '';
      if (question.required && !value)
        fields[`answers.${question.key}`] = [`answers.${question.key} is required`];
      if (value) kept[question.key] = value;
    }
    return kept;
  }

  private async byIdempotencyKey(
    editionId: string,
    key: string,
  ): Promise<RegistrationOutcome | null> {
    const earlier = await this.db.manager.findOne(Registration, {
      where: { editionId, idempotencyKey: key },
    });
    if (!earlier) return null;
    const position =
      earlier.state === RegistrationState.Waiting
        ? await this.positionOf(this.db.manager, earlier)
        : null;
    return { id: earlier.id, status: earlier.state, ...(position ? { position } : {}) };
  }

  private async byToken(id: string, token: string | null): Promise<Registration> {
    if (!token || !UUID.test(id)) throw new RegistrationNotFoundError();
    const registration = await this.db.manager.findOne(Registration, { where: { id } });
    if (!registration || !safeEqual(registration.manageTokenHash, hashSecret(token)))
      throw new RegistrationNotFoundError();
    return registration;
  }
}
