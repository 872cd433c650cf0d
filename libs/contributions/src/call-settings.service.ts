import { Actor } from '@assises/accounts';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Edition, EditionPermission, EditionService, toInstant } from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallFormat } from './call-format.entity';
import { CallQuestion, QuestionKind } from './call-question.entity';
import { CallTheme } from './call-theme.entity';
import { Call } from './call.entity';
import {
  CallFormatNotFoundError,
  CallNotFoundError,
  CallQuestionNotFoundError,
  CallThemeNotFoundError,
  FormatInUseError,
  InvalidCallSettingError,
} from './contributions.errors';
import {
  CreateFormatDto,
  CreateQuestionDto,
  CreateThemeDto,
  UpdateFormatDto,
  UpdateQuestionDto,
  UpdateThemeDto,
} from './dto/call-settings.dto';
import { DraftReminders } from './draft-reminders';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHOICE_KINDS: readonly QuestionKind[] = [
  QuestionKind.SingleChoice,
  QuestionKind.MultipleChoice,
];
const TEXT_KINDS: readonly QuestionKind[] = [QuestionKind.ShortText, QuestionKind.LongText];

function isUniqueViolation(error: unknown): boolean {
  return (error as { driverError?: { code?: string } }).driverError?.code === '23505';
}

/** Keeps only the keys that were given (PATCH semantics). */
function given<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * What organisers set up in a call: formats, themes and custom questions. Each change is checked
 * (a format used by proposals stays; a choice question needs choices), audited, and done in one
 * transaction.
 */
