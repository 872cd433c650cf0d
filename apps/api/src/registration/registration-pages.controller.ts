import { DomainError } from '@assises/core';
import {
  RegisterDto,
  RegistrationAdminService,
  RegistrationFormView,
  RegistrationService,
  RegistrationState,
  RegistrationState as S,
  StakeholderType,
  TerritoryType,
  UpdateRegistrationDto,
  WorkshopService,
} from '@assises/registration';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';
import { flash } from '../http/flash';
import { FormErrors, parseForm } from '../http/forms';
import type { AppRequest } from '../http/request-context';

/** A submitted page form (not named `Body`: see editions-pages.controller.ts). */
type FormBody = Record<string, unknown>;

export const STAKEHOLDER_TYPES = Object.values(StakeholderType);
export const TERRITORY_TYPES = Object.values(TerritoryType);

/** Answers come as `answer_<key>` inputs; the DTO wants one `answers` object. */
function withAnswers(body: FormBody | undefined): FormBody {
  const out: FormBody = {};
  const answers: Record<string, string> = {};
  for (const [key, value] of Object.entries(body ?? {})) {
    if (key.startsWith('answer_')) {
      if (typeof value === 'string') answers[key.slice('answer_'.length)] = value;
    } else out[key] = value;
  }
  if (Object.keys(answers).length > 0) out.answers = answers;
  return out;
}

/** A domain error as messages beside the fields (translation keys of the registration namespace). */
function errorsOf(error: unknown): FormErrors {
  if (!(error instanceof DomainError) || !['invalid', 'conflict'].includes(error.kind)) throw error;
  if (error.fields)
    return Object.fromEntries(
      Object.keys(error.fields).map((field) => [
        field,
        [
          field.startsWith('answers.')
            ? 'registration.field_error.required'
            : `registration.field_error.${field}`,
        ],
      ]),
    );
  return { _form: [`registration.error.${error.code.replace('.', '_')}`] };
}

/**
 * The attendee's pages: the public form (no JavaScript needed), the private manage page behind
 * the emailed link (view, edit, cancel, accept an offered seat) and the public participant list.
 */
@ApiExcludeController()
@Controller()
export class RegistrationPagesController {
  constructor(
    private readonly registrations: RegistrationService,
    private readonly admin: RegistrationAdminService,
    private readonly workshops: WorkshopService,
  ) {}

  @Get('e/:slug/register')
  async formPage(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const form = await this.registrations.form(slug);
    res.render('pages/registration/form', this.formModel(form, { publicListing: '' }, undefined));
  }

  @Post('e/:slug/register')
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  async register(
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const form = await this.registrations.form(slug);
    const rerender = (errors: FormErrors) =>
      res.status(422).render('pages/registration/form', this.formModel(form, body, errors));
    const parsed = await parseForm(RegisterDto, {
      locale: req.lang,
      ...withAnswers(body),
      privacyConsent: body?.privacyConsent ?? 'false',
    });
    if (!parsed.ok) return rerender(parsed.errors);
    try {
      const outcome = await this.registrations.register(slug, parsed.value);
      flash(
        res,
        'success',
        outcome.status === RegistrationState.Confirmed
          ? 'registration.flash.confirmed'
          : 'registration.flash.waiting',
        { position: String(outcome.position ?? '') },
      );
      res.redirect(303, `/e/${slug}/register/done`);
    } catch (error) {
      return rerender(errorsOf(error));
    }
  }

  @Get('e/:slug/register/done')
  async done(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const form = await this.registrations.form(slug);
    res.render('pages/registration/done', {
      title: 'registration.done_title',
      edition: form.edition,
    });
  }

  @Get('e/:slug/participants')
  async participants(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const list = await this.admin.publicParticipants(slug);
    res.render('pages/registration/participants', {
      title: 'registration.participants_title',
      ...list,
    });
  }

  @Get('registrations/:id')
  async manage(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.registrations.view(id, token ?? null);
    res.render('pages/registration/manage', {
      ...this.manageModel(view, token, undefined, undefined),
      ...(await this.workshopModel(view, token)),
    });
  }

