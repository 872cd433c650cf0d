import { Actor } from '@assises/accounts';
import {
  BatchDecisionsDto,
  DecisionService,
  ExportService,
  SetDecisionDto,
  StakeholderMixService,
} from '@assises/contributions';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { bearerToken } from '../http/bearer-token';
import { OrganiserAuth } from '../http/openapi';

/** Sends an export as a download with a file name that says what and which edition. */
function download(res: Response, filename: string, type: string, content: string): void {
  res
    .status(200)
    .type(type)
    .set('Content-Disposition', `attachment; filename="${filename}"`)
    .set('Cache-Control', 'no-store')
    .send(content);
}

/**
 * Decisions in JSON: organisers decide quietly (one or many), release in one batch, read the
 * stakeholder mix and export; accepted speakers confirm or decline with their emailed token.
 */
@ApiTags('decisions')
@Controller('api/v1')
export class DecisionsController {
  constructor(
    private readonly decisions: DecisionService,
    private readonly mixes: StakeholderMixService,
    private readonly exports: ExportService,
  ) {}

  /** Sets (or clears with null) the pending decision of one proposal; nothing is sent yet. */
  @Put('editions/:slug/proposals/:id/decision')
  @OrganiserAuth()
  setDecision(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: SetDecisionDto,
  ) {
    return this.decisions.decideOne(actor, slug, {
      proposalId: id,
      decision: body.decision,
      note: body.note,
    });
  }

  /** Sets several pending decisions at once: all are saved, or none (409 naming the lines). */
  @Post('editions/:slug/decisions')
  @HttpCode(200)
  @OrganiserAuth()
  async setDecisions(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: BatchDecisionsDto,
  ) {
    return { decisions: await this.decisions.decide(actor, slug, body.decisions) };
  }

  /** Releases every pending decision in one batch; answers how many of each kind. */
  @Post('editions/:slug/decisions/release')
  @HttpCode(200)
  @OrganiserAuth()
  release(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return this.decisions.release(actor, slug);
  }

  /** Proposals and speakers by stakeholder type × territory type, submitted vs accepted. */
  @Get('editions/:slug/stakeholder-mix')
  @OrganiserAuth()
  async stakeholderMix(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    const { edition, ...mix } = await this.mixes.mix(actor, slug);
    return { edition: edition.slug, ...mix };
  }

  @Get('editions/:slug/exports/proposals.csv')
  @OrganiserAuth()
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'UTF-8 CSV with a BOM; formula-like cells neutralised' })
  async proposalsCsv(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const data = await this.exports.proposals(actor, slug);
    download(
      res,
      `${data.edition.slug}-proposals.csv`,
      'text/csv; charset=utf-8',
      this.exports.proposalsCsv(data),
    );
  }

  @Get('editions/:slug/exports/proposals.json')
  @OrganiserAuth()
  async proposalsJson(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const { edition, ...data } = await this.exports.proposals(actor, slug);
    download(
      res,
      `${edition.slug}-proposals.json`,
      'application/json; charset=utf-8',
      JSON.stringify({ edition: edition.slug, ...data }),
    );
  }

  @Get('editions/:slug/exports/reviews.csv')
  @OrganiserAuth()
  @ApiProduces('text/csv')
  async reviewsCsv(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const data = await this.exports.reviews(actor, slug);
    download(
      res,
      `${data.edition.slug}-reviews.csv`,
      'text/csv; charset=utf-8',
      this.exports.reviewsCsv(data),
    );
  }

  @Get('editions/:slug/exports/reviews.json')
  @OrganiserAuth()
  async reviewsJson(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const { edition, ...data } = await this.exports.reviews(actor, slug);
    download(
      res,
      `${edition.slug}-reviews.json`,
      'application/json; charset=utf-8',
      JSON.stringify({ edition: edition.slug, ...data }),
    );
  }

  /** Accepted speakers confirm with the token of their decision email (again is harmless). */
  @Post('proposals/:id/confirm')
  @HttpCode(200)
  @ApiBearerAuth()
  async confirm(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return { id, state: await this.decisions.confirm(id, bearerToken(authorization)) };
  }

  /** Accepted speakers decline: the proposal is withdrawn (again is harmless). */
  @Post('proposals/:id/decline')
  @HttpCode(200)
  @ApiBearerAuth()
  async decline(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return { id, state: await this.decisions.decline(id, bearerToken(authorization)) };
  }
}
