import { Actor } from '@assises/accounts';
import { DomainError } from '@assises/core';
import { Edition, EditionPermission, EditionService, toLocalInput } from '@assises/editions';
import {
  CreateInvitationCodeDto,
  InvitationCode,
  RegistrationAdminService,
  RegistrationQuestionDto,
  RegistrationSettingsDto,
  RegistrationSettingsView,
  TicketCategoryDto,
  WaitlistMode,
} from '@assises/registration';
import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { FormErrors, SubForm, submitAction, submitForm } from '../http/forms';

/** A submitted page form (not named `Body`: see editions-pages.controller.ts). */
type FormBody = Record<string, unknown>;

const WAITLIST_MODES = Object.values(WaitlistMode).sort();

/** A typed number, or what was typed (the DTO then refuses it); blank: absent. */
const numberOrText = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))
    ? Number(value)
    : value === ''
      ? undefined
      : value;

/** The settings form as the DTO wants it: numbers, a list of days, blank capacity = the edition's. */
function settingsInput(body: FormBody): FormBody {
  const days = typeof body.reminderDays === 'string' ? body.reminderDays.trim() : '';
  return {
    ...body,
    capacity:
      body.capacity === '' || body.capacity === undefined ? null : numberOrText(body.capacity),
    offerHours: numberOrText(body.offerHours),
    reminderDays: days === '' ? [] : days.split(/[\s,;]+/).map(numberOrText),
  };
}

/** The section of the page a form belongs to (where the browser returns after saving). */
const anchorOf = (formId: string) =>
  ({ settings: 'settings', category: 'categories', question: 'questions', code: 'codes' })[
    formId.split('-')[0]
  ] ?? '';

/** A domain error of this page as messages beside the fields; the rest goes to the filter. */
function settingsErrors(error: unknown): FormErrors {
  if (!(error instanceof DomainError) || !['invalid', 'conflict'].includes(error.kind)) throw error;
  const key = (field: string) => `registration.settings.errors.${field.replace(/\W/g, '_')}`;
  if (error.fields)
    return Object.fromEntries(Object.keys(error.fields).map((field) => [field, [key(field)]]));
  return { _form: [`registration.error.${error.code.replace(/\./g, '_')}`] };
}

/**
 * The organisers' registration settings page (`/admin/editions/:slug/registration-settings`):
 * dates, capacity, waiting-list mode, reminders and privacy notice version; ticket categories
 * with quotas; invitation codes (create, list with their uses, revoke); custom questions. Each a
 * plain form (no JavaScript) that re-renders with its values and errors beside its fields.
 */
@ApiExcludeController()
@Controller('admin/editions/:slug/registration-settings')
export class RegistrationSettingsPagesController {
  constructor(
    private readonly editions: EditionService,
    private readonly admin: RegistrationAdminService,
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
  async saveSettings(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.handle(
      actor,
      slug,
      res,
      'settings',
      body,
      RegistrationSettingsDto,
      settingsInput(body),
      (v) => this.admin.upsertSettings(actor, slug, v),
    );
  }

  @Post('categories')
  async createCategory(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.handle(
      actor,
      slug,
      res,
      'category-new',
      body,
      TicketCategoryDto,
      this.category(body),
      (v) => this.admin.saveCategory(actor, slug, null, v),
    );
  }

  @Post('categories/:key')
  async updateCategory(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('key') key: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const input = { ...this.category(body), key };
    await this.handle(actor, slug, res, `category-${key}`, body, TicketCategoryDto, input, (v) =>
      this.admin.saveCategory(actor, slug, key, v),
    );
  }

  @Post('categories/:key/delete')
  async deleteCategory(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('key') key: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(res, slug, 'categories', () => this.admin.deleteCategory(actor, slug, key));
  }

  @Post('questions')
  async createQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const input = { ...body, required: body.required === 'on' };
    await this.handle(actor, slug, res, 'question-new', body, RegistrationQuestionDto, input, (v) =>
      this.admin.saveQuestion(actor, slug, null, v),
    );
  }