  @Post('registrations/:id/edit')
  async edit(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.registrations.view(id, token ?? null);
    const workshops = await this.workshopModel(view, token);
    const rerender = (errors: FormErrors) =>
      res.status(422).render('pages/registration/manage', {
        ...this.manageModel(view, token, body, errors),
        ...workshops,
      });
    const parsed = await parseForm(UpdateRegistrationDto, {
      ...withAnswers(body),
      publicListing: body?.publicListing ?? 'false',
    });
    if (!parsed.ok) return rerender(parsed.errors);
    try {
      await this.registrations.update(id, token ?? null, parsed.value);
    } catch (error) {
      return rerender(errorsOf(error));
    }
    flash(res, 'success', 'registration.flash.updated');
    res.redirect(303, `/registrations/${id}?token=${encodeURIComponent(token ?? '')}`);
  }

  @Post('registrations/:id/cancel')
  async cancel(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.registrations.cancel(id, token ?? null);
    flash(res, 'success', 'registration.flash.cancelled');
    res.redirect(303, `/registrations/${id}?token=${encodeURIComponent(token ?? '')}`);
  }

  @Post('registrations/:id/accept')
  async accept(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.registrations.acceptOffer(id, token ?? null);
      flash(res, 'success', 'registration.flash.accepted');
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'conflict') throw error;
      flash(res, 'error', 'registration.error.registration_offer_expired');
    }
    res.redirect(303, `/registrations/${id}?token=${encodeURIComponent(token ?? '')}`);
  }

  private formModel(
    form: RegistrationFormView,
    values: FormBody | undefined,
    errors: FormErrors | undefined,
  ) {
    // `settings` is Express's own render option: the page gets the form's settings as `rules`.
    const { settings, ...rest } = form;
    return {
      title: 'registration.form_title',
      ...rest,
      rules: settings,
      values,
      errors,
      stakeholderTypes: STAKEHOLDER_TYPES,
      territoryTypes: TERRITORY_TYPES,
      questions: (form.settings?.questions ?? []).map((q) => ({
        ...q,
        value: values?.[`answer_${q.key}`] ?? '',
        error: errors?.[`answers.${q.key}`] ? 'registration.field_error.required' : null,
      })),
      showCategories: form.categories.length > 1,
    };
  }

  /** The interest marks (while the registration is live) and the published workshops. */
  private async workshopModel(
    view: Awaited<ReturnType<RegistrationService['view']>>,
    token: string | undefined,
  ) {
    const state = view.registration.state;
    const live = [S.Confirmed, S.Waiting, S.Offered].includes(state);
    const id = view.registration.id;
    return {
      interests: live ? await this.workshops.interests(id, token ?? null) : [],
      workshops: await this.workshops.workshops(id, token ?? null),
      canSignUp: state === S.Confirmed,
    };
  }

  private manageModel(
    view: Awaited<ReturnType<RegistrationService['view']>>,
    token: string | undefined,
    values: FormBody | undefined,
    errors: FormErrors | undefined,
  ) {
    const r = view.registration;
    const current = values ?? { ...r, publicListing: r.publicListing ? 'on' : '' };
    const { settings: _settings, ...rest } = view;
    return {
      title: view.edition.title,
      rawTitle: true,
      ...rest,
      token,
      values: current,
      errors,
      stakeholderTypes: STAKEHOLDER_TYPES,
      territoryTypes: TERRITORY_TYPES,
      questions: view.settings.questions.map((q) => ({
        ...q,
        value: values ? (values[`answer_${q.key}`] ?? '') : (r.answers[q.key] ?? ''),
        error: errors?.[`answers.${q.key}`] ? 'registration.field_error.required' : null,
      })),
      cancellable: [S.Confirmed, S.Waiting, S.Offered].includes(r.state),
      editable: r.state !== S.Cancelled && r.state !== S.Expired,
      offered: r.state === S.Offered,
      checkInCode: r.state === S.Confirmed ? r.checkInCode.replace(/(.{4})(?=.)/g, '$1-') : null,
    };
  }
}
