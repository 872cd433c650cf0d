import { Actor } from '@assises/accounts';
import { clampLimit, ConflictError, newSecret, Page } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import {
  AfterCommit,
  Edition,
  EditionChangeListener,
  EditionCloneStep,
  EditionPermission,
  EditionService,
  previousEdition,
  toInstant,
} from '@assises/editions';
import { MailOutbox, OutboxMessage, OutboxStatus } from '@assises/mail';
import { Injectable } from '@nestjs/common';
import { Clock } from '@assises/core';
import { EntityManager } from 'typeorm';
import { normaliseCheckInCode } from './check-in-code';
import {
  AdminUpdateRegistrationDto,
  CreateInvitationCodeDto,
  RegistrationQuestionDto,
  RegistrationSettingsDto,
  TicketCategoryDto,
} from './dto/registration.dto';
import { InvitationCode } from './invitation-code.entity';
import { eventWhen } from './registration-mail';
import { RegistrationSettings, WaitlistMode } from './registration-settings.entity';
import { holdsSeat } from './registration-state.machine';
import { Registration, RegistrationState } from './registration.entity';
import {
  CategoryInUseError,
  CheckInNotFoundError,
  InvalidRegistrationError,
  InvitationCodeNotFoundError,
  InvalidRegistrationSettingsError,
  RegistrationNotFoundError,
} from './registration.errors';
import { RegistrationService, RegistrationView } from './registration.service';
import { TicketCategory } from './ticket-category.entity';

const DAY = 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The categories a new registration starts with; only participants register without a code. */
export const DEFAULT_CATEGORIES: TicketCategoryDto[] = [
  { key: 'participant', nameFr: 'Participant·e', nameEn: 'Participant', hidden: false },
  { key: 'speaker', nameFr: 'Intervenant·e', nameEn: 'Speaker', hidden: true },
  { key: 'volunteer', nameFr: 'Bénévole', nameEn: 'Volunteer', hidden: true },
  { key: 'organiser', nameFr: 'Organisation', nameEn: 'Organiser', hidden: true },
  { key: 'press', nameFr: 'Presse', nameEn: 'Press', hidden: true },
];

export interface RegistrationSettingsView {
  edition: Edition;
  settings: RegistrationSettings;
  categories: TicketCategory[];
}

export interface CategoryCounts {
  key: string;
  nameFr: string;
  nameEn: string;
  hidden: boolean;
  quota: number | null;
  seatsLeft: number | null;
  confirmed: number;
  offered: number;
  waiting: number;
  cancelled: number;
  checkedIn: number;
}

export interface RegistrationDashboard {
  edition: Edition;
  capacity: number;
  seatsLeft: number;
  totals: Omit<CategoryCounts, 'key' | 'nameFr' | 'nameEn' | 'hidden' | 'quota' | 'seatsLeft'>;
  categories: CategoryCounts[];
  /** Confirmed people by stakeholder type × territory type. */
  mix: MixCell[];
  /** The same for the edition this one was started from, when it had registrations. */
  previous: { slug: string; title: string; confirmed: number; mix: MixCell[] } | null;
}

export interface MixCell {
  stakeholderType: string;
  territoryType: string;
  count: number;
}

export interface RegistrationQuery {
  state?: string;
  category?: string;
  search?: string;
  limit?: number;
  offset?: number;
}

export interface RegistrationRow extends Registration {
  categoryKey: string;
}

export interface CheckInResult {
  registration: Registration;
  categoryKey: string;
  /** True when they were already checked in (the time is `registration.checkedInAt`). */
  already: boolean;
  checkedIn: number;
  confirmed: number;
}

/**
 * The organisers' side of registration: settings, categories and quotas, invitation codes, the
 * dashboard, the list and its exports, changes and cancellations, and the volunteers' check-in.
 * Also follows the edition (dates, capacity) and copies its settings into a new edition.
 */
