import { Actor } from '@assises/accounts';
import {
  CallQuestion,
  CallService,
  CallSettingsService,
  CallView,
  CreateFormatDto,
  CreateQuestionDto,
  CreateThemeDto,
  QuestionKind,
  UpdateFormatDto,
  UpdateQuestionDto,
  UpdateThemeDto,
  UpsertCallDto,
} from '@assises/contributions';
import { Edition, toLocalInput } from '@assises/editions';
import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { SubForm, submitAction, submitForm } from '../http/forms';
import { callFormErrors } from './call-form-errors';

/** A submitted page form (not named `Body`: see editions-pages.controller.ts). */
type FormBody = Record<string, unknown>;

const QUESTION_KINDS = Object.values(QuestionKind).sort();

/** `key | Français | English` per line ⇄ the options of a choice question. */
function parseOptions(text: unknown): { key: string; fr: string; en: string }[] | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [key = '', fr = '', en = ''] = line.split('|').map((part) => part.trim());
      return { key, fr, en: en || fr };
    });
}

const optionsText = (q: Pick<CallQuestion, 'options'>) =>
  q.options.map((o) => `${o.key} | ${o.fr} | ${o.en}`).join('\n');

/** The question form's fields as the DTO wants them (checkboxes, lists, option lines). */
function questionInput(body: FormBody): FormBody {
  const formatKeys = body.formatKeys;
  const input: FormBody = {
    ...body,
    required: body.required === 'on' ? true : false,
    formatKeys: Array.isArray(formatKeys) ? formatKeys : formatKeys ? [formatKeys] : [],
    // An emptied choices box clears the choices (a question changed to yes/no keeps none).
    options: typeof body.options === 'string' ? (parseOptions(body.options) ?? []) : undefined,
  };
  for (const key of ['minLength', 'maxLength', 'minValue', 'maxValue'])
    if (input[key] === '' || input[key] === undefined) input[key] = null;
  return input;
}

/**
 * The organisers' page for the call (`/admin/editions/:slug/call`): dates and settings, formats,
 * themes and custom questions, each a plain form that works without JavaScript.
 */
@ApiExcludeController()
@Controller('admin/editions/:slug/call')
export class CallSettingsPagesController {
  constructor(
    private readonly calls: CallService,
    private readonly settings: CallSettingsService,
  ) {}

  @Get()
  async page(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.render(actor, slug, res, 200, {});
  }

  @Post()
  async saveCall(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const input = { ...body, blindReview: body.blindReview === 'on' };
    await this.handle(actor, slug, res, 'call', body, UpsertCallDto, input, (value) =>
      this.calls.upsert(actor, slug, value),
    );
  }

  @Post('formats')
  async createFormat(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.handle(actor, slug, res, 'format-new', body, CreateFormatDto, body, (value) =>
      this.settings.createFormat(actor, slug, value),
    );
  }

  @Post('formats/:id')
  async updateFormat(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const input = { ...body, deadline: body.deadline === '' ? null : body.deadline };
    await this.handle(actor, slug, res, `format-${id}`, body, UpdateFormatDto, input, (value) =>
      this.settings.updateFormat(actor, slug, id, value),
    );
  }

  @Post('formats/:id/delete')
  async deleteFormat(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(res, slug, () => this.settings.deleteFormat(actor, slug, id));
  }

  @Post('themes')
  async createTheme(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.handle(actor, slug, res, 'theme-new', body, CreateThemeDto, body, (value) =>
      this.settings.createTheme(actor, slug, value),
    );
  }

  @Post('themes/:id')
  async updateTheme(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.handle(actor, slug, res, `theme-${id}`, body, UpdateThemeDto, body, (value) =>
      this.settings.updateTheme(actor, slug, id, value),
    );
  }

  @Post('themes/:id/delete')
  async deleteTheme(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(res, slug, () => this.settings.deleteTheme(actor, slug, id));
  }

