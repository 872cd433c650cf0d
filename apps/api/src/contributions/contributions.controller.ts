import { Actor } from '@assises/accounts';
import {
  CallService,
  ProposalService,
  ProposalSpeakerDto,
  SubmitProposalDto,
  UpdateProposalDto,
  UpsertCallDto,
} from '@assises/contributions';
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
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import { CurrentActor } from '../http/current-actor.decorator';
import { callJson, callSettingsJson } from './call.view';
import { proposalJson } from './proposal.view';
import { bearerToken } from '../http/bearer-token';
import { OrganiserAuth } from '../http/openapi';

/** The call for contributions in JSON: the public call, submissions, the manage link, settings. */
@ApiTags('contributions')
@Controller('api/v1')
export class ContributionsController {
  constructor(
    private readonly calls: CallService,
    private readonly proposals: ProposalService,
  ) {}

  /** The call of a public edition: dates, introduction, formats and themes. */
  @Get('editions/:slug/call')
  async getCall(@Param('slug') slug: string) {
    return callJson(await this.calls.getPublic(slug));
  }

  /** Organisers create the call (with the default formats) or change its dates. */
  @Put('editions/:slug/call')
  @OrganiserAuth()
  async putCall(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: UpsertCallDto,
  ) {
    return callSettingsJson(await this.calls.upsert(actor, slug, body));
  }

  /** Submits a proposal; the manage link goes only by email, so the answer is the id alone. */
  @Post('editions/:slug/proposals')
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async submit(
    @Param('slug') slug: string,
    @Body() body: SubmitProposalDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ) {
    return this.proposals.submit(slug, body, idempotencyKey);
  }

  @Get('proposals/:id')
  @ApiBearerAuth()
  async getProposal(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return proposalJson(await this.proposals.view(id, bearerToken(authorization)));
  }

  @Patch('proposals/:id')
  @ApiBearerAuth()
  async updateProposal(
    @Param('id') id: string,
    @Body() body: UpdateProposalDto,
    @Headers('authorization') authorization?: string,
  ) {
    return proposalJson(await this.proposals.update(id, bearerToken(authorization), body));
  }

  /** Submits a draft, checked as a full submission (422 with `fields` when something is missing). */
  @Post('proposals/:id/submit')
  @HttpCode(200)
  @ApiBearerAuth()
  async submitDraft(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return proposalJson(await this.proposals.submitDraft(id, bearerToken(authorization)));
  }

  /** Adds a co-speaker (within the format's maximum); they get an email to confirm. */
  @Post('proposals/:id/speakers')
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiBearerAuth()
  async addSpeaker(
    @Param('id') id: string,
    @Body() body: ProposalSpeakerDto,
    @Headers('authorization') authorization?: string,
  ) {
    return proposalJson(await this.proposals.addSpeaker(id, bearerToken(authorization), body));
  }

  /** Withdraws the proposal (it stays, in state withdrawn, with its history). */
  @Delete('proposals/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  async withdrawProposal(
    @Param('id') id: string,
    @Headers('authorization') authorization?: string,
  ): Promise<void> {
    await this.proposals.withdraw(id, bearerToken(authorization));
  }
}