@Injectable()
export class CallSettingsService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly editions: EditionService,
    private readonly reminders: DraftReminders,
  ) {}

  /** The call's questions in order (public: the submission form shows them). */
  questionsOf(em: EntityManager, editionId: string): Promise<CallQuestion[]> {
    return em.find(CallQuestion, {
      where: { editionId },
      order: { position: 'ASC', key: 'ASC' },
    });
  }

  // Formats

  async createFormat(actor: Actor, slug: string, input: CreateFormatDto): Promise<CallFormat> {
    const edition = await this.editable(actor, slug);
    const values = this.formatValues(edition, input, null);
    return this.write(actor, edition, 'format', 'create_format', async (em) => {
      const position = await this.nextPosition(em, 'call_formats', edition.id);
      const saved = await em.save(
        em.create(CallFormat, { ...values, editionId: edition.id, position }),
      );
      return saved;
    });
  }

  async updateFormat(
    actor: Actor,
    slug: string,
    formatId: string,
    input: UpdateFormatDto,
  ): Promise<CallFormat> {
    const edition = await this.editable(actor, slug);
    const current = await this.format(edition.id, formatId);
    const values = this.formatValues(edition, input, current);
    await this.db.run(async (em) => {
      try {
        await em.update(CallFormat, { id: current.id }, values);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new InvalidCallSettingError('call.format_key_taken', {
            key: ['another format already uses this key'],
          });
        throw error;
      }
      await this.record(em, actor, edition, current.id, 'update_format', given(input));
      // A new deadline moves the reminders of this format's drafts.
      if (input.deadline !== undefined) await this.reminders.refresh(em, edition.id);
    });
    return this.db.manager.findOneOrFail(CallFormat, { where: { id: current.id } });
  }

  async deleteFormat(actor: Actor, slug: string, formatId: string): Promise<void> {
    const edition = await this.editable(actor, slug);
    const format = await this.format(edition.id, formatId);
    await this.db.run(async (em) => {
      const [used] = await em.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM proposals WHERE format_id = $1',
        [format.id],
      );
      if (used.n > 0) throw new FormatInUseError();
      await em.delete(CallFormat, { id: format.id });
      await this.record(em, actor, edition, format.id, 'delete_format', { key: format.key });
    });
  }

  // Themes

  async createTheme(actor: Actor, slug: string, input: CreateThemeDto): Promise<CallTheme> {
    const edition = await this.editable(actor, slug);
    return this.write(actor, edition, 'theme', 'create_theme', async (em) => {
      const position = input.position ?? (await this.nextPosition(em, 'call_themes', edition.id));
      return em.save(
        em.create(CallTheme, {
          editionId: edition.id,
          nameFr: input.nameFr,
          nameEn: input.nameEn,
          description: input.description ?? '',
          position,
        }),
      );
    });
  }

  async updateTheme(
    actor: Actor,
    slug: string,
    themeId: string,
    input: UpdateThemeDto,
  ): Promise<CallTheme> {
    const edition = await this.editable(actor, slug);
    const theme = await this.theme(edition.id, themeId);
    return this.db.run(async (em) => {
      const changes = given(input);
      if (Object.keys(changes).length > 0) await em.update(CallTheme, { id: theme.id }, changes);
      await this.record(em, actor, edition, theme.id, 'update_theme', changes);
      return em.findOneOrFail(CallTheme, { where: { id: theme.id } });
    });
  }

  /** Deletes a theme; proposals that chose it keep no theme (the database sets it to null). */
  async deleteTheme(actor: Actor, slug: string, themeId: string): Promise<void> {
    const edition = await this.editable(actor, slug);
    const theme = await this.theme(edition.id, themeId);
    await this.db.run(async (em) => {
      await em.delete(CallTheme, { id: theme.id });
      await this.record(em, actor, edition, theme.id, 'delete_theme', { nameFr: theme.nameFr });
    });
  }

  // Questions

  async createQuestion(
    actor: Actor,
    slug: string,
    input: CreateQuestionDto,
  ): Promise<CallQuestion> {
    const edition = await this.editable(actor, slug);
    const values = await this.questionValues(edition, input, null);
    return this.write(actor, edition, 'question', 'create_question', async (em) => {
      const position = await this.nextPosition(em, 'call_questions', edition.id);
      return em.save(em.create(CallQuestion, { ...values, editionId: edition.id, position }));
    });
  }

  async updateQuestion(
    actor: Actor,
    slug: string,
    questionId: string,
    input: UpdateQuestionDto,
  ): Promise<CallQuestion> {
    const edition = await this.editable(actor, slug);
    const current = await this.question(edition.id, questionId);
    const values = await this.questionValues(edition, input, current);
    return this.db.run(async (em) => {
      try {
        await em.update(CallQuestion, { id: current.id }, values);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new InvalidCallSettingError('call.question_key_taken', {
            key: ['another question already uses this key'],
          });
        throw error;
      }
      await this.record(em, actor, edition, current.id, 'update_question', given(input));
      return em.findOneOrFail(CallQuestion, { where: { id: current.id } });
    });
  }

  /** Deletes a question; answers already given stay on the proposals (history), unshown. */
  async deleteQuestion(actor: Actor, slug: string, questionId: string): Promise<void> {
    const edition = await this.editable(actor, slug);
    const question = await this.question(edition.id, questionId);
    await this.db.run(async (em) => {
      await em.delete(CallQuestion, { id: question.id });
      await this.record(em, actor, edition, question.id, 'delete_question', { key: question.key });
    });
  }

  /** Puts the questions in the given order; the list must name each question once. */
  async reorderQuestions(actor: Actor, slug: string, ids: string[]): Promise<CallQuestion[]> {
    const edition = await this.editable(actor, slug);
    return this.db.run(async (em) => {
      const questions = await this.questionsOf(em, edition.id);
      const known = new Set(questions.map((q) => q.id));
      if (
        ids.length !== questions.length ||
        new Set(ids).size !== ids.length ||
        ids.some((id) => !known.has(id))
      )
        throw new InvalidCallSettingError('call.invalid_order', {
          ids: ['ids must list every question of the call once'],
        });
      for (const [position, id] of ids.entries())
        await em.update(CallQuestion, { id }, { position });
      await this.audit.record(em, {
        subjectType: 'call',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'reorder_questions',
        data: { ids },
      });
      return this.questionsOf(em, edition.id);
    });
  }

  // Helpers

  private async editable(actor: Actor, slug: string): Promise<Edition> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const call = await this.db.manager.findOne(Call, { where: { editionId: edition.id } });
    if (!call) throw new CallNotFoundError();
    return edition;
  }

  private async format(editionId: string, id: string): Promise<CallFormat> {
    const format = UUID.test(id)
      ? await this.db.manager.findOne(CallFormat, { where: { id, editionId } })
      : null;
    if (!format) throw new CallFormatNotFoundError();
    return format;
  }

  private async theme(editionId: string, id: string): Promise<CallTheme> {
    const theme = UUID.test(id)
      ? await this.db.manager.findOne(CallTheme, { where: { id, editionId } })
      : null;
    if (!theme) throw new CallThemeNotFoundError();
    return theme;
  }

  private async question(editionId: string, id: string): Promise<CallQuestion> {
    const question = UUID.test(id)
      ? await this.db.manager.findOne(CallQuestion, { where: { id, editionId } })
      : null;
    if (!question) throw new CallQuestionNotFoundError();
    return question;
  }

  private async nextPosition(em: EntityManager, table: string, editionId: string) {
    const [row] = await em.query<{ next: number }[]>(
      `SELECT coalesce(max(position) + 1, 0)::int AS next FROM ${table} WHERE edition_id = $1`,
      [editionId],
    );
    return row.next;
  }

  /** Inserts under a unique key; a taken key is a field error, not a 500. */
  private async write<T extends { id: string }>(
    actor: Actor,
    edition: Edition,
    kind: 'format' | 'theme' | 'question',
    action: string,
    insert: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.db.run(async (em) => {
        const saved = await insert(em);
        await this.record(em, actor, edition, saved.id, action, {});
        return saved;
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new InvalidCallSettingError(`call.${kind}_key_taken`, {
          key: [`another ${kind} already uses this key`],
        });
      throw error;
    }
  }

  private async record(
    em: EntityManager,
    actor: Actor,
    edition: Edition,
    subjectId: string,
    action: string,
    data: object,
  ): Promise<void> {
    await this.audit.record(em, {
      subjectType: 'call',
      subjectId,
      editionId: edition.id,
      actorId: actor.accountId,
      action,
      data: data as Record<string, unknown>,
    });
  }

  /** The columns of a format after the change, checked as a whole (min ≤ max, a real deadline). */
  private formatValues(
    edition: Edition,
    input: UpdateFormatDto,
    current: CallFormat | null,
  ): Partial<CallFormat> {
    const fields: Record<string, string[]> = {};
    const values: Partial<CallFormat> = {};
    for (const key of [
      'defaultDurationMinutes',
      'key',
      'maxSpeakers',
      'minSpeakers',
      'nameEn',
      'nameFr',
    ] as const)
      if (input[key] !== undefined) (values as Record<string, unknown>)[key] = input[key];
    if (input.deadline === null) values.deadline = null;
    else if (input.deadline !== undefined) {
      const deadline = toInstant(input.deadline, edition.timezone);
      if (!deadline) fields.deadline = ['deadline is not a real date'];
      else values.deadline = deadline;
    }
    const min = values.minSpeakers ?? current?.minSpeakers ?? 1;
    const max = values.maxSpeakers ?? current?.maxSpeakers ?? min;
    if (max < min) fields.maxSpeakers = ['maxSpeakers must be at least minSpeakers'];
    if (Object.keys(fields).length > 0)
      throw new InvalidCallSettingError('call.invalid_format', fields);
    if (!current && values.minSpeakers === undefined) values.minSpeakers = 1;
    return values;
  }

  /**
   * The columns of a question after the change, checked as a whole: choices for (and only for)
   * choice kinds, lengths for text, a value range for numbers, formats that exist.
   */
  private async questionValues(
    edition: Edition,
    input: UpdateQuestionDto,
    current: CallQuestion | null,
  ): Promise<Partial<CallQuestion>> {
    const merged = { ...(current ?? {}), ...given(input) } as Partial<CallQuestion> &
      UpdateQuestionDto;
    const kind = merged.kind!;
    const fields: Record<string, string[]> = {};
    const options = merged.options ?? [];
    if (CHOICE_KINDS.includes(kind)) {
      if (options.length < 2) fields.options = ['a choice question needs at least 2 options'];
      else if (new Set(options.map((o) => o.key)).size !== options.length)
        fields.options = ['option keys must be different'];
    } else if (options.length > 0) fields.options = ['only choice questions have options'];
    const minLength = merged.minLength ?? null;
    const maxLength = merged.maxLength ?? null;
    if (!TEXT_KINDS.includes(kind) && (minLength !== null || maxLength !== null))
      fields.maxLength = ['only text questions have a length'];
    else if (minLength !== null && maxLength !== null && maxLength < minLength)
      fields.maxLength = ['maxLength must be at least minLength'];
    const minValue =
      merged.minValue === null || merged.minValue === undefined ? null : Number(merged.minValue);
    const maxValue =
      merged.maxValue === null || merged.maxValue === undefined ? null : Number(merged.maxValue);
    if (kind !== QuestionKind.Number && (minValue !== null || maxValue !== null))
      fields.maxValue = ['only number questions have a value range'];
    else if (minValue !== null && maxValue !== null && maxValue < minValue)
      fields.maxValue = ['maxValue must be at least minValue'];
    const formatKeys = [...new Set(merged.formatKeys ?? [])];
    if (formatKeys.length > 0) {
      const formats = await this.db.manager.find(CallFormat, { where: { editionId: edition.id } });
      const known = new Set(formats.map((f) => f.key));
      const unknown = formatKeys.filter((k) => !known.has(k));
      if (unknown.length > 0) fields.formatKeys = [`unknown formats: ${unknown.join(', ')}`];
    }
    if (Object.keys(fields).length > 0)
      throw new InvalidCallSettingError('call.invalid_question', fields);
    const values: Partial<CallQuestion> = {
      key: merged.key,
      kind,
      labelFr: merged.labelFr,
      labelEn: merged.labelEn,
      helpFr: merged.helpFr ?? '',
      helpEn: merged.helpEn ?? '',
      options: options.map((o) => ({ key: o.key, fr: o.fr, en: o.en })),
      required: merged.required ?? false,
      formatKeys,
      minLength,
      maxLength,
      lengthUnit: merged.lengthUnit ?? 'chars',
      minValue: minValue === null ? null : String(minValue),
      maxValue: maxValue === null ? null : String(maxValue),
    };
    return values;
  }
}
