import { Actor } from '@assises/accounts';
import {
  AssignReviewerDto,
  CreateCriterionDto,
  CriteriaService,
  ReviewService,
  SaveReviewDto,
  SetOrganisationDto,
  UpdateCriterionDto,
} from '@assises/contributions';
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
  Query,
  Res,
} from '@nestjs/common';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { criterionJson, proposalDetailJson, proposalListJson, reviewJson } from './review.view';
import { OrganiserAuth } from '../http/openapi';

/** The query string as sent: the service reads and checks it (422 per field). */
type QueryParams = Record<string, unknown>;

/** The review back office in JSON: criteria, the proposal list, reviews, assignments. */
@ApiTags('review')
@OrganiserAuth()
@Controller('api/v1/editions/:slug')
export class ReviewController {
  constructor(
    private readonly criteria: CriteriaService,
    private readonly review: ReviewService,
  ) {}

  /** The edition's review criteria in order, with their weights (reviewers and organisers). */
  @Get('review-criteria')
  async listCriteria(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return (await this.criteria.list(actor, slug)).map(criterionJson);
  }

  @Post('review-criteria')
  async createCriterion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: CreateCriterionDto,
  ) {
    return criterionJson(await this.criteria.create(actor, slug, body));
  }

  /** Changes a criterion; a new weight recomputes every review's score. */
  @Patch('review-criteria/:id')
  async updateCriterion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: UpdateCriterionDto,
  ) {
    return criterionJson(await this.criteria.update(actor, slug, id, body));
  }

  @Delete('review-criteria/:id')
  @HttpCode(204)
  async deleteCriterion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
  ): Promise<void> {
    await this.criteria.remove(actor, slug, id);
  }

  /**
   * Submitted proposals (not drafts), filtered, sorted and paginated, with each one's review
   * aggregates: `mean` (mean of the reviews' weighted scores), `spread` (highest − lowest).
   */
  @Get('proposals')
  @ApiQuery({ name: 'state', required: false })
  @ApiQuery({ name: 'format', required: false, description: 'format key' })
  @ApiQuery({ name: 'theme', required: false, description: 'theme id' })
  @ApiQuery({ name: 'stakeholder', required: false, description: 'of any speaker' })
  @ApiQuery({ name: 'territory', required: false, description: 'of any speaker' })
  @ApiQuery({ name: 'scoreMin', required: false })
  @ApiQuery({ name: 'scoreMax', required: false })
  @ApiQuery({ name: 'reviewed', required: false, enum: ['yes', 'no'] })
  @ApiQuery({ name: 'assigned', required: false, enum: ['me'] })
  @ApiQuery({ name: 'q', required: false, description: 'title, abstract, speakers unless blind' })
  @ApiQuery({
    name: 'sort',
    required: false,
    enum: ['submitted', 'title', 'score', 'reviews', 'spread'],
  })
  @ApiQuery({ name: 'dir', required: false, enum: ['asc', 'desc'] })
  @ApiQuery({ name: 'page', required: false })
  @ApiQuery({ name: 'perPage', required: false, description: '1 to 200, 50 by default' })
  async listProposals(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query() query: QueryParams,
  ) {
    return proposalListJson(await this.review.list(actor, slug, query));
  }

  @Get('proposals/:id')
  async getProposal(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
  ) {
    return proposalDetailJson(await this.review.detail(actor, slug, id));
  }

  /** Creates (201) or replaces (200) the caller's review of a submitted proposal. */
  @Put('proposals/:id/review')
  async saveReview(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: SaveReviewDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { review, created } = await this.review.saveReview(actor, slug, id, body);
    res.status(created ? 201 : 200);
    return reviewJson(review);
  }

  @Post('proposals/:id/assignments')
  @HttpCode(204)
  async assign(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: AssignReviewerDto,
  ): Promise<void> {
    await this.review.assign(actor, slug, id, body.reviewerId);
  }

  @Delete('proposals/:id/assignments/:reviewerId')
  @HttpCode(204)
  async unassign(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Param('reviewerId') reviewerId: string,
  ): Promise<void> {
    await this.review.unassign(actor, slug, id, reviewerId);
  }

  /** Gives every submitted proposal k reviewers, balanced, never their own organisation's. */
  @Post('assignments/auto')
  @HttpCode(200)
  async autoAssign(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return this.review.autoAssign(actor, slug);
  }

  /** The team members who may review, with organisation, assigned and reviewed counts. */
  @Get('reviewers')
  async reviewers(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return this.review.reviewers(actor, slug);
  }

  @Put('reviewers/:accountId/organisation')
  @HttpCode(204)
  async setOrganisation(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('accountId') accountId: string,
    @Body() body: SetOrganisationDto,
  ): Promise<void> {
    await this.review.setOrganisation(actor, slug, accountId, body.organisation);
  }

  /** The proposal the caller should review next, or `{ proposal: null }` when none is left. */
  @Get('review/next')
  async next(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return { proposal: await this.review.next(actor, slug) };
  }
}