  @Post('questions')
  async createQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const input = questionInput(body);
    await this.handle(actor, slug, res, 'question-new', body, CreateQuestionDto, input, (value) =>
      this.settings.createQuestion(actor, slug, value),
    );
  }

  @Post('questions/:id')
  async updateQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const input = questionInput(body);
    await this.handle(actor, slug, res, `question-${id}`, body, UpdateQuestionDto, input, (value) =>
      this.settings.updateQuestion(actor, slug, id, value),
    );
  }

  @Post('questions/:id/delete')
  async deleteQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(res, slug, () => this.settings.deleteQuestion(actor, slug, id));
  }

  /** Moves a question one place up or down (`direction`: up | down). */
  @Post('questions/:id/move')
  async moveQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(res, slug, async () => {
      const { view } = await this.calls.settings(actor, slug);
      const ids = (view?.questions ?? []).map((q) => q.id);
      const at = ids.indexOf(id);
      const to = body.direction === 'up' ? at - 1 : at + 1;
      if (at >= 0 && to >= 0 && to < ids.length) {
        [ids[at], ids[to]] = [ids[to], ids[at]];
        await this.settings.reorderQuestions(actor, slug, ids);
      }
    });
  }

  /** Validates one form with its DTO, runs it, then redirects; or re-renders the page (422). */
  private async handle<T extends object>(
    actor: Actor,
    slug: string,
    res: Response,
    formId: string,
    body: FormBody,
    dto: new () => T,
    input: FormBody,
    run: (value: T) => Promise<unknown>,
  ): Promise<void> {
    await submitForm({
      res,
      body,
      input,
      dto,
      errorsFrom: callFormErrors,
      run: async (value) => {
        await run(value);
        return `/admin/editions/${slug}/call`;
      },
      success: 'common.flash.saved',
      rerender: (errors) =>
        this.render(actor, slug, res, 422, { [formId]: { values: body, errors } }),
    });
  }

  /** A button (delete, move): done, or its error as a message above the page. */
  private async act(res: Response, slug: string, run: () => Promise<unknown>): Promise<void> {
    await submitAction({
      res,
      run,
      success: 'common.flash.saved',
      target: `/admin/editions/${slug}/call`,
      messageFrom: (error) => Object.values(callFormErrors(error))[0]?.[0],
    });
  }

  private async render(
    actor: Actor,
    slug: string,
    res: Response,
    status: number,
    failed: Record<string, SubForm>,
  ): Promise<void> {
    const { edition, view } = await this.calls.settings(actor, slug);
    res.status(status).render('pages/admin/call', {
      title: 'call.admin_title',
      edition,
      hasCall: view !== null,
      kinds: QUESTION_KINDS,
      ...this.forms(edition, view, failed),
    });
  }

  /** Each form of the page with the stored values, or with what was typed when it failed. */
  private forms(edition: Edition, view: CallView | null, failed: Record<string, SubForm>) {
    const tz = edition.timezone;
    const form = (id: string, stored: Record<string, unknown>): SubForm =>
      failed[id] ?? { values: stored };
    const call = view?.call;
    return {
      callForm: form('call', {
        opensAt: call ? toLocalInput(call.opensAt, tz) : '',
        closesAt: call ? toLocalInput(call.closesAt, tz) : '',
        introduction: call?.introduction ?? '',
        draftReminderDays: call?.draftReminderDays ?? 3,
        blindReview: call?.blindReview ? 'on' : '',
        reviewsPerProposal: call?.reviewsPerProposal ?? 3,
        confirmationReminderDays: call?.confirmationReminderDays ?? 7,
      }),
      formats: (view?.formats ?? []).map((f) => ({
        id: f.id,
        ...form(`format-${f.id}`, {
          ...f,
          deadline: f.deadline ? toLocalInput(f.deadline, tz) : '',
        }),
      })),
      newFormat: form('format-new', { minSpeakers: 1, maxSpeakers: 2, defaultDurationMinutes: 60 }),
      themes: (view?.themes ?? []).map((t) => ({ id: t.id, ...form(`theme-${t.id}`, { ...t }) })),
      newTheme: form('theme-new', {}),
      formatKeys: (view?.formats ?? []).map((f) => ({
        key: f.key,
        nameFr: f.nameFr,
        nameEn: f.nameEn,
      })),
      questions: (view?.questions ?? []).map((q, index, all) => {
        const sub = form(`question-${q.id}`, {
          ...q,
          options: optionsText(q),
          required: q.required ? 'on' : '',
          minValue: q.minValue ?? '',
          maxValue: q.maxValue ?? '',
        });
        return {
          id: q.id,
          key: q.key,
          first: index === 0,
          last: index === all.length - 1,
          ...sub,
          selectedFormats: this.selected(sub.values.formatKeys),
          open: Boolean(failed[`question-${q.id}`]),
        };
      }),
      newQuestion: (() => {
        const sub = form('question-new', { kind: 'short_text', lengthUnit: 'chars' });
        return { ...sub, selectedFormats: this.selected(sub.values.formatKeys) };
      })(),
    };
  }

  private selected(value: unknown): Record<string, boolean> {
    const keys = Array.isArray(value) ? value : value ? [value] : [];
    return Object.fromEntries(keys.map((k) => [String(k), true]));
  }
}
