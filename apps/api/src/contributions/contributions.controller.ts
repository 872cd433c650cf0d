import { Actor } from '@assises/accounts';
import { CallService, UpsertCallDto } from '@assises/contributions';
import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../http/current-actor.decorator';
import { callJson } from './call.view';

/** The call for contributions in JSON: the public call, the organisers' settings. */
@ApiTags('contributions')
@Controller('api/v1')
export class ContributionsController {
  constructor(private readonly calls: CallService) {}

  /** The call of a public edition: dates, introduction, formats and themes. */
  @Get('editions/:slug/call')
  async getCall(@Param('slug') slug: string) {
    return callJson(await this.calls.getPublic(slug));
  }

  /** Organisers create the call (with the default formats) or change its dates. */
  @Put('editions/:slug/call')
  @ApiCookieAuth()
  @ApiBearerAuth()
  async putCall(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: UpsertCallDto,
  ) {
    return callJson(await this.calls.upsert(actor, slug, body));
  }
}
