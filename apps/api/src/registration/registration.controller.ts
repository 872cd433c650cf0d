import { Actor } from '@assises/accounts';
import {
  AdminUpdateRegistrationDto,
  CheckInDto,
  CreateInvitationCodeDto,
  RegisterDto,
  RegistrationAdminService,
  RegistrationExports,
  RegistrationService,
  RegistrationSettingsDto,
  UpdateRegistrationDto,
  WorkshopAdminService,
} from '@assises/registration';
import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import {
  checkInJson,
  dashboardJson,
  registrationJson,
  registrationRowJson,
  settingsJson,
} from './registration.view';
import { bearerToken } from '../http/bearer-token';
import { OrganiserAuth } from '../http/openapi';

/** Registration in JSON: the public form, the manage link, the organisers' and volunteers' side. */
@ApiTags('registration')
@Controller('api/v1')
export class RegistrationController {
  constructor(
    private readonly registrations: RegistrationService,
    private readonly admin: RegistrationAdminService,
    private readonly exports: RegistrationExports,
    private readonly workshops: WorkshopAdminService,
  ) {}

  /** Whether registration is open, the visible categories and the custom questions. */
  @Get('editions/:slug/registration')
  async form(@Param('slug') slug: string) {
    const form = await this.registrations.form(slug);
    return {
      edition: form.edition.slug,
      open: form.open,
      reason: form.reason,
      opensAt: form.settings?.opensAt.toISOString() ?? null,
      closesAt: form.settings?.closesAt.toISOString() ?? null,
      seatsLeft: form.seatsLeft,
      privacyNoticeVersion: form.settings?.privacyNoticeVersion ?? null,
      questions: form.settings?.questions ?? [],
      categories: form.categories.map((c) => ({ key: c.key, nameFr: c.nameFr, nameEn: c.nameEn })),
    };
  }

  /** Organisers set dates, capacity, waiting-list mode, reminders, categories and questions. */
  @Put('editions/:slug/registration')
  @OrganiserAuth()
  async putSettings(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: RegistrationSettingsDto,
  ) {
    return settingsJson(await this.admin.upsertSettings(actor, slug, body));
  }

  /** Registers: 201 with `{ id, status: confirmed | waiting, position? }`; the link goes by email. */
  @Post('editions/:slug/registrations')
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async register(
    @Param('slug') slug: string,
    @Body() body: RegisterDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.registrations.register(slug, body, idempotencyKey);
  }

  @Get('registrations/:id')
  @ApiBearerAuth()
  async get(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return registrationJson(await this.registrations.view(id, bearerToken(authorization)));
  }

  @Patch('registrations/:id')
  @ApiBearerAuth()
  async update(
    @Param('id') id: string,
    @Body() body: UpdateRegistrationDto,
    @Headers('authorization') authorization?: string,
  ) {
    return registrationJson(await this.registrations.update(id, bearerToken(authorization), body));
  }

  /** Cancels: the seat goes to the next person waiting at once. */
  @Delete('registrations/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  async cancel(
    @Param('id') id: string,
    @Headers('authorization') authorization?: string,
  ): Promise<void> {
    await this.registrations.cancel(id, bearerToken(authorization));
  }

  /** Accepts a seat offered from the waiting list, before the offer expires. */
  @Post('registrations/:id/accept')
  @HttpCode(200)
  @ApiBearerAuth()
  async accept(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return registrationJson(await this.registrations.acceptOffer(id, bearerToken(authorization)));
  }

  @Get('editions/:slug/registrations/dashboard')
  @OrganiserAuth()
  async dashboard(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return dashboardJson(await this.admin.dashboard(actor, slug));
  }

