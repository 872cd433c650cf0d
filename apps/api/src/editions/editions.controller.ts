import { Actor } from '@assises/accounts';
import {
  ChangeRoleDto,
  CloneEditionDto,
  CreateApiTokenDto,
  CreateEditionDto,
  EditionPermission,
  EditionService,
  InviteMemberDto,
  TeamService,
  TransitionEditionDto,
  UpdateEditionDto,
} from '@assises/editions';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../http/current-actor.decorator';
import { editionJson } from './edition.view';
import { OrganiserAuth } from '../http/openapi';

/** Editions in JSON: public reads, organisers' writes, team and API tokens. */
@ApiTags('editions')
@Controller('api/v1/editions')
export class EditionsController {
  constructor(
    private readonly editions: EditionService,
    private readonly team: TeamService,
  ) {}

  /** The public series: the next edition and the past ones. */
  @Get()
  async list() {
    const series = await this.editions.series();
    return {
      next: series.next ? editionJson(series.next) : null,
      upcoming: series.upcoming.map(editionJson),
      past: series.past.map(editionJson),
    };
  }

  @Get(':slug')
  async get(@Param('slug') slug: string) {
    return editionJson(await this.editions.getPublic(slug));
  }

  @Post()
  @OrganiserAuth()
  async create(@CurrentActor() actor: Actor, @Body() body: CreateEditionDto) {
    return editionJson(await this.editions.create(actor, body));
  }

  @Patch(':slug')
  @OrganiserAuth()
  async update(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: UpdateEditionDto,
  ) {
    return editionJson(await this.editions.update(actor, slug, body));
  }

  @Post(':slug/transitions')
  @HttpCode(200)
  @OrganiserAuth()
  async transition(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: TransitionEditionDto,
  ) {
    return editionJson(await this.editions.transition(actor, slug, body.transition));
  }

  /** A new edition from this one: new city and dates, the settings copied. */
  @Post(':slug/clone')
  @ApiCookieAuth()
  async clone(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: CloneEditionDto,
  ) {
    return editionJson(await this.editions.cloneFrom(actor, slug, body));
  }

  @Get(':slug/history')
  @OrganiserAuth()
  async history(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const events = await this.editions.history(edition.id);
    return events.map(({ action, fromState, toState, actorId, createdAt, data }) => ({
      action,
      from: fromState,
      to: toState,
      actorId,
      at: createdAt,
      data,
    }));
  }

  @Get(':slug/team')
  @OrganiserAuth()
  members(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return this.team.members(actor, slug);
  }

  @Post(':slug/invitations')
  @OrganiserAuth()
  async invite(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: InviteMemberDto,
  ) {
    const invitation = await this.team.invite(actor, slug, body.email, body.role, body.locale);
    return {
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
    };
  }

  @Delete(':slug/invitations/:id')
  @HttpCode(204)
  @ApiCookieAuth()
  async revokeInvitation(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id', ParseUUIDPipe) id: string,
  ) {
    await this.team.revokeInvitation(actor, slug, id);
  }

  @Patch(':slug/team/:accountId')
  @HttpCode(204)
  @ApiCookieAuth()
  async changeRole(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Body() body: ChangeRoleDto,
  ) {
    await this.team.changeRole(actor, slug, accountId, body.role);
  }

  @Delete(':slug/team/:accountId')
  @HttpCode(204)
  @ApiCookieAuth()
  async removeMember(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('accountId', ParseUUIDPipe) accountId: string,
  ) {
    await this.team.removeMember(actor, slug, accountId);
  }

  /** Creates a token for this edition; the secret is in this answer only. */
  @Post(':slug/api-tokens')
  @ApiCookieAuth()
  async createToken(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: CreateApiTokenDto,
  ) {
    const { token, secret } = await this.team.createApiToken(actor, slug, body.role, body.label);
    return {
      id: token.id,
      label: token.label,
      role: token.role,
      prefix: token.prefix,
      token: secret,
    };
  }
}
