import { Actor } from '@assises/accounts';
import { Edition, toLocalInput } from '@assises/editions';
import {
  MoveDto,
  STAKEHOLDER_TYPES,
  SURVEY_QUESTION_KINDS,
  SurveyBuilderService,
  SurveyDefinition,
  SurveyQuestionDto,
  SurveyQuestionNotFoundError,
  SurveyResultsService,
  SurveySectionDto,
  TERRITORY_TYPES,
  UpdateSurveyDto,
} from '@assises/surveys';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { flash } from '../http/flash';
import { FormErrors, formErrorsFrom, submitAction, submitForm } from '../http/forms';
import type { AppRequest } from '../http/request-context';
import { toCsv, toXlsx } from './survey-export';
import { formSections } from './survey-form';
import { resultsView } from './survey-results.view';

type FormBody = Record<string, unknown>;

/** A checkbox sent after its hidden "false" arrives as both: the last one wins. */
function lastOf(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/** "key | français | English" lines into options; a line without bars uses itself for all three. */
function optionsFrom(text: unknown): { key: string; fr: string; en: string }[] | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [key, fr, en] = line.split('|').map((part) => part.trim());
      return { key: key.toLowerCase(), fr: fr ?? key, en: en ?? fr ?? key };
    });
}

function questionForm(body: FormBody): FormBody {
  const { options, ...rest } = body;
  const parsed = optionsFrom(options);
  return { ...rest, required: lastOf(rest.required), ...(parsed ? { options: parsed } : {}) };
}

/** The organisers' survey pages: the builder, the preview, the results and their exports. */
@ApiExcludeController()
@Controller('admin/editions/:slug/survey')
export class SurveyAdminPagesController {
  constructor(
    private readonly builder: SurveyBuilderService,
    private readonly results: SurveyResultsService,
  ) {}

  @Get()
  async page(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderBuilder(actor, slug, res, 200, {});
  }

  /** Creates the default evaluation survey. */
  @Post()
  async create(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    await submitAction({
      res,
      run: () => this.builder.createDefault(actor, slug),
      success: 'surveys.flash.created',
      target: `/admin/editions/${slug}/survey`,
      messageFrom: (error) => {
        formErrorsFrom(error); // rethrows what a page cannot show
        return 'errors.survey.exists';
      },
    });
  }

  @Post('settings')
  async settings(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const values = {
      ...body,
      anonymous: lastOf(body?.anonymous),
      allowChanges: lastOf(body?.allowChanges),
    };
    await this.form(
      actor,
      slug,
      res,
      UpdateSurveyDto,
      values,
      'surveys.flash.settings_saved',
      (v) => this.builder.update(actor, slug, v),
    );
  }

  @Post('sections')
  async addSection(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.form(actor, slug, res, SurveySectionDto, body, 'surveys.flash.section_added', (v) =>
      this.builder.addSection(actor, slug, v),
    );
  }

  @Post('sections/:sectionId')
  async renameSection(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('sectionId', ParseUUIDPipe) sectionId: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.form(actor, slug, res, SurveySectionDto, body, 'surveys.flash.section_saved', (v) =>
      this.builder.updateSection(actor, slug, sectionId, v),
    );
  }

  @Post('sections/:sectionId/delete')
  async deleteSection(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('sectionId', ParseUUIDPipe) sectionId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.builder.deleteSection(actor, slug, sectionId);
    flash(res, 'success', 'surveys.flash.section_deleted');
    res.redirect(303, `/admin/editions/${slug}/survey`);
  }

  @Post('sections/:sectionId/move')
  async moveSection(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('sectionId', ParseUUIDPipe) sectionId: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.form(actor, slug, res, MoveDto, body, 'surveys.flash.moved', (v) =>
      this.builder.moveSection(actor, slug, sectionId, v),
    );
  }

