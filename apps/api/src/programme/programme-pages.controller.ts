import { Actor } from '@assises/accounts';
import { DomainError } from '@assises/core';
import { EditionPermission, EditionService, roleAllows } from '@assises/editions';
import {
  ProgrammeSetupService,
  PublicationService,
  PublishScheduleDto,
  ScheduleSessionDto,
  SchedulingService,
  SessionNotFoundError,
  SessionService,
  StartSchedulingDto,
} from '@assises/programme';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { flash } from '../http/flash';
import { parseForm } from '../http/forms';
import type { AppRequest } from '../http/request-context';
import {
  editorView,
  ProgrammeGrouping,
  publicProgrammeView,
  publicSessionView,
} from './programme-pages.view';

/** A submitted page form (not called `Body`: see team-pages.controller.ts). */
type FormBody = Record<string, unknown>;

const GROUPINGS: ProgrammeGrouping[] = ['day', 'room', 'theme'];

/** The constraints a refused placement may name, for the drag and drop's messages. */
const CONFLICT_CODES = [
  'fixed_block',
  'outside_grid',
  'room_overlap',
  'room_unavailable',
  'speaker_clash',
  'speaker_unavailable',
];

/** What the editor shows beside one session's form after a refused placement. */
interface PlacementError {
  sessionId: string;
  code: string;
  constraints: string[];
  /** What was chosen, shown again in the form. */
  roomId?: string;
  start?: string;
}

/**
 * Programme pages: the public programme (by day, room or theme, with filters) and a page per
 * session; the organisers' schedule editor, which works without JavaScript (a form per session).
 */
@ApiExcludeController()
@Controller()
export class ProgrammePagesController {
  constructor(
    private readonly editions: EditionService,
    private readonly sessions: SessionService,
    private readonly publication: PublicationService,
    private readonly scheduling: SchedulingService,
    private readonly setup: ProgrammeSetupService,
  ) {}

  @Get('e/:slug/programme')
  async programme(
    @Param('slug') slug: string,
    @Query() query: Record<string, string | undefined>,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const published = await this.publication.latest(slug);
    const by = GROUPINGS.includes(query.by as ProgrammeGrouping)
      ? (query.by as ProgrammeGrouping)
      : 'day';
    const filters = {
      by,
      day: query.day || undefined,
      room: query.room || undefined,
      theme: query.theme || undefined,
    };
    res.render('pages/programme', {
      title: 'programme.public_title',
      edition: published.snapshot.edition,
      version: published,
      filters,
      groupings: GROUPINGS,
      ...publicProgrammeView(published.snapshot, filters, req.lang),
    });
  }

  /**
   * The published programme for other sites to frame: by day, no site navigation; every link
   * opens in the parent page (the only route whose headers allow framing, see app.factory.ts).
   */
  @Get('e/:slug/programme/embed')
  async embed(@Param('slug') slug: string, @Req() req: AppRequest, @Res() res: Response) {
    const published = await this.publication.latest(slug);
    res.render('pages/programme-embed', {
      layout: 'layouts/embed',
      title: 'programme.public_title',
      edition: published.snapshot.edition,
      version: published,
      ...publicProgrammeView(published.snapshot, { by: 'day' }, req.lang),
    });
  }

  @Get('e/:slug/programme/sessions/:session')
  async sessionPage(
    @Param('slug') slug: string,
    @Param('session') id: string,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const published = await this.publication.latest(slug);
    const session = publicSessionView(published.snapshot, id, req.lang);
    if (!session) throw new SessionNotFoundError();
    res.render('pages/programme-session', {
      title: session.title,
      rawTitle: true,
      edition: published.snapshot.edition,
      session,
    });
  }

  @Get('admin/editions/:slug/programme')
  async editor(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderEditor(actor, slug, req, res, 200);
  }

