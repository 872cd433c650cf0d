import { Actor } from '@assises/accounts';
import { Clock } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import {
  Edition,
  EditionCloneStep,
  EditionPermission,
  EditionService,
  toInstant,
} from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallFormat } from './call-format.entity';
import { CallQuestion } from './call-question.entity';
import { CallTheme } from './call-theme.entity';
import { Call } from './call.entity';
import { CallNotFoundError, InvalidCallDatesError } from './contributions.errors';
import { DEFAULT_FORMATS } from './default-formats';
import { UpsertCallDto } from './dto/call.dto';
import { DraftReminders } from './draft-reminders';

/** A call with what a contributor chooses from. */
export interface CallView {
  call: Call;
  edition: Edition;
  formats: CallFormat[];
  themes: CallTheme[];
  questions: CallQuestion[];
}

/** Where a call stands: not open yet, open, or closed. */
export type CallPhase = 'closed' | 'open' | 'upcoming';

/** The call for contributions of an edition: public reading, organisers' settings, cloning. */
@Injectable()
export class CallService implements EditionCloneStep {
  readonly name = 'contributions.call';

  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly editions: EditionService,
    private readonly reminders: DraftReminders,
    private readonly clock: Clock,
  ) {}

  /** Not open yet, open, or closed (the call's own dates; a format may close earlier). */
  phase(call: Call): CallPhase {
    const now = this.clock.now();
    if (now < call.opensAt) return 'upcoming';
    return now > call.closesAt ? 'closed' : 'open';
  }

  /** Is this format still taking proposals (its own deadline, else the call's closing)? */
  formatOpen(call: Call, format: CallFormat): boolean {
    const now = this.clock.now();
    return now >= call.opensAt && now <= (format.deadline ?? call.closesAt);
  }

  /** The call of a public edition, with its formats and themes in order. */
  async getPublic(slug: string): Promise<CallView> {
    const edition = await this.editions.getPublic(slug);
    return this.viewOf(this.db.manager, edition);
  }

  /** For organisers (Edit): the edition and its call, or null when it has none yet. */
  async settings(actor: Actor, slug: string): Promise<{ edition: Edition; view: CallView | null }> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const exists = await this.db.manager.exists(Call, { where: { editionId: edition.id } });
    return { edition, view: exists ? await this.viewOf(this.db.manager, edition) : null };
  }

  /** The call of an edition the caller already resolved (organisers' pages, submission). */
  async viewOf(em: EntityManager, edition: Edition): Promise<CallView> {
    const call = await em.findOne(Call, { where: { editionId: edition.id } });
    if (!call) throw new CallNotFoundError();
    // One after the other: `em` may be a transaction's, which runs one query at a time.
    const formats = await em.find(CallFormat, {
      where: { editionId: edition.id },
      order: { position: 'ASC', key: 'ASC' },
    });
    const themes = await em.find(CallTheme, {
      where: { editionId: edition.id },
      order: { position: 'ASC', nameFr: 'ASC' },
    });
    const questions = await em.find(CallQuestion, {
      where: { editionId: edition.id },
      order: { position: 'ASC', key: 'ASC' },
    });
    return { call, edition, formats, themes, questions };
  }

  /**
   * Creates the call (with the default formats) or changes its dates and introduction. Dates
   * without an offset are read in the edition's timezone.
   */
  async upsert(actor: Actor, slug: string, input: UpsertCallDto): Promise<CallView> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const opensAt = toInstant(input.opensAt, edition.timezone);
    const closesAt = toInstant(input.closesAt, edition.timezone);
    const fields: Record<string, string[]> = {};
    if (!opensAt) fields.opensAt = ['opensAt is not a real date'];
    if (!closesAt) fields.closesAt = ['closesAt is not a real date'];
    if (opensAt && closesAt && closesAt <= opensAt)
      fields.closesAt = ['closesAt must come after opensAt'];
    if (Object.keys(fields).length > 0) throw new InvalidCallDatesError(fields);

    return this.db.run(async (em) => {
      await em.query('SELECT id FROM editions WHERE id = $1 FOR UPDATE', [edition.id]);
      const existing = await em.findOne(Call, { where: { editionId: edition.id } });
      const values: Partial<Call> = { opensAt: opensAt!, closesAt: closesAt! };
      if (input.introduction !== undefined) values.introduction = input.introduction;
      if (input.draftReminderDays !== undefined) values.draftReminderDays = input.draftReminderDays;
      if (input.blindReview !== undefined) values.blindReview = input.blindReview;
      if (input.reviewsPerProposal !== undefined)
        values.reviewsPerProposal = input.reviewsPerProposal;
      if (input.confirmationReminderDays !== undefined)
        values.confirmationReminderDays = input.confirmationReminderDays;
      let callId: string;
      if (existing) {
        callId = existing.id;
        await em.update(Call, { id: callId }, values);
        // The closing date or the reminder days moved: so do the drafts' reminders.
        await this.reminders.refresh(em, edition.id);
      } else {
        const inserted = await em.insert(Call, { ...values, editionId: edition.id });
        callId = (inserted.identifiers[0] as { id: string }).id;
        await em.insert(
          CallFormat,
          DEFAULT_FORMATS.map((format, position) => ({
            ...format,
            editionId: edition.id,
            position,
          })),
        );
      }
      await this.audit.record(em, {
        subjectType: 'call',
        subjectId: callId,
        editionId: edition.id,
        actorId: actor.accountId,
        action: existing ? 'update' : 'create',
        data: { opensAt: opensAt!.toISOString(), closesAt: closesAt!.toISOString() },
      });
      return this.viewOf(em, edition);
    });
  }

  /**
   * Copies the call's settings, formats, themes and questions to a new edition; every date moves by the
   * offset between the two editions' starts, so a call closing six weeks before still does.
   */
  async cloneInto(em: EntityManager, fromEditionId: string, toEditionId: string): Promise<void> {
    const from = await em.findOneOrFail(Edition, { where: { id: fromEditionId } });
    const to = await em.findOneOrFail(Edition, { where: { id: toEditionId } });
    const offset = to.startsAt.getTime() - from.startsAt.getTime();
    const shift = (date: Date) => new Date(date.getTime() + offset);
    const call = await em.findOne(Call, { where: { editionId: fromEditionId } });
    if (call) {
      await em.insert(Call, {
        editionId: toEditionId,
        opensAt: shift(call.opensAt),
        closesAt: shift(call.closesAt),
        introduction: call.introduction,
        draftReminderDays: call.draftReminderDays,
        blindReview: call.blindReview,
        reviewsPerProposal: call.reviewsPerProposal,
        confirmationReminderDays: call.confirmationReminderDays,
      });
    }
    const formats = await em.find(CallFormat, { where: { editionId: fromEditionId } });
    if (formats.length > 0) {
      await em.insert(
        CallFormat,
        formats.map((f) => ({
          editionId: toEditionId,
          key: f.key,
          nameFr: f.nameFr,
          nameEn: f.nameEn,
          defaultDurationMinutes: f.defaultDurationMinutes,
          minSpeakers: f.minSpeakers,
          maxSpeakers: f.maxSpeakers,
          deadline: f.deadline ? shift(f.deadline) : null,
          position: f.position,
        })),
      );
    }
    const themes = await em.find(CallTheme, { where: { editionId: fromEditionId } });
    if (themes.length > 0) {
      await em.insert(
        CallTheme,
        themes.map((t) => ({
          editionId: toEditionId,
          nameFr: t.nameFr,
          nameEn: t.nameEn,
          description: t.description,
          position: t.position,
        })),
      );
    }
    const questions = await em.find(CallQuestion, { where: { editionId: fromEditionId } });
    if (questions.length > 0) {
      await em.insert(
        CallQuestion,
        questions.map((q) => ({
          editionId: toEditionId,
          key: q.key,
          kind: q.kind,
          labelFr: q.labelFr,
          labelEn: q.labelEn,
          helpFr: q.helpFr,
          helpEn: q.helpEn,
          options: q.options,
          required: q.required,
          formatKeys: q.formatKeys,
          minLength: q.minLength,
          maxLength: q.maxLength,
          lengthUnit: q.lengthUnit,
          minValue: q.minValue,
          maxValue: q.maxValue,
          position: q.position,
        })),
      );
    }
  }
}
