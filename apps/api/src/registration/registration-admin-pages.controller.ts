import { Actor } from '@assises/accounts';
import { DomainError } from '@assises/core';
import { EditionPermission, EditionService } from '@assises/editions';
import {
  CheckInDto,
  RegistrationAdminService,
  RegistrationState,
  WorkshopAdminService,
} from '@assises/registration';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { flash } from '../http/flash';
import { parseForm } from '../http/forms';
import { STAKEHOLDER_TYPES, TERRITORY_TYPES } from './registration-pages.controller';
import { mixTable } from './registration.view';

/** A submitted page form (not named `Body`: see editions-pages.controller.ts). */
type FormBody = Record<string, unknown>;

const STATES = Object.values(RegistrationState).sort();

/** The time of a check-in as a volunteer reads it: "09:12" in the edition's timezone. */
function clockTime(at: Date | null, zone: string): string {
  if (!at) return '';
  return new Intl.DateTimeFormat('fr-FR', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
  }).format(at);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The organisers' registration pages (dashboard with workshops and the stakeholder mix beside
 * the previous edition, list, exports, invitation codes, cancel, one page per workshop) and the
 * volunteers' check-in desk (search by name or code, mark present, the person and their
 * workshops, live count).
 */
@ApiExcludeController()
@Controller('admin/editions/:slug')
export class RegistrationAdminPagesController {
  constructor(
    private readonly editions: EditionService,
    private readonly admin: RegistrationAdminService,
    private readonly workshops: WorkshopAdminService,
  ) {}

  @Get('registrations')
  async list(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query('state') state: string | undefined,
    @Query('category') category: string | undefined,
    @Query('q') q: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    let dashboard;
    try {
      dashboard = await this.admin.dashboard(actor, slug);
    } catch (error) {
      if (error instanceof DomainError && error.code === 'registration.invalid_settings')
        return res.render('pages/admin/registrations', {
          title: 'registration.admin.title',
          edition,
          notSetUp: true,
        });
      throw error;
    }
    const page = await this.admin.list(actor, slug, {
      state: STATES.includes(state as RegistrationState) ? state : undefined,
      category: category || undefined,
      search: q || undefined,
      limit: 500,
    });
    res.render('pages/admin/registrations', {
      title: 'registration.admin.title',
      edition,
      dashboard,
      mix: mixTable(dashboard, STAKEHOLDER_TYPES, TERRITORY_TYPES),
      workshops: await this.workshops.overview(actor, slug),
      page,
      states: STATES,
      filters: { state, category, q },
    });
  }

  /** Who has a seat in a workshop and who waits for one (in order), with the exports. */
  @Get('workshops/:session')
  async workshop(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('session') sessionId: string,
    @Res() res: Response,
  ): Promise<void> {
    const detail = await this.workshops.detail(actor, slug, sessionId);
    res.render('pages/admin/workshop', {
      title: detail.workshop.title,
      rawTitle: true,
      ...detail,
    });
  }

  @Post('registrations/:registration/cancel')
  async cancel(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('registration') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.admin.cancel(actor, slug, id);
    flash(res, 'success', 'registration.flash.cancelled');
    res.redirect(303, `/admin/editions/${slug}/registrations`);
  }

  @Get('check-in')
  async checkInPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query('q') q: string | undefined,
    @Query('shown') shown: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.CheckIn);
    const found = await this.admin.searchCheckIn(actor, slug, q ?? '');
    // The person just checked in (by id, never by name: no personal data in the address).
    const person =
      shown && UUID.test(shown) ? await this.admin.checkInCard(actor, slug, shown) : null;
    const ids = [...found.items.map((r) => r.id), ...(person ? [person.id] : [])];
    const seats = await this.workshops.seatsOf(edition.id, ids);
    const card = (r: { id: string; checkedInAt: Date | null }) => ({
      checkedInTime: clockTime(r.checkedInAt, edition.timezone),
      workshops: seats.get(r.id) ?? [],
    });
    res.render('pages/admin/check-in', {
      title: 'registration.admin.check_in_title',
      edition,
      q,
      ...found,
      person: person ? { ...person, ...card(person) } : null,
      people: found.items.map((r) => ({ ...r, ...card(r) })),
      searched: (q ?? '').trim().length >= 2,
    });
  }

  /** Marks someone present; twice is harmless and says when it was done. */
  @Post('check-in')
  async checkIn(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.CheckIn);
    const form = await parseForm(CheckInDto, body);
    if (!form.ok) {
      flash(res, 'error', 'registration.admin.no_result');
      return res.redirect(303, `/admin/editions/${slug}/check-in`);
    }
    try {
      const result = await this.admin.checkIn(actor, slug, form.value.code);
      const name = result.registration.name;
      if (result.already)
        flash(res, 'info', 'registration.flash.already_checked_in', {
          name,
          at: clockTime(result.registration.checkedInAt, edition.timezone),
        });
      else flash(res, 'success', 'registration.flash.checked_in', { name });
      return res.redirect(
        303,
        `/admin/editions/${slug}/check-in?shown=${result.registration.id}#person`,
      );
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'not_found') throw error;
      flash(res, 'error', 'registration.admin.no_result');
    }
    res.redirect(303, `/admin/editions/${slug}/check-in`);
  }
}