  /** The no-JavaScript placement: choose a room and a start (or none) for one session. */
  @Post('admin/editions/:slug/programme/sessions/:session/placement')
  async place(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('session') id: string,
    @Body() body: FormBody,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.editions.access(actor, slug, EditionPermission.Edit);
    const unschedule = body.action === 'unschedule' || !body.roomId || !body.startsAt;
    const form = await parseForm(ScheduleSessionDto, {
      roomId: unschedule ? null : body.roomId,
      startsAt: unschedule ? null : body.startsAt,
      version: body.version,
      force: body.force === 'on' || body.force === 'true',
    });
    if (!form.ok)
      return this.renderEditor(actor, slug, req, res, 422, {
        sessionId: id,
        code: 'validation.failed',
        constraints: [],
      });
    try {
      await this.sessions.schedule(actor, slug, id, form.value);
    } catch (error) {
      if (!(error instanceof DomainError) || !['invalid', 'conflict'].includes(error.kind))
        throw error;
      return this.renderEditor(actor, slug, req, res, error.kind === 'conflict' ? 409 : 422, {
        sessionId: id,
        code: error.code,
        constraints: error.fields?.placement ?? [],
        roomId: typeof body.roomId === 'string' ? body.roomId : undefined,
        start: typeof body.startsAt === 'string' ? body.startsAt : undefined,
      });
    }
    flash(res, 'success', unschedule ? 'programme.flash.unscheduled' : 'programme.flash.placed');
    res.redirect(303, `/admin/editions/${slug}/programme#session-${id}`);
  }

  /** One click: the rooms of the edition this one was cloned from (see ProgrammeSetupService). */
  @Post('admin/editions/:slug/programme/rooms/copy-previous')
  async copyPreviousRooms(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const { copied } = await this.setup.copyPreviousRooms(actor, slug);
    flash(res, 'success', 'programme.flash.rooms_copied', { count: String(copied) });
    res.redirect(303, `/admin/editions/${slug}/programme`);
  }

  @Post('admin/editions/:slug/programme/import')
  async importConfirmed(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const { imported } = await this.sessions.importConfirmed(actor, slug);
    flash(res, 'success', 'programme.flash.imported', { count: String(imported) });
    res.redirect(303, `/admin/editions/${slug}/programme`);
  }

  @Post('admin/editions/:slug/programme/publish')
  async publish(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.editions.access(actor, slug, EditionPermission.Edit);
    const form = await parseForm(PublishScheduleDto, body);
    if (!form.ok) return this.renderEditor(actor, slug, req, res, 422, undefined, form.errors);
    const version = await this.publication.publish(actor, slug, form.value);
    flash(res, 'success', 'programme.flash.published', { number: String(version.number) });
    res.redirect(303, `/admin/editions/${slug}/programme`);
  }

  @Post('admin/editions/:slug/programme/scheduling-runs')
  async startRun(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.editions.access(actor, slug, EditionPermission.Edit);
    const form = await parseForm(StartSchedulingDto, body);
    if (!form.ok) return this.renderEditor(actor, slug, req, res, 422, undefined, form.errors);
    await this.scheduling.start(actor, slug, form.value.mode);
    flash(res, 'success', 'programme.flash.run_started');
    res.redirect(303, `/admin/editions/${slug}/programme#scheduler`);
  }

  @Post('admin/editions/:slug/programme/scheduling-runs/:run/apply')
  async applyRun(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('run') run: string,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const { changed } = await this.scheduling.apply(actor, slug, run);
      flash(res, 'success', 'programme.flash.run_applied', { count: String(changed) });
    } catch (error) {
      if (!(error instanceof DomainError) || !['conflict', 'invalid'].includes(error.kind))
        throw error;
      flash(res, 'error', `programme.errors.${error.code}`);
    }
    res.redirect(303, `/admin/editions/${slug}/programme#scheduler`);
  }

  private async renderEditor(
    actor: Actor,
    slug: string,
    req: AppRequest,
    res: Response,
    status: number,
    placementError?: PlacementError,
    errors?: Record<string, string[]>,
  ): Promise<void> {
    const { edition, role } = await this.editions.access(actor, slug, EditionPermission.View);
    const working = await this.sessions.working(actor, slug);
    const view = editorView(working, req.lang, await this.scheduling.latest(actor, slug));
    res.status(status).render('pages/admin/programme', {
      title: 'programme.editor_title',
      edition,
      canEdit: roleAllows(role, EditionPermission.Edit),
      previousRooms: await this.setup.previousRoomsOffer(actor, slug),
      conflictCodes: CONFLICT_CODES,
      placementError,
      errors,
      ...view,
      sessions: view.sessions.map((s) =>
        placementError?.sessionId === s.id
          ? {
              ...s,
              error: placementError,
              roomId: placementError.roomId ?? s.roomId,
              start: placementError.start ?? s.start,
            }
          : { ...s, error: null },
      ),
    });
  }
}
