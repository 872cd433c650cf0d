import { Actor } from '@assises/accounts';
import {
  CloneEditionDto,
  CreateEditionDto,
  Edition,
  EditionPermission,
  EditionService,
  editionStatusMachine,
  roleAllows,
  toLocalInput,
  TransitionEditionDto,
  UpdateEditionDto,
} from '@assises/editions';
import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { flash } from '../http/flash';
import { formErrorsFrom, parseForm, submitAction, submitForm } from '../http/forms';

/**
 * A submitted page form. Not called `Body`: the decorator metadata would name Nest's `@Body`
 * function as the parameter type, and the global ValidationPipe would refuse every field.
 */
type FormBody = Record<string, unknown>;
const SLUG_FIELDS = { 'edition.slug_taken': 'slug' };

/** The form's values for an existing edition: dates as wall-clock times in its timezone. */
function formValues(edition: Edition): FormBody {
  return {
    ...edition,
    startsAt: toLocalInput(edition.startsAt, edition.timezone),
    endsAt: toLocalInput(edition.endsAt, edition.timezone),
  };
}

/** The organisers' back office for editions. */
@ApiExcludeController()
@Controller('admin')
export class EditionsPagesController {
  constructor(private readonly editions: EditionService) {}

  @Get()
  async dashboard(@CurrentActor() actor: Actor, @Res() res: Response): Promise<void> {
    const grants = await this.editions.listForActor(actor);
    res.render('pages/admin/dashboard', {
      title: 'admin.dashboard_title',
      grants,
      canCreate: await this.editions.canCreate(actor),
    });
  }

  @Get('editions/new')
  async newPage(@CurrentActor() actor: Actor, @Res() res: Response): Promise<void> {
    if (!(await this.editions.canCreate(actor)))
      return res.status(403).render('pages/error', { title: '403', forbidden: true });
    res.render('pages/admin/edition-form', {
      title: 'admin.edition_new_title',
      values: { timezone: 'Europe/Paris', defaultLocale: 'fr' },
      action: '/admin/editions',
      creating: true,
    });
  }

  @Post('editions')
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await submitForm({
      res,
      rerender: {
        view: 'pages/admin/edition-form',
        model: { title: 'admin.edition_new_title', action: '/admin/editions', creating: true },
      },
      body,
      dto: CreateEditionDto,
      fieldByCode: SLUG_FIELDS,
      run: async (value) => `/admin/editions/${(await this.editions.create(actor, value)).slug}`,
      success: 'common.flash.edition_created',
    });
  }

  @Get('editions/:slug')
  async overview(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const { edition, role } = await this.editions.access(actor, slug, EditionPermission.View);
    const canEdit = roleAllows(role, EditionPermission.Edit);
    res.render('pages/admin/edition', {
      title: edition.title,
      rawTitle: true,
      edition,
      role,
      canEdit,
      canReview: roleAllows(role, EditionPermission.Review),
      canManageTeam: roleAllows(role, EditionPermission.ManageTeam),
      transitions: canEdit ? editionStatusMachine.available(edition.status) : [],
      history: canEdit ? await this.editions.history(edition.id) : [],
    });
  }

  @Get('editions/:slug/edit')
  async editPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    res.render('pages/admin/edition-form', {
      title: 'admin.edition_edit_title',
      edition,
      values: formValues(edition),
      action: `/admin/editions/${edition.slug}/edit`,
    });
  }

  @Post('editions/:slug/edit')
  async update(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    await submitForm({
      res,
      rerender: {
        view: 'pages/admin/edition-form',
        model: {
          title: 'admin.edition_edit_title',
          edition,
          action: `/admin/editions/${edition.slug}/edit`,
        },
      },
      body,
      dto: UpdateEditionDto,
      fieldByCode: SLUG_FIELDS,
      run: async (value) =>
        `/admin/editions/${(await this.editions.update(actor, slug, value)).slug}`,
      success: 'common.flash.saved',
    });
  }

  @Post('editions/:slug/transitions')
  async transition(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const form = await parseForm(TransitionEditionDto, body);
    if (!form.ok) {
      flash(res, 'error', 'errors.edition.invalid_transition');
      return res.redirect(303, `/admin/editions/${slug}`);
    }
    await submitAction({
      res,
      run: () => this.editions.transition(actor, slug, form.value.transition),
      success: 'common.flash.transition_done',
      target: `/admin/editions/${slug}`,
      messageFrom: (error) => formErrorsFrom(error)._form?.[0],
    });
  }

  @Get('editions/:slug/clone')
  async clonePage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    res.render('pages/admin/edition-clone', {
      title: 'admin.edition_clone_title',
      edition,
      values: { copyTeam: 'on' },
    });
  }

  @Post('editions/:slug/clone')
  async clone(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    await submitForm({
      res,
      rerender: {
        view: 'pages/admin/edition-clone',
        model: { title: 'admin.edition_clone_title', edition },
      },
      body,
      dto: CloneEditionDto,
      fieldByCode: SLUG_FIELDS,
      run: async (value) =>
        `/admin/editions/${(await this.editions.cloneFrom(actor, slug, value)).slug}`,
      success: 'common.flash.edition_cloned',
    });
  }
}
