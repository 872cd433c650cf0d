import { DomainError } from '@assises/core';
import { WorkshopService, WorkshopSignupState } from '@assises/registration';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { flash } from '../http/flash';
import { sendAgenda } from './workshops.controller';

/** A submitted page form (not named `Body`). */
type FormBody = Record<string, unknown> | undefined;

/** The flash key of a refused change (a clash, a full or unknown workshop…), else rethrows. */
function refusal(error: unknown): string {
  if (!(error instanceof DomainError) || !['invalid', 'conflict', 'not_found'].includes(error.kind))
    throw error;
  if (error.code === 'registration.not_found') throw error;
  return `workshops.error.${error.code.replace(/\./g, '_')}`;
}

/**
 * The manage page's forms for interest marks and workshop sign-ups (no JavaScript): each posts,
 * flashes the outcome and redirects back to the manage page. Also the attendee's personal
 * agenda and its calendar file, behind the same link.
 */
@ApiExcludeController()
@Controller()
export class WorkshopPagesController {
  constructor(private readonly workshops: WorkshopService) {}

  @Get('registrations/:id/agenda')
  async agenda(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const { version, items } = await this.workshops.agenda(id, token ?? null);
    const edition = version?.snapshot.edition ?? null;
    res.render('pages/registration/agenda', {
      title: 'workshops.agenda_title',
      registrationId: id,
      token,
      edition,
      items: items.map((item) => ({
        ...item,
        waiting: item.place === WorkshopSignupState.Waiting,
        everyone: item.place === 'everyone',
      })),
    });
  }

  @Get('registrations/:id/agenda.ics')
  async agendaIcal(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    sendAgenda(res, await this.workshops.agendaIcal(id, token ?? null));
  }

  @Post('registrations/:id/interests')
  async interests(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.workshops.setInterests(id, token ?? null, body?.sessionIds ?? []);
      flash(res, 'success', 'workshops.flash.interests_saved');
    } catch (error) {
      flash(res, 'error', refusal(error));
    }
    this.back(res, id, token);
  }

  @Post('registrations/:id/workshops/:sessionId')
  async signUp(
    @Param('id') id: string,
    @Param('sessionId') sessionId: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const outcome = await this.workshops.signUp(id, token ?? null, sessionId);
      flash(
        res,
        'success',
        outcome.status === WorkshopSignupState.Confirmed
          ? 'workshops.flash.confirmed'
          : 'workshops.flash.waiting',
        { position: String(outcome.position ?? '') },
      );
    } catch (error) {
      flash(res, 'error', refusal(error));
    }
    this.back(res, id, token);
  }

  @Post('registrations/:id/workshops/:sessionId/leave')
  async leave(
    @Param('id') id: string,
    @Param('sessionId') sessionId: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.workshops.leave(id, token ?? null, sessionId);
      flash(res, 'success', 'workshops.flash.left');
    } catch (error) {
      flash(res, 'error', refusal(error));
    }
    this.back(res, id, token);
  }

  private back(res: Response, id: string, token: string | undefined): void {
    res.redirect(303, `/registrations/${id}?token=${encodeURIComponent(token ?? '')}#workshops`);
  }
}
