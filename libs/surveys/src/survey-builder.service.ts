import { Actor } from '@assises/accounts';
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
import { DEFAULT_SURVEY } from './default-survey';
import { MoveDto, SurveyQuestionDto, SurveySectionDto, UpdateSurveyDto } from './dto/survey.dto';
import { SurveyQuestion, SurveyQuestionKind } from './survey-question.entity';
import { SurveySection } from './survey-section.entity';
import { Survey } from './survey.entity';
import {
  InvalidSurveyError,
  InvalidSurveyQuestionError,
  SurveyExistsError,
  SurveyNotFoundError,
  SurveyQuestionNotFoundError,
  SurveySectionNotFoundError,
} from './surveys.errors';

const DAY = 86_400_000;

/** A survey with its sections and their questions, in order. */
export interface SurveyDefinition {
  survey: Survey;
  edition: Edition;
  sections: { section: SurveySection; questions: SurveyQuestion[] }[];
}

const CHOICE_KINDS = [SurveyQuestionKind.SingleChoice, SurveyQuestionKind.MultipleChoice];

/** Organisers build the survey: settings, sections, questions, order, the default survey, cloning. */
@Injectable()
export class SurveyBuilderService implements EditionCloneStep {
  readonly name = 'surveys.survey';

  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly editions: EditionService,
  ) {}

  async get(actor: Actor, slug: string): Promise<SurveyDefinition> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.definitionOf(this.db.manager, edition);
  }

  /** The edition's survey, or null when it has none (for pages that offer to create it). */
  async find(
    actor: Actor,
    slug: string,
  ): Promise<{ edition: Edition; definition: SurveyDefinition | null }> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const survey = await this.db.manager.findOne(Survey, { where: { editionId: edition.id } });
    return {
      edition,
      definition: survey ? await this.definitionOf(this.db.manager, edition) : null,
    };
  }

  async definitionOf(em: EntityManager, edition: Edition): Promise<SurveyDefinition> {
    const survey = await em.findOne(Survey, { where: { editionId: edition.id } });
    if (!survey) throw new SurveyNotFoundError();
    const sections = await em.find(SurveySection, {
      where: { surveyId: survey.id },
      order: { position: 'ASC', createdAt: 'ASC' },
    });
    const questions = await em.find(SurveyQuestion, {
      where: { surveyId: survey.id },
      order: { position: 'ASC', createdAt: 'ASC' },
    });
    return {
      survey,
      edition,
      sections: sections.map((section) => ({
        section,
        questions: questions.filter((q) => q.sectionId === section.id),
      })),
    };
  }

  /**
   * Creates the default evaluation survey: open from the end of the edition for four weeks,
   * anonymous, reminders at +5 and +12 days.
   */
  async createDefault(actor: Actor, slug: string): Promise<SurveyDefinition> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      await em.query('SELECT id FROM editions WHERE id = $1 FOR UPDATE', [edition.id]);
      if (await em.exists(Survey, { where: { editionId: edition.id } }))
        throw new SurveyExistsError();
      const inserted = await em.insert(Survey, {
        editionId: edition.id,
        opensAt: edition.endsAt,
        closesAt: new Date(edition.endsAt.getTime() + 28 * DAY),
      });
      const surveyId = (inserted.identifiers[0] as { id: string }).id;
      for (const [position, section] of DEFAULT_SURVEY.entries()) {
        const s = await em.insert(SurveySection, {
          surveyId,
          titleFr: section.titleFr,
          titleEn: section.titleEn,
          position,
        });
        const sectionId = (s.identifiers[0] as { id: string }).id;
        await em.insert(
          SurveyQuestion,
          section.questions.map((q, i) => ({
            surveyId,
            sectionId,
            key: q.key,
            kind: q.kind,
            labelFr: q.labelFr,
            labelEn: q.labelEn,
            options: q.options ?? [],
            required: q.required ?? false,
            stakeholderTypes: q.stakeholderTypes ?? [],
            position: i,
          })),
        );
      }
      await this.record(em, edition, surveyId, actor, 'create', { default: true });
      return this.definitionOf(em, edition);
    });
  }

  async update(actor: Actor, slug: string, input: UpdateSurveyDto): Promise<SurveyDefinition> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      const survey = await this.lockSurvey(em, edition.id);
      const fields: Record<string, string[]> = {};
      const values: Partial<Survey> = {};
      if (input.opensAt !== undefined) {
        const at = toInstant(input.opensAt, edition.timezone);
        if (at) values.opensAt = at;
        else fields.opensAt = ['opensAt is not a real date'];
      }
      if (input.closesAt !== undefined) {
        const at = toInstant(input.closesAt, edition.timezone);
        if (at) values.closesAt = at;
        else fields.closesAt = ['closesAt is not a real date'];
      }
      const opensAt = values.opensAt ?? survey.opensAt;
      const closesAt = values.closesAt ?? survey.closesAt;
      if (!fields.opensAt && !fields.closesAt && closesAt <= opensAt)
        fields.closesAt = ['closesAt must come after opensAt'];
      const anonymous = input.anonymous ?? survey.anonymous;
      const allowChanges = input.allowChanges ?? survey.allowChanges;
      if (anonymous && allowChanges)
        fields.allowChanges = ['answers of an anonymous survey cannot be changed'];
      if (anonymous !== survey.anonymous) {
        const [{ n }] = await em.query<{ n: number }[]>(
          'SELECT count(*)::int AS n FROM survey_responses WHERE survey_id = $1',
          [survey.id],
        );
        if (n > 0) fields.anonymous = ['anonymity cannot change once answers have arrived'];
      }
      if (Object.keys(fields).length > 0) throw new InvalidSurveyError(fields);
      Object.assign(values, { anonymous, allowChanges });
      for (const key of ['introFr', 'introEn', 'invitationDelayHours', 'maxReminders'] as const) {
        if (input[key] !== undefined) Object.assign(values, { [key]: input[key] });
      }
      if (input.reminderDays !== undefined)
        values.reminderDays = [...new Set(input.reminderDays)].sort((a, b) => a - b);
      await em.update(Survey, { id: survey.id }, values);
      await this.record(em, edition, survey.id, actor, 'update', { ...input });
      return this.definitionOf(em, edition);
    });
  }

  async addSection(actor: Actor, slug: string, input: SurveySectionDto): Promise<SurveySection> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      const survey = await this.lockSurvey(em, edition.id);
      const [{ next }] = await em.query<{ next: number }[]>(
        'SELECT coalesce(max(position) + 1, 0)::int AS next FROM survey_sections WHERE survey_id = $1',
        [survey.id],
      );
      const inserted = await em.insert(SurveySection, {
        surveyId: survey.id,
        titleFr: input.titleFr,
        titleEn: input.titleEn,
        position: next,
      });
      const id = (inserted.identifiers[0] as { id: string }).id;
      await this.record(em, edition, survey.id, actor, 'add_section', { sectionId: id });
      return em.findOneByOrFail(SurveySection, { id });
    });
  }

  async updateSection(
    actor: Actor,
    slug: string,
    sectionId: string,
    input: SurveySectionDto,
  ): Promise<SurveySection> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      const survey = await this.lockSurvey(em, edition.id);
      await this.sectionOf(em, survey.id, sectionId);
      await em.update(
        SurveySection,
        { id: sectionId },
        { titleFr: input.titleFr, titleEn: input.titleEn },
      );
      await this.record(em, edition, survey.id, actor, 'update_section', { sectionId });
      return em.findOneByOrFail(SurveySection, { id: sectionId });
    });
  }

  /** Removes a section with its questions (answers already given stay in the responses). */
  async deleteSection(actor: Actor, slug: string, sectionId: string): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      const survey = await this.lockSurvey(em, edition.id);
      await this.sectionOf(em, survey.id, sectionId);
      await em.delete(SurveySection, { id: sectionId });
      await this.record(em, edition, survey.id, actor, 'delete_section', { sectionId });
    });
  }

  async moveSection(actor: Actor, slug: string, sectionId: string, input: MoveDto): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      const survey = await this.lockSurvey(em, edition.id);
      await this.sectionOf(em, survey.id, sectionId);
      const siblings = await em.find(SurveySection, {
        where: { surveyId: survey.id },
        order: { position: 'ASC', createdAt: 'ASC' },
      });
      await this.swap(em, SurveySection, siblings, sectionId, input.direction);
    });
  }

  async addQuestion(actor: Actor, slug: string, input: SurveyQuestionDto): Promise<SurveyQuestion> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      const survey = await this.lockSurvey(em, edition.id);
      await this.sectionOf(em, survey.id, input.sectionId);
      const [{ next, total }] = await em.query<{ next: number; total: number }[]>(
        `SELECT coalesce(max(position) FILTER (WHERE section_id = $2) + 1, 0)::int AS next,
                count(*)::int AS total
           FROM survey_questions WHERE survey_id = $1`,
        [survey.id, input.sectionId],
      );
      const key = input.key ?? `q${total + 1}`;
      if (await em.exists(SurveyQuestion, { where: { surveyId: survey.id, key } }))
        throw new InvalidSurveyQuestionError({ key: ['another question already has this key'] });
      const inserted = await em.insert(SurveyQuestion, {
        ...this.questionValues(input),
        surveyId: survey.id,
        sectionId: input.sectionId,
        key,
        position: next,
      });
      const id = (inserted.identifiers[0] as { id: string }).id;
      await this.record(em, edition, survey.id, actor, 'add_question', { questionId: id, key });
      return em.findOneByOrFail(SurveyQuestion, { id });
    });
  }

  /** Replaces a question's wording, options and rules; its key (the answers' key) stays. */
  async updateQuestion(
    actor: Actor,
    slug: string,
    questionId: string,
    input: SurveyQuestionDto,
  ): Promise<SurveyQuestion> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      const survey = await this.lockSurvey(em, edition.id);
      const question = await this.questionOf(em, survey.id, questionId);
      await this.sectionOf(em, survey.id, input.sectionId);
      const values: Partial<SurveyQuestion> = {
        ...this.questionValues(input),
        sectionId: input.sectionId,
      };
      if (input.sectionId !== question.sectionId) {
        const [{ next }] = await em.query<{ next: number }[]>(
          'SELECT coalesce(max(position) + 1, 0)::int AS next FROM survey_questions WHERE section_id = $1',
          [input.sectionId],
        );
        values.position = next;
      }
      await em.update(SurveyQuestion, { id: questionId }, values);
      await this.record(em, edition, survey.id, actor, 'update_question', { questionId });
      return em.findOneByOrFail(SurveyQuestion, { id: questionId });
    });
  }

  async deleteQuestion(actor: Actor, slug: string, questionId: string): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      const survey = await this.lockSurvey(em, edition.id);
      const question = await this.questionOf(em, survey.id, questionId);
      await em.delete(SurveyQuestion, { id: questionId });
      await this.record(em, edition, survey.id, actor, 'delete_question', {
        questionId,
        key: question.key,
      });
    });
  }

  async moveQuestion(
    actor: Actor,
    slug: string,
    questionId: string,
    input: MoveDto,
  ): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      const survey = await this.lockSurvey(em, edition.id);
      const question = await this.questionOf(em, survey.id, questionId);
      const siblings = await em.find(SurveyQuestion, {
        where: { sectionId: question.sectionId },
        order: { position: 'ASC', createdAt: 'ASC' },
      });
      await this.swap(em, SurveyQuestion, siblings, questionId, input.direction);
    });
  }

  /**
   * Copies the survey, its sections and questions to a new edition: dates move with the
   * edition, invitations and answers stay behind.
   */
  async cloneInto(em: EntityManager, fromEditionId: string, toEditionId: string): Promise<void> {
    const survey = await em.findOne(Survey, { where: { editionId: fromEditionId } });
    if (!survey) return;
    const from = await em.findOneOrFail(Edition, { where: { id: fromEditionId } });
    const to = await em.findOneOrFail(Edition, { where: { id: toEditionId } });
    const offset = to.endsAt.getTime() - from.endsAt.getTime();
    const inserted = await em.insert(Survey, {
      editionId: toEditionId,
      opensAt: new Date(survey.opensAt.getTime() + offset),
      closesAt: new Date(survey.closesAt.getTime() + offset),
      anonymous: survey.anonymous,
      allowChanges: survey.allowChanges,
      invitationDelayHours: survey.invitationDelayHours,
      reminderDays: survey.reminderDays,
      maxReminders: survey.maxReminders,
      introFr: survey.introFr,
      introEn: survey.introEn,
    });
    const surveyId = (inserted.identifiers[0] as { id: string }).id;
    const sections = await em.find(SurveySection, { where: { surveyId: survey.id } });
    const questions = await em.find(SurveyQuestion, { where: { surveyId: survey.id } });
    for (const section of sections) {
      const s = await em.insert(SurveySection, {
        surveyId,
        titleFr: section.titleFr,
        titleEn: section.titleEn,
        position: section.position,
      });
      const sectionId = (s.identifiers[0] as { id: string }).id;
      const own = questions.filter((q) => q.sectionId === section.id);
      if (own.length === 0) continue;
      await em.insert(
        SurveyQuestion,
        own.map((q) => ({
          surveyId,
          sectionId,
          key: q.key,
          kind: q.kind,
          labelFr: q.labelFr,
          labelEn: q.labelEn,
          helpFr: q.helpFr,
          helpEn: q.helpEn,
          options: q.options,
          required: q.required,
          stakeholderTypes: q.stakeholderTypes,
          position: q.position,
        })),
      );
    }
  }

  private questionValues(input: SurveyQuestionDto): Partial<SurveyQuestion> {
    const options = input.options ?? [];
    const fields: Record<string, string[]> = {};
    if (CHOICE_KINDS.includes(input.kind)) {
      if (options.length < 2) fields.options = ['a choice question needs at least two options'];
      else if (new Set(options.map((o) => o.key)).size !== options.length)
        fields.options = ['option keys must be unique'];
    } else if (options.length > 0) {
      fields.options = ['only choice questions have options'];
    }
    if (Object.keys(fields).length > 0) throw new InvalidSurveyQuestionError(fields);
    return {
      kind: input.kind,
      labelFr: input.labelFr,
      labelEn: input.labelEn,
      helpFr: input.helpFr ?? '',
      helpEn: input.helpEn ?? '',
      options: options.map((o) => ({ key: o.key, fr: o.fr, en: o.en })),
      required: input.required ?? false,
      stakeholderTypes: input.stakeholderTypes ?? [],
    };
  }

  /** Swaps a row with its neighbour, renumbering the list so positions stay 0..n-1. */
  private async swap(
    em: EntityManager,
    entity: typeof SurveySection | typeof SurveyQuestion,
    siblings: { id: string }[],
    id: string,
    direction: 'up' | 'down',
  ): Promise<void> {
    const ids = siblings.map((s) => s.id);
    const from = ids.indexOf(id);
    const to = direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= ids.length) return;
    [ids[from], ids[to]] = [ids[to], ids[from]];
    for (const [position, rowId] of ids.entries()) {
      await em.update(entity, { id: rowId }, { position });
    }
  }

  private async lockSurvey(em: EntityManager, editionId: string): Promise<Survey> {
    const survey = await em.findOne(Survey, {
      where: { editionId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!survey) throw new SurveyNotFoundError();
    return survey;
  }

  private async sectionOf(
    em: EntityManager,
    surveyId: string,
    sectionId: string,
  ): Promise<SurveySection> {
    const section = await em.findOne(SurveySection, { where: { id: sectionId, surveyId } });
    if (!section) throw new SurveySectionNotFoundError();
    return section;
  }

  private async questionOf(
    em: EntityManager,
    surveyId: string,
    questionId: string,
  ): Promise<SurveyQuestion> {
    const question = await em.findOne(SurveyQuestion, { where: { id: questionId, surveyId } });
    if (!question) throw new SurveyQuestionNotFoundError();
    return question;
  }

  private record(
    em: EntityManager,
    edition: Edition,
    surveyId: string,
    actor: Actor,
    action: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(em, {
      subjectType: 'survey',
      subjectId: surveyId,
      editionId: edition.id,
      actorId: actor.accountId,
      action,
      data,
    });
  }
}