  @Post('questions')
  async addQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.form(
      actor,
      slug,
      res,
      SurveyQuestionDto,
      questionForm(body ?? {}),
      'surveys.flash.question_added',
      (v) => this.builder.addQuestion(actor, slug, v),
      body,
    );
  }

  @Get('questions/:questionId')
  async questionPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('questionId', ParseUUIDPipe) questionId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderQuestion(actor, slug, questionId, res, 200, {});
  }

  @Post('questions/:questionId')
  async updateQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('questionId', ParseUUIDPipe) questionId: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await submitForm({
      res,
      body,
      input: questionForm(body ?? {}),
      dto: SurveyQuestionDto,
      run: async (value) => {
        await this.builder.updateQuestion(actor, slug, questionId, value);
        return `/admin/editions/${slug}/survey`;
      },
      success: 'surveys.flash.question_saved',
      rerender: (errors) =>
        this.renderQuestion(actor, slug, questionId, res, 422, { values: body, errors }),
    });
  }

  @Post('questions/:questionId/delete')
  async deleteQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('questionId', ParseUUIDPipe) questionId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.builder.deleteQuestion(actor, slug, questionId);
    flash(res, 'success', 'surveys.flash.question_deleted');
    res.redirect(303, `/admin/editions/${slug}/survey`);
  }

  @Post('questions/:questionId/move')
  async moveQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('questionId', ParseUUIDPipe) questionId: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.form(actor, slug, res, MoveDto, body, 'surveys.flash.moved', (v) =>
      this.builder.moveQuestion(actor, slug, questionId, v),
    );
  }

  /** The survey as invitees see it (every question, sample workshops), without a send button. */
  @Get('preview')
  async preview(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const definition = await this.builder.get(actor, slug);
    const workshops =
      definition.survey.workshops.length > 0
        ? definition.survey.workshops
        : [
            { id: 'sample-1', titleFr: 'Atelier (exemple)', titleEn: 'Workshop (sample)' },
            {
              id: 'sample-2',
              titleFr: 'Autre atelier (exemple)',
              titleEn: 'Other workshop (sample)',
            },
          ];
    res.render('pages/surveys/preview', {
      title: 'surveys.preview',
      edition: definition.edition,
      survey: definition.survey,
      intro: req.lang === 'en' ? definition.survey.introEn : definition.survey.introFr,
      sections: formSections(definition.sections, workshops, {}, {}, req.lang),
      preview: true,
      action: '#',
    });
  }

  @Get('results')
  async resultsPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query('stakeholderType') stakeholderType: string | undefined,
    @Query('territoryType') territoryType: string | undefined,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const filters = this.filters(stakeholderType, territoryType);
    const results = await this.results.results(actor, slug, filters);
    const { survey, edition } = results.definition;
    const nonRespondents = survey.anonymous ? null : await this.results.nonRespondents(actor, slug);
    const query = new URLSearchParams(filters as Record<string, string>).toString();
    res.render('pages/surveys/results', {
      title: 'surveys.res.title',
      edition,
      survey,
      filters,
      stakeholderTypes: STAKEHOLDER_TYPES,
      territoryTypes: TERRITORY_TYPES,
      ...resultsView(results, req.lang),
      nonRespondents,
      exportQuery: query ? `?${query}` : '',
    });
  }

  @Get('results/csv')
  async csv(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query('stakeholderType') stakeholderType: string | undefined,
    @Query('territoryType') territoryType: string | undefined,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const table = await this.results.exportTable(
      actor,
      slug,
      this.filters(stakeholderType, territoryType),
      req.lang,
    );
    res.type('text/csv; charset=utf-8').attachment(`survey-${slug}.csv`).send(toCsv(table));
  }

  @Get('results/xlsx')
  async xlsx(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query('stakeholderType') stakeholderType: string | undefined,
    @Query('territoryType') territoryType: string | undefined,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const table = await this.results.exportTable(
      actor,
      slug,
      this.filters(stakeholderType, territoryType),
      req.lang,
    );
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment(`survey-${slug}.xlsx`)
      .send(await toXlsx(table, slug));
  }

  /** Unknown filter values are ignored (a page's query string is not worth a 422). */
  private filters(stakeholderType?: string, territoryType?: string) {
    return {
      ...((STAKEHOLDER_TYPES as readonly string[]).includes(stakeholderType ?? '')
        ? { stakeholderType }
        : {}),
      ...((TERRITORY_TYPES as readonly string[]).includes(territoryType ?? '')
        ? { territoryType }
        : {}),
    };
  }

  /** Validate, run, flash and go back to the builder; or re-render it with the errors (422). */
  private async form<T extends object>(
    actor: Actor,
    slug: string,
    res: Response,
    dto: new () => T,
    body: FormBody | undefined,
    success: string,
    run: (value: T) => Promise<unknown>,
    shown: FormBody | undefined = body,
  ): Promise<void> {
    await submitForm({
      res,
      body,
      dto,
      run: async (value) => {
        await run(value);
        return `/admin/editions/${slug}/survey`;
      },
      success,
      rerender: (errors) => this.renderBuilder(actor, slug, res, 422, { values: shown, errors }),
    });
  }

  private async renderBuilder(
    actor: Actor,
    slug: string,
    res: Response,
    status: number,
    extra: { values?: FormBody; errors?: FormErrors },
  ): Promise<void> {
    const { edition, definition } = await this.builder.find(actor, slug);
    res.status(status).render('pages/surveys/builder', {
      title: 'surveys.builder_title',
      edition,
      definition: definition ? this.builderModel(definition, edition) : null,
      kinds: SURVEY_QUESTION_KINDS,
      stakeholderTypes: STAKEHOLDER_TYPES,
      ...extra,
    });
  }

  private builderModel(definition: SurveyDefinition, edition: Edition) {
    const { survey } = definition;
    return {
      survey,
      opensAt: toLocalInput(survey.opensAt, edition.timezone),
      closesAt: toLocalInput(survey.closesAt, edition.timezone),
      reminderDays: survey.reminderDays.join(', '),
      sections: definition.sections.map(({ section, questions }, i, all) => ({
        section,
        first: i === 0,
        last: i === all.length - 1,
        questions: questions.map((q, j) => ({
          question: q,
          first: j === 0,
          last: j === questions.length - 1,
        })),
      })),
    };
  }

  private async renderQuestion(
    actor: Actor,
    slug: string,
    questionId: string,
    res: Response,
    status: number,
    extra: { values?: FormBody; errors?: FormErrors },
  ): Promise<void> {
    const definition = await this.builder.get(actor, slug);
    const question = definition.sections
      .flatMap((s) => s.questions)
      .find((q) => q.id === questionId);
    if (!question) throw new SurveyQuestionNotFoundError();
    res.status(status).render('pages/surveys/question', {
      title: 'surveys.edit_question',
      edition: definition.edition,
      question,
      sections: definition.sections.map((s) => s.section),
      kinds: SURVEY_QUESTION_KINDS,
      stakeholderTypes: STAKEHOLDER_TYPES.map((type) => ({
        type,
        checked: question.stakeholderTypes.includes(type),
      })),
      values: extra.values ?? {
        ...question,
        options: question.options.map((o) => `${o.key} | ${o.fr} | ${o.en}`).join('\n'),
      },
      errors: extra.errors,
    });
  }
}