  @Get('editions/:slug/registrations')
  @OrganiserAuth()
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'category', required: false })
  @ApiQuery({ name: 'q', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  async list(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query('state') state?: string,
    @Query('category') category?: string,
    @Query('q') search?: string,
    @Query('limit') limit?: string,
    @Query('offset') offset?: string,
  ) {
    const page = await this.admin.list(actor, slug, {
      state,
      category,
      search,
      limit: Number(limit) || undefined,
      offset: Number(offset) || undefined,
    });
    return { ...page, items: page.items.map(registrationRowJson) };
  }

  @Get('editions/:slug/registrations/export.csv')
  @OrganiserAuth()
  async exportCsv(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const csv = await this.exports.csv(actor, slug);
    res.type('text/csv; charset=utf-8').attachment(`registrations-${slug}.csv`).send(csv);
  }

  @Get('editions/:slug/registrations/export.xlsx')
  @OrganiserAuth()
  async exportXlsx(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const xlsx = await this.exports.xlsx(actor, slug);
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment(`registrations-${slug}.xlsx`)
      .send(xlsx);
  }

  @Patch('editions/:slug/registrations/:id')
  @OrganiserAuth()
  async adminUpdate(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: AdminUpdateRegistrationDto,
  ) {
    return registrationJson(await this.admin.update(actor, slug, id, body));
  }

  @Post('editions/:slug/registrations/:id/cancel')
  @HttpCode(204)
  @OrganiserAuth()
  async adminCancel(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.admin.cancel(actor, slug, id);
  }

  @Get('editions/:slug/invitation-codes')
  @OrganiserAuth()
  async codes(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return (await this.admin.invitationCodes(actor, slug)).map((c) => ({
      id: c.id,
      code: c.code,
      category: c.categoryKey,
      maxUses: c.maxUses,
      usedCount: c.usedCount,
      note: c.note,
      revokedAt: c.revokedAt ? c.revokedAt.toISOString() : null,
    }));
  }

  /** Revokes a code: it opens nothing any more; registrations made with it stay. */
  @Post('editions/:slug/invitation-codes/:id/revoke')
  @HttpCode(200)
  @OrganiserAuth()
  async revokeCode(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
  ) {
    const code = await this.admin.revokeInvitationCode(actor, slug, id);
    return { id: code.id, code: code.code, revokedAt: code.revokedAt?.toISOString() ?? null };
  }

  /** The published workshops with capacity, signed up, waiting and seats left. */
  @Get('editions/:slug/workshops')
  @OrganiserAuth()
  async workshopCounts(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return { workshops: await this.workshops.overview(actor, slug) };
  }

  /** Who has a seat in a workshop and who waits (with positions). */
  @Get('editions/:slug/workshops/:sessionId')
  @OrganiserAuth()
  async workshopPeople(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('sessionId') sessionId: string,
  ) {
    const { edition: _edition, ...detail } = await this.workshops.detail(actor, slug, sessionId);
    return detail;
  }

  @Get('editions/:slug/workshops/:sessionId/export.csv')
  @OrganiserAuth()
  async workshopCsv(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('sessionId') sessionId: string,
    @Res() res: Response,
  ): Promise<void> {
    const csv = await this.exports.workshopCsv(actor, slug, sessionId);
    res.type('text/csv; charset=utf-8').attachment(`workshop-${sessionId}.csv`).send(csv);
  }

  @Get('editions/:slug/workshops/:sessionId/export.xlsx')
  @OrganiserAuth()
  async workshopXlsx(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('sessionId') sessionId: string,
    @Res() res: Response,
  ): Promise<void> {
    const xlsx = await this.exports.workshopXlsx(actor, slug, sessionId);
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .attachment(`workshop-${sessionId}.xlsx`)
      .send(xlsx);
  }

  @Post('editions/:slug/invitation-codes')
  @OrganiserAuth()
  async createCode(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: CreateInvitationCodeDto,
  ) {
    const code = await this.admin.createInvitationCode(actor, slug, body);
    return { id: code.id, code: code.code, maxUses: code.maxUses, usedCount: code.usedCount };
  }

  /** Volunteers: people matching a name or a code, with the live count. */
  @Get('editions/:slug/check-ins')
  @OrganiserAuth()
  @ApiQuery({ name: 'q', required: false })
  async searchCheckIn(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query('q') q?: string,
  ) {
    const found = await this.admin.searchCheckIn(actor, slug, q ?? '');
    return { ...found, items: found.items.map(registrationRowJson) };
  }

  /** Volunteers: checks someone in by code (idempotent: `already` says it was done before). */
  @Post('editions/:slug/check-ins')
  @HttpCode(200)
  @OrganiserAuth()
  async checkIn(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: CheckInDto,
  ) {
    return checkInJson(await this.admin.checkIn(actor, slug, body.code));
  }
}
