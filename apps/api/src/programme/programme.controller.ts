import { Actor } from '@assises/accounts';
import {
  CreateRoomDto,
  CreateSessionDto,
  FixedBlockDto,
  GridDto,
  ProgrammeSetupService,
  PublicationService,
  PublishScheduleDto,
  ScheduleSessionDto,
  SchedulingService,
  SessionService,
  StartSchedulingDto,
  UpdateRoomDto,
  UpdateSessionDto,
} from '@assises/programme';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { sendCached } from './cached-response';
import {
  blockJson,
  conflictJson,
  gridJson,
  roomJson,
  runJson,
  sessionJson,
  versionJson,
  workingJson,
} from './programme.view';
import { OrganiserAuth } from '../http/openapi';

/**
 * The programme in JSON: the published programme for everyone; rooms, grid, fixed blocks,
 * sessions, placements, conflicts, publishing and the automatic scheduler for organisers.
 */
@ApiTags('programme')
@Controller('api/v1/editions/:slug/programme')
export class ProgrammeController {
  constructor(
    private readonly setup: ProgrammeSetupService,
    private readonly sessions: SessionService,
    private readonly publication: PublicationService,
    private readonly scheduling: SchedulingService,
  ) {}

  /** The latest published programme (our JSON), from cached bytes with ETag and Last-Modified. */
  @Get()
  async published(
    @Param('slug') slug: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    sendCached(req, res, await this.publication.rendered(slug, 'json'));
  }

  @Get('rooms')
  @OrganiserAuth()
  async rooms(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return (await this.setup.listRooms(actor, slug)).map(roomJson);
  }

  @Post('rooms')
  @OrganiserAuth()
  async createRoom(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: CreateRoomDto,
  ) {
    return roomJson(await this.setup.createRoom(actor, slug, body));
  }

  /**
   * Copies the rooms of the edition this one was cloned from (names it lacks only; safe to
   * repeat): `{ copied, from }`, `from` null when the edition was not cloned.
   */
  @Post('rooms/copy-previous')
  @HttpCode(200)
  @OrganiserAuth()
  async copyPreviousRooms(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return this.setup.copyPreviousRooms(actor, slug);
  }

  @Patch('rooms/:room')
  @OrganiserAuth()
  async updateRoom(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('room') room: string,
    @Body() body: UpdateRoomDto,
  ) {
    return roomJson(await this.setup.updateRoom(actor, slug, room, body));
  }

  /** Deletes a room; its sessions go back to the unscheduled list. */
  @Delete('rooms/:room')
  @HttpCode(204)
  @OrganiserAuth()
  async deleteRoom(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('room') room: string,
  ): Promise<void> {
    await this.setup.deleteRoom(actor, slug, room);
  }

  @Get('grid')
  @OrganiserAuth()
  async grid(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return gridJson(await this.setup.grid(actor, slug));
  }

  @Put('grid')
  @OrganiserAuth()
  async updateGrid(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: GridDto,
  ) {
    return gridJson(await this.setup.updateGrid(actor, slug, body));
  }

  @Get('blocks')
  @OrganiserAuth()
  async blocks(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return (await this.setup.listBlocks(actor, slug)).map(blockJson);
  }

  /** A fixed block (opening, break, lunch, closing) across all rooms. */
  @Post('blocks')
  @OrganiserAuth()
  async createBlock(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FixedBlockDto,
  ) {
    return blockJson(await this.setup.createBlock(actor, slug, body));
  }

  @Delete('blocks/:block')
  @HttpCode(204)
  @OrganiserAuth()
  async deleteBlock(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('block') block: string,
  ): Promise<void> {
    await this.setup.deleteBlock(actor, slug, block);
  }

  /** The working schedule: grid, rooms, blocks, every session (placed or not), conflicts. */
  @Get('sessions')
  @OrganiserAuth()
  async working(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return workingJson(await this.sessions.working(actor, slug));
  }

  @Post('sessions')
  @OrganiserAuth()
  async createSession(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: CreateSessionDto,
  ) {
    return sessionJson(await this.sessions.create(actor, slug, body));
  }

  /** One session per confirmed proposal not imported yet. */
  @Post('sessions/import')
  @HttpCode(200)
  @OrganiserAuth()
  async importConfirmed(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return this.sessions.importConfirmed(actor, slug);
  }

  @Get('sessions/:session')
  @OrganiserAuth()
  async session(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('session') session: string,
  ) {
    return sessionJson(await this.sessions.get(actor, slug, session));
  }

  @Patch('sessions/:session')
  @OrganiserAuth()
  async updateSession(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('session') session: string,
    @Body() body: UpdateSessionDto,
  ) {
    return sessionJson(await this.sessions.update(actor, slug, session, body));
  }

  @Delete('sessions/:session')
  @HttpCode(204)
  @OrganiserAuth()
  async deleteSession(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('session') session: string,
  ): Promise<void> {
    await this.sessions.delete(actor, slug, session);
  }

  /**
   * Places a session (room and start) or takes it off the grid. 409 `schedule.stale` when the
   * version is not the current one; 422 `schedule.constraint` naming each hard constraint the
   * placement breaks, unless `force` is true.
   */
  @Put('sessions/:session/placement')
  @OrganiserAuth()
  async place(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('session') session: string,
    @Body() body: ScheduleSessionDto,
  ) {
    return sessionJson(await this.sessions.schedule(actor, slug, session, body));
  }

  @Get('conflicts')
  @OrganiserAuth()
  async conflicts(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return (await this.sessions.working(actor, slug)).conflicts.map(conflictJson);
  }

  @Get('versions')
  @OrganiserAuth()
  async versions(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return (await this.publication.versions(actor, slug)).map(versionJson);
  }

  /** Publishes the working schedule as a named version; speakers of moved sessions are told. */
  @Post('versions')
  @OrganiserAuth()
  async publish(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: PublishScheduleDto,
  ) {
    return versionJson(await this.publication.publish(actor, slug, body));
  }

  /** Starts the automatic scheduler in the worker; poll the run for progress and result. */
  @Post('scheduling-runs')
  @HttpCode(202)
  @OrganiserAuth()
  async startRun(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: StartSchedulingDto,
  ) {
    return runJson(await this.scheduling.start(actor, slug, body.mode));
  }

  @Get('scheduling-runs/:run')
  @OrganiserAuth()
  async run(@CurrentActor() actor: Actor, @Param('slug') slug: string, @Param('run') run: string) {
    return runJson(await this.scheduling.get(actor, slug, run));
  }

  /** Applies a finished run; 409 `schedule.stale` if a session changed since it ran. */
  @Post('scheduling-runs/:run/apply')
  @HttpCode(200)
  @OrganiserAuth()
  async applyRun(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('run') run: string,
  ) {
    return this.scheduling.apply(actor, slug, run);
  }
}