  @Post('questions/:key')
  async updateQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('key') key: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const input = { ...body, key, required: body.required === 'on' };
    await this.handle(
      actor,
      slug,
      res,
      `question-${key}`,
      body,
      RegistrationQuestionDto,
      input,
      (v) => this.admin.saveQuestion(actor, slug, key, v),
    );
  }

  @Post('questions/:key/delete')
  async deleteQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('key') key: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(res, slug, 'questions', () => this.admin.deleteQuestion(actor, slug, key));
  }

  @Post('invitation-codes')
  async createCode(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    let created: InvitationCode | undefined;
    await this.handle(
      actor,
      slug,
      res,
      'code-new',
      body,
      CreateInvitationCodeDto,
      body,
      async (v) => {
        created = await this.admin.createInvitationCode(actor, slug, v);
      },
      () =>
        created ? { key: 'registration.flash.code_created', args: { code: created.code } } : null,
    );
  }

  @Post('invitation-codes/:id/revoke')
  async revokeCode(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.act(
      res,
      slug,
      'codes',
      () => this.admin.revokeInvitationCode(actor, slug, id),
      'registration.flash.code_revoked',
    );
  }

  /** The category form's fields as the DTO wants them (a checkbox, a number). */
  private category(body: FormBody): FormBody {
    return {
      ...body,
      hidden: body.hidden === 'on',
      quota: body.quota === '' ? null : numberOrText(body.quota),
    };
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
    message: () => { key: string; args: Record<string, string> } | null = () => null,
  ): Promise<void> {
    await submitForm({
      res,
      body,
      input,
      dto,
      errorsFrom: settingsErrors,
      run: async (value) => {
        await run(value);
        return `/admin/editions/${slug}/registration-settings#${anchorOf(formId)}`;
      },
      success: () => message() ?? { key: 'common.flash.saved' },
      rerender: (errors) =>
        this.render(actor, slug, res, 422, { [formId]: { values: body, errors } }),
    });
  }

  /** A button (delete, revoke): done, or its error as a message above the page. */
  private async act(
    res: Response,
    slug: string,
    anchor: string,
    run: () => Promise<unknown>,
    success = 'common.flash.saved',
  ): Promise<void> {
    await submitAction({
      res,
      run,
      success,
      target: `/admin/editions/${slug}/registration-settings#${anchor}`,
      messageFrom: (error) => {
        if (error instanceof DomainError && error.kind === 'not_found') throw error;
        return Object.values(settingsErrors(error))[0]?.[0];
      },
    });
  }

  private async render(
    actor: Actor,
    slug: string,
    res: Response,
    status: number,
    failed: Record<string, SubForm>,
  ): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    let view: RegistrationSettingsView | null = null;
    try {
      view = await this.admin.settings(actor, slug);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'registration.invalid_settings')
        throw error;
    }
    const codes = view ? await this.admin.invitationCodes(actor, slug) : [];
    res.status(status).render('pages/admin/registration-settings', {
      title: 'registration.settings.title',
      edition,
      setUp: view !== null,
      modes: WAITLIST_MODES,
      codes: codes.map((c) => ({ ...c, left: c.revokedAt ? 0 : c.maxUses - c.usedCount })),
      ...this.forms(edition, view, failed),
    });
  }

  /** Each form of the page with the stored values, or with what was typed when it failed. */
  private forms(
    edition: Edition,
    view: RegistrationSettingsView | null,
    failed: Record<string, SubForm>,
  ) {
    const tz = edition.timezone;
    const form = (id: string, stored: Record<string, unknown>): SubForm =>
      failed[id] ?? { values: stored };
    const s = view?.settings;
    return {
      settingsForm: form('settings', {
        opensAt: s ? toLocalInput(s.opensAt, tz) : '',
        closesAt: s ? toLocalInput(s.closesAt, tz) : '',
        capacity: s?.capacity ?? '',
        waitlistMode: s?.waitlistMode ?? WaitlistMode.Auto,
        offerHours: s?.offerHours ?? 48,
        reminderDays: (s?.reminderDays ?? [7, 1]).join(', '),
        privacyNoticeVersion: s?.privacyNoticeVersion ?? '1',
      }),
      categories: (view?.categories ?? []).map((c) => ({
        key: c.key,
        seatsLeft: c.seatsLeft,
        ...form(`category-${c.key}`, {
          nameFr: c.nameFr,
          nameEn: c.nameEn,
          quota: c.quota ?? '',
          hidden: c.hidden ? 'on' : '',
        }),
      })),
      newCategory: form('category-new', {}),
      questions: (s?.questions ?? []).map((q) => ({
        key: q.key,
        ...form(`question-${q.key}`, { ...q, required: q.required ? 'on' : '' }),
      })),
      newQuestion: form('question-new', {}),
      newCode: form('code-new', { maxUses: 1 }),
      followsEdition: s ? s.capacity === null : true,
      editionCapacity: edition.capacity,
    };
  }
}