@Injectable()
export class RegistrationAdminService implements EditionChangeListener, EditionCloneStep {
  readonly name = 'registration';

  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly editions: EditionService,
    private readonly outbox: MailOutbox,
    private readonly registrations: RegistrationService,
  ) {}

  async settings(actor: Actor, slug: string): Promise<RegistrationSettingsView> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    return this.settingsOf(this.db.manager, edition);
  }

  /**
   * Creates or changes the settings. Seat counters move by the change of capacity or quota, so
   * seats already taken stay taken; new seats go to the people waiting at once.
   */
  async upsertSettings(
    actor: Actor,
    slug: string,
    input: RegistrationSettingsDto,
  ): Promise<RegistrationSettingsView> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const opensAt = toInstant(input.opensAt, edition.timezone);
    const closesAt = toInstant(input.closesAt, edition.timezone);
    const fields: Record<string, string[]> = {};
    if (!opensAt) fields.opensAt = ['opensAt is not a real date'];
    if (!closesAt) fields.closesAt = ['closesAt is not a real date'];
    if (opensAt && closesAt && closesAt <= opensAt)
      fields.closesAt = ['closesAt must come after opensAt'];
    const keys = (input.categories ?? []).map((c) => c.key);
    if (new Set(keys).size !== keys.length) fields.categories = ['category keys must differ'];
    if (input.categories && !keys.includes('participant'))
      fields.categories = ['the participant category is required'];
    const questionKeys = (input.questions ?? []).map((q) => q.key);
    if (new Set(questionKeys).size !== questionKeys.length)
      fields.questions = ['question keys must differ'];
    if (Object.keys(fields).length > 0) throw new InvalidRegistrationSettingsError(fields);

    const mailIds = await this.db.run(async (em) => {
      await em.query('SELECT id FROM editions WHERE id = $1 FOR UPDATE', [edition.id]);
      const [existing] = await em.query<{ capacity: number | null }[]>(
        'SELECT capacity FROM registration_settings WHERE edition_id = $1 FOR UPDATE',
        [edition.id],
      );
      const capacity = input.capacity === undefined ? (existing?.capacity ?? null) : input.capacity;
      const values = {
        opensAt: opensAt!,
        closesAt: closesAt!,
        capacity,
        ...(input.waitlistMode ? { waitlistMode: input.waitlistMode } : {}),
        ...(input.offerHours ? { offerHours: input.offerHours } : {}),
        ...(input.reminderDays ? { reminderDays: input.reminderDays } : {}),
        ...(input.privacyNoticeVersion ? { privacyNoticeVersion: input.privacyNoticeVersion } : {}),
        ...(input.questions
          ? {
              questions: input.questions.map((q) => ({
                key: q.key,
                labelFr: q.labelFr,
                labelEn: q.labelEn,
                required: q.required ?? false,
              })),
            }
          : {}),
      };
      const effective = capacity ?? edition.capacity;
      if (existing) {
        const before = existing.capacity ?? edition.capacity;
        await em.update(RegistrationSettings, { editionId: edition.id }, values);
        await em.query(
          'UPDATE registration_settings SET seats_left = seats_left + $2::int WHERE edition_id = $1',
          [edition.id, effective - before],
        );
      } else {
        await em.insert(RegistrationSettings, {
          ...values,
          editionId: edition.id,
          seatsLeft: effective,
        });
      }
      const categories =
        input.categories ?? (existing ? null : DEFAULT_CATEGORIES.map((c) => ({ ...c })));
      if (categories) await this.replaceCategories(em, edition.id, categories);
      await this.audit.record(em, {
        subjectType: 'registration_settings',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: existing ? 'update' : 'create',
        data: { capacity: effective, opensAt: opensAt!.toISOString() },
      });
      return this.registrations.promote(em, edition.id);
    });
    await this.outbox.dispatch(mailIds);
    return this.settingsOf(this.db.manager, edition);
  }

  /** Categories by key: new ones added, changed quotas move the counter, unused ones removed. */
  private async replaceCategories(
    em: EntityManager,
    editionId: string,
    categories: TicketCategoryDto[],
  ): Promise<void> {
    const existing = await em.find(TicketCategory, { where: { editionId } });
    for (const [position, input] of categories.entries()) {
      const quota = input.quota ?? null;
      const known = existing.find((c) => c.key === input.key);
      if (!known) {
        await em.insert(TicketCategory, {
          editionId,
          key: input.key,
          nameFr: input.nameFr,
          nameEn: input.nameEn,
          hidden: input.hidden ?? false,
          quota,
          seatsLeft: quota,
          position,
        });
        continue;
      }
      await em.query(
        `UPDATE ticket_categories c
            SET name_fr = $2, name_en = $3, hidden = $4, position = $5, quota = $6::int,
                seats_left = CASE WHEN $6::int IS NULL THEN NULL
                  ELSE $6::int - (SELECT count(*)::int FROM registrations r
                                   WHERE r.category_id = c.id AND r.state IN ('confirmed','offered')) END,
                updated_at = now()
          WHERE c.id = $1`,
        [known.id, input.nameFr, input.nameEn, input.hidden ?? false, position, quota],
      );
    }
    for (const gone of existing.filter((c) => !categories.some((i) => i.key === c.key))) {
      const [used] = await em.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM registrations WHERE category_id = $1',
        [gone.id],
      );
      if (used.n > 0)
        throw new InvalidRegistrationSettingsError({
          categories: [`category ${gone.key} has registrations and cannot be removed`],
        });
      await em.delete(TicketCategory, { id: gone.id });
    }
  }

  /**
   * Adds a category (`key` null) or changes one, through `upsertSettings` so quotas move their
   * counters and new seats go to the people waiting. A new category cannot take a used key.
   */
  async saveCategory(
    actor: Actor,
    slug: string,
    key: string | null,
    input: TicketCategoryDto,
  ): Promise<RegistrationSettingsView> {
    const { settings, categories } = await this.settings(actor, slug);
    const list = categories.map((c) => this.categoryInput(c));
    const at = list.findIndex((c) => c.key === (key ?? input.key));
    if (key === null && at >= 0)
      throw new InvalidRegistrationSettingsError({ key: ['a category already has this key'] });
    if (key !== null && at < 0) throw new InvalidRegistrationSettingsError({ key: ['unknown'] });
    const next = { ...input, key: key ?? input.key, quota: input.quota ?? null };
    if (at >= 0) list[at] = next;
    else list.push(next);
    return this.upsertSettings(actor, slug, { ...this.datesOf(settings), categories: list });
  }

  /** Removes a category nobody registered in; participant stays (the open form needs it). */
  async deleteCategory(actor: Actor, slug: string, key: string): Promise<void> {
    const { settings, categories } = await this.settings(actor, slug);
    const gone = categories.find((c) => c.key === key);
    if (!gone) throw new InvalidRegistrationSettingsError({ key: ['unknown'] });
    const [used] = await this.db.manager.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM registrations WHERE category_id = $1',
      [gone.id],
    );
    if (key === 'participant' || used.n > 0) throw new CategoryInUseError(key);
    const list = categories.filter((c) => c.key !== key).map((c) => this.categoryInput(c));
    await this.upsertSettings(actor, slug, { ...this.datesOf(settings), categories: list });
  }

  /** Adds a custom question (`key` null) or changes one; answers stay keyed by `key`. */
  async saveQuestion(
    actor: Actor,
    slug: string,
    key: string | null,
    input: RegistrationQuestionDto,
  ): Promise<RegistrationSettingsView> {
    const { settings } = await this.settings(actor, slug);
    const list: RegistrationQuestionDto[] = settings.questions.map((q) => ({ ...q }));
    const at = list.findIndex((q) => q.key === (key ?? input.key));
    if (key === null && at >= 0)
      throw new InvalidRegistrationSettingsError({ key: ['a question already has this key'] });
    if (key !== null && at < 0) throw new InvalidRegistrationSettingsError({ key: ['unknown'] });
    const next = { ...input, key: key ?? input.key, required: input.required ?? false };
    if (at >= 0) list[at] = next;
    else list.push(next);
    return this.upsertSettings(actor, slug, { ...this.datesOf(settings), questions: list });
  }

  async deleteQuestion(actor: Actor, slug: string, key: string): Promise<void> {
    const { settings } = await this.settings(actor, slug);
    if (!settings.questions.some((q) => q.key === key))
      throw new InvalidRegistrationSettingsError({ key: ['unknown'] });
    const questions = settings.questions.filter((q) => q.key !== key);
    await this.upsertSettings(actor, slug, { ...this.datesOf(settings), questions });
  }

  private categoryInput(c: TicketCategory): TicketCategoryDto {
    return { key: c.key, nameFr: c.nameFr, nameEn: c.nameEn, hidden: c.hidden, quota: c.quota };
  }

  private datesOf(settings: RegistrationSettings): { opensAt: string; closesAt: string } {
    return { opensAt: settings.opensAt.toISOString(), closesAt: settings.closesAt.toISOString() };
  }

  private async settingsOf(em: EntityManager, edition: Edition): Promise<RegistrationSettingsView> {
    const settings = await em.findOne(RegistrationSettings, { where: { editionId: edition.id } });
    if (!settings)
      throw new InvalidRegistrationSettingsError({ _form: ['registration is not set up'] });
    const categories = await em.find(TicketCategory, {
      where: { editionId: edition.id },
      order: { position: 'ASC', key: 'ASC' },
    });
    return { edition, settings, categories };
  }

  async dashboard(actor: Actor, slug: string): Promise<RegistrationDashboard> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.CheckIn);
    const { settings, categories } = await this.settingsOf(this.db.manager, edition);
    const rows = await this.db.manager.query<
      { category_id: string; state: RegistrationState; n: number; checked_in: number }[]
    >(
      `SELECT category_id, state, count(*)::int AS n, count(checked_in_at)::int AS checked_in
         FROM registrations WHERE edition_id = $1 GROUP BY category_id, state`,
      [edition.id],
    );
    const counts = (filter: (r: (typeof rows)[number]) => boolean) => {
      const mine = rows.filter(filter);
      const of = (state: RegistrationState) =>
        mine.filter((r) => r.state === state).reduce((sum, r) => sum + r.n, 0);
      return {
        confirmed: of(RegistrationState.Confirmed),
        offered: of(RegistrationState.Offered),
        waiting: of(RegistrationState.Waiting),
        cancelled: of(RegistrationState.Cancelled),
        checkedIn: mine.reduce((sum, r) => sum + r.checked_in, 0),
      };
    };
    const mix = await this.mixOf(edition.id);
    const before = await previousEdition(this.db.manager, edition);
    const previousMix = before ? await this.mixOf(before.id) : [];
    return {
      edition,
      capacity: settings.capacity ?? edition.capacity,
      seatsLeft: Math.max(0, settings.seatsLeft),
      totals: counts(() => true),
      categories: categories.map((c) => ({
        key: c.key,
        nameFr: c.nameFr,
        nameEn: c.nameEn,
        hidden: c.hidden,
        quota: c.quota,
        seatsLeft: c.seatsLeft,
        ...counts((r) => r.category_id === c.id),
      })),
      mix,
      previous:
        before && previousMix.length > 0
          ? {
              slug: before.slug,
              title: before.title,
              confirmed: previousMix.reduce((sum, m) => sum + m.count, 0),
              mix: previousMix,
            }
          : null,
    };
  }

  /** Confirmed registrations of an edition by stakeholder type × territory type. */
  private async mixOf(editionId: string): Promise<MixCell[]> {
    const rows = await this.db.manager.query<
      { stakeholder_type: string; territory_type: string; count: number }[]
    >(
      `SELECT stakeholder_type, territory_type, count(*)::int AS count FROM registrations
        WHERE edition_id = $1 AND state = 'confirmed'
        GROUP BY stakeholder_type, territory_type ORDER BY stakeholder_type, territory_type`,
      [editionId],
    );
    return rows.map((m) => ({
      stakeholderType: m.stakeholder_type,
      territoryType: m.territory_type,
      count: m.count,
    }));
  }

  /** Registrations with filters (state, category key) and a search on name, email, organisation. */
  async list(actor: Actor, slug: string, query: RegistrationQuery): Promise<Page<RegistrationRow>> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const limit = clampLimit(query.limit, 10_000);
    const offset = Math.max(0, query.offset ?? 0);
    const qb = this.db.manager
      .createQueryBuilder(Registration, 'r')
      .innerJoin(TicketCategory, 'c', 'c.id = r.category_id')
      .addSelect('c.key', 'category_key')
      .where('r.edition_id = :editionId', { editionId: edition.id })
      .orderBy('r.seq', 'ASC')
      .limit(limit)
      .offset(offset);
    if (query.state) qb.andWhere('r.state = :state', { state: query.state });
    if (query.category) qb.andWhere('c.key = :category', { category: query.category });
    if (query.search) {
      qb.andWhere('(r.name ILIKE :q OR r.email ILIKE :q OR r.organisation ILIKE :q)', {
        q: `%${query.search.replace(/[%_\\]/g, '\\$&')}%`,
      });
    }
    const total = await qb.getCount();
    const { entities, raw } = await qb.getRawAndEntities<{ category_key: string }>();
    const items = entities.map((r, i) => Object.assign(r, { categoryKey: raw[i].category_key }));
    return { items, total, limit, offset };
  }

  async get(actor: Actor, slug: string, id: string): Promise<RegistrationView> {
    const registration = await this.inEdition(actor, slug, id, EditionPermission.Edit);
    return this.registrations.viewOf(this.db.manager, registration);
  }

  /** Organisers change details or move someone to another category (taking one of its seats). */
  async update(
    actor: Actor,
    slug: string,
    id: string,
    input: AdminUpdateRegistrationDto,
  ): Promise<RegistrationView> {
    const registration = await this.inEdition(actor, slug, id, EditionPermission.Edit);
    if (input.category) {
      const target = await this.db.manager.findOne(TicketCategory, {
        where: { editionId: registration.editionId, key: input.category },
      });
      if (!target) throw new InvalidRegistrationError({ category: ['category is unknown'] });
      if (target.id !== registration.categoryId)
        await this.changeCategory(actor, registration, target);
    }
    const fresh = await this.db.manager.findOneOrFail(Registration, { where: { id } });
    return this.registrations.changeDetails(fresh, input, actor.accountId);
  }

  private async changeCategory(
    actor: Actor,
    registration: Registration,
    target: TicketCategory,
  ): Promise<void> {
    const mailIds = await this.db.run(async (em) => {
      await this.registrations.lockSeatsOf(em, registration.id);
      const [current] = await em.query<{ state: RegistrationState; category_id: string }[]>(
        'SELECT state, category_id FROM registrations WHERE id = $1 FOR UPDATE',
        [registration.id],
      );
      if (holdsSeat(current.state)) {
        const [taken] = await em.query<[unknown[], number]>(
          `UPDATE ticket_categories SET seats_left = seats_left - 1
            WHERE id = $1 AND (seats_left IS NULL OR seats_left > 0) RETURNING id`,
          [target.id],
        );
        if (taken.length === 0)
          throw new ConflictError('registration.category_full', 'This category is full');
        await em.query(
          `UPDATE ticket_categories SET seats_left = seats_left + 1
            WHERE id = $1 AND seats_left IS NOT NULL`,
          [current.category_id],
        );
      }
      await em.update(Registration, { id: registration.id }, { categoryId: target.id });
      await this.audit.record(em, {
        subjectType: 'registration',
        subjectId: registration.id,
        editionId: registration.editionId,
        actorId: actor.accountId,
        action: 'change_category',
        data: { from: current.category_id, to: target.id },
      });
      return this.registrations.promote(em, registration.editionId);
    });
    await this.outbox.dispatch(mailIds);
  }

  async cancel(actor: Actor, slug: string, id: string): Promise<void> {
    await this.inEdition(actor, slug, id, EditionPermission.Edit);
    await this.registrations.cancelById(id, actor.accountId);
  }

  async createInvitationCode(
    actor: Actor,
    slug: string,
    input: CreateInvitationCodeDto,
  ): Promise<InvitationCode> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const category = await this.db.manager.findOne(TicketCategory, {
      where: { editionId: edition.id, key: input.category },
    });
    if (!category) throw new InvalidRegistrationError({ category: ['category is unknown'] });
    const code =
      input.code ??
      newSecret(9)
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, '')
        .slice(0, 10);
    return this.db.run(async (em) => {
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(InvitationCode)
        .values({
          editionId: edition.id,
          categoryId: category.id,
          code,
          maxUses: input.maxUses ?? 1,
          note: input.note ?? '',
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id = (inserted.raw as { id: string }[])[0]?.id;
      if (!id) throw new InvalidRegistrationError({ code: ['code is already in use'] });
      await this.audit.record(em, {
        subjectType: 'invitation_code',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'create',
        data: { category: category.key, maxUses: input.maxUses ?? 1 },
      });
      return em.findOneOrFail(InvitationCode, { where: { id } });
    });
  }

  /**
   * Revokes a code: it opens nothing any more (registration's use of a code checks it in the
   * same atomic update that counts the use); registrations made with it stay.
   */
  async revokeInvitationCode(actor: Actor, slug: string, id: string): Promise<InvitationCode> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    if (!UUID.test(id)) throw new InvitationCodeNotFoundError();
    return this.db.run(async (em) => {
      const [rows] = await em.query<[{ id: string }[], number]>(
        `UPDATE invitation_codes SET revoked_at = coalesce(revoked_at, now()), updated_at = now()
          WHERE id = $1 AND edition_id = $2 RETURNING id`,
        [id, edition.id],
      );
      if (rows.length === 0) throw new InvitationCodeNotFoundError();
      await this.audit.record(em, {
        subjectType: 'invitation_code',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'revoke',
      });
      return em.findOneOrFail(InvitationCode, { where: { id } });
    });
  }

  async invitationCodes(
    actor: Actor,
    slug: string,
  ): Promise<(InvitationCode & { categoryKey: string })[]> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const codes = await this.db.manager.find(InvitationCode, {
      where: { editionId: edition.id },
      order: { createdAt: 'ASC' },
    });
    const categories = await this.db.manager.find(TicketCategory, {
      where: { editionId: edition.id },
    });
    return codes.map((c) =>
      Object.assign(c, { categoryKey: categories.find((k) => k.id === c.categoryId)?.key ?? '' }),
    );
  }

  /** Confirmed people whose name or code matches what a volunteer typed (up to 20). */
  async searchCheckIn(
    actor: Actor,
    slug: string,
    q: string,
  ): Promise<{ items: RegistrationRow[]; checkedIn: number; confirmed: number }> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.CheckIn);
    const text = q.trim().slice(0, 100);
    const items: RegistrationRow[] = [];
    if (text.length >= 2) {
      const rows = await this.db.manager.query<{ id: string; category_key: string }[]>(
        `SELECT r.id, c.key AS category_key FROM registrations r
           JOIN ticket_categories c ON c.id = r.category_id
          WHERE r.edition_id = $1 AND r.state = 'confirmed'
            AND (r.name ILIKE $2 OR r.organisation ILIKE $2 OR r.check_in_code = $3)
          ORDER BY r.name LIMIT 20`,
        [edition.id, `%${text.replace(/[%_\\]/g, '\\$&')}%`, normaliseCheckInCode(text)],
      );
      for (const row of rows) {
        const registration = await this.db.manager.findOneOrFail(Registration, {
          where: { id: row.id },
        });
        items.push(Object.assign(registration, { categoryKey: row.category_key }));
      }
    }
    return { items, ...(await this.checkInCounts(edition.id)) };
  }

  /** One confirmed person of the edition as the check-in desk shows them after a check-in. */
  async checkInCard(actor: Actor, slug: string, id: string): Promise<RegistrationRow | null> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.CheckIn);
    if (!UUID.test(id)) return null;
    const registration = await this.db.manager.findOne(Registration, {
      where: { id, editionId: edition.id, state: RegistrationState.Confirmed },
    });
    if (!registration) return null;
    const category = await this.db.manager.findOneOrFail(TicketCategory, {
      where: { id: registration.categoryId },
    });
    return Object.assign(registration, { categoryKey: category.key });
  }

  /**
   * Marks someone present, by check-in code or registration id. One atomic update decides, so
   * two volunteers scanning the same code at once get one check-in and one "already, at 09:12".
   */
  async checkIn(actor: Actor, slug: string, codeOrId: string): Promise<CheckInResult> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.CheckIn);
    const byId = UUID.test(codeOrId.trim());
    const value = byId ? codeOrId.trim() : normaliseCheckInCode(codeOrId);
    const column = byId ? 'id' : 'check_in_code';
    const marked = await this.db.run(async (em) => {
      const [rows] = await em.query<[{ id: string }[], number]>(
        `UPDATE registrations SET checked_in_at = now(), checked_in_by = $3, updated_at = now()
          WHERE edition_id = $1 AND ${column} = $2 AND state = 'confirmed' AND checked_in_at IS NULL
          RETURNING id`,
        [edition.id, value, actor.accountId],
      );
      if (rows.length === 0) return null;
      await this.audit.record(em, {
        subjectType: 'registration',
        subjectId: rows[0].id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'check_in',
      });
      return rows[0].id;
    });
    const registration = await this.db.manager.findOne(Registration, {
      where: byId
        ? { editionId: edition.id, id: value, state: RegistrationState.Confirmed }
        : { editionId: edition.id, checkInCode: value, state: RegistrationState.Confirmed },
    });
    if (!registration) throw new CheckInNotFoundError();
    const category = await this.db.manager.findOneOrFail(TicketCategory, {
      where: { id: registration.categoryId },
    });
    return {
      registration,
      categoryKey: category.key,
      already: marked === null,
      ...(await this.checkInCounts(edition.id)),
    };
  }

  private async checkInCounts(
    editionId: string,
  ): Promise<{ checkedIn: number; confirmed: number }> {
    const [row] = await this.db.manager.query<{ checked_in: number; confirmed: number }[]>(
      `SELECT count(checked_in_at)::int AS checked_in, count(*)::int AS confirmed
         FROM registrations WHERE edition_id = $1 AND state = 'confirmed'`,
      [editionId],
    );
    return { checkedIn: row.checked_in, confirmed: row.confirmed };
  }

  /** Those who agreed to appear: name, organisation, city; nothing else. */
  async publicParticipants(slug: string): Promise<{
    edition: Edition;
    people: { name: string; organisation: string; cityOrRegion: string }[];
  }> {
    const edition = await this.editions.getPublic(slug);
    const people = await this.db.manager.find(Registration, {
      where: { editionId: edition.id, state: RegistrationState.Confirmed, publicListing: true },
      select: { name: true, organisation: true, cityOrRegion: true },
      order: { name: 'ASC' },
    });
    return {
      edition,
      people: people.map((p) => ({
        name: p.name,
        organisation: p.organisation,
        cityOrRegion: p.cityOrRegion,
      })),
    };
  }

  /**
   * The edition changed: reminders follow its new start (those now past are cancelled), and a
   * new edition capacity, when registration follows it, opens or closes seats.
   */
  async editionChanged(
    em: EntityManager,
    before: Edition,
    after: Edition,
  ): Promise<AfterCommit | void> {
    const settings = await em.findOne(RegistrationSettings, { where: { editionId: after.id } });
    if (!settings) return;
    if (before.startsAt.getTime() !== after.startsAt.getTime()) {
      const reminders = await em.find(OutboxMessage, {
        where: {
          editionId: after.id,
          template: 'registration-reminder',
          status: OutboxStatus.Pending,
        },
      });
      const now = this.clock.now();
      for (const reminder of reminders) {
        const days = Number(/:(\d+)d$/.exec(reminder.purpose)?.[1] ?? NaN);
        if (!Number.isFinite(days)) continue;
        const sendAt = new Date(after.startsAt.getTime() - days * DAY);
        if (sendAt <= now) await this.outbox.cancel(em, reminder.purpose);
        else
          await this.outbox.reschedule(em, reminder.purpose, sendAt, {
            when: eventWhen(after, reminder.locale === 'en' ? 'en' : 'fr'),
          });
      }
    }
    let mailIds: string[] = [];
    if (settings.capacity === null && before.capacity !== after.capacity) {
      await em.query(
        'UPDATE registration_settings SET seats_left = seats_left + $2::int WHERE edition_id = $1',
        [after.id, after.capacity - before.capacity],
      );
      mailIds = await this.registrations.promote(em, after.id);
    }
    if (mailIds.length > 0) return () => this.outbox.dispatch(mailIds);
  }

  /** A new edition gets the categories, questions, reminder offsets and modes; dates shift. */
  async cloneInto(em: EntityManager, fromEditionId: string, toEditionId: string): Promise<void> {
    const settings = await em.findOne(RegistrationSettings, {
      where: { editionId: fromEditionId },
    });
    if (!settings) return;
    const from = await em.findOneOrFail(Edition, { where: { id: fromEditionId } });
    const to = await em.findOneOrFail(Edition, { where: { id: toEditionId } });
    const offset = to.startsAt.getTime() - from.startsAt.getTime();
    await em.insert(RegistrationSettings, {
      editionId: toEditionId,
      opensAt: new Date(settings.opensAt.getTime() + offset),
      closesAt: new Date(settings.closesAt.getTime() + offset),
      capacity: settings.capacity,
      seatsLeft: settings.capacity ?? to.capacity,
      waitlistMode: settings.waitlistMode ?? WaitlistMode.Auto,
      offerHours: settings.offerHours,
      reminderDays: settings.reminderDays,
      privacyNoticeVersion: settings.privacyNoticeVersion,
      questions: settings.questions,
    });
    const categories = await em.find(TicketCategory, { where: { editionId: fromEditionId } });
    if (categories.length > 0)
      await em.insert(
        TicketCategory,
        categories.map((c) => ({
          editionId: toEditionId,
          key: c.key,
          nameFr: c.nameFr,
          nameEn: c.nameEn,
          hidden: c.hidden,
          quota: c.quota,
          seatsLeft: c.quota,
          position: c.position,
        })),
      );
  }

  private async inEdition(
    actor: Actor,
    slug: string,
    id: string,
    permission: EditionPermission,
  ): Promise<Registration> {
    const { edition } = await this.editions.access(actor, slug, permission);
    if (!UUID.test(id)) throw new RegistrationNotFoundError();
    const registration = await this.db.manager.findOne(Registration, {
      where: { id, editionId: edition.id },
    });
    if (!registration) throw new RegistrationNotFoundError();
    return registration;
  }
}
