import { Actor } from '@assises/accounts';
import {
  MoveDto,
  STAKEHOLDER_TYPES,
  SurveyBuilderService,
  SurveyParticipationService,
  SurveyQuestionDto,
  SurveyResultsService,
  SurveySectionDto,
  TERRITORY_TYPES,
  UpdateSurveyDto,
} from '@assises/surveys';
import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional } from 'class-validator';
import { CurrentActor } from '../http/current-actor.decorator';
import {
  participationJson,
  questionJson,
  resultsJson,
  sectionJson,
  surveyJson,
} from './survey.view';
import { bearerToken } from '../http/bearer-token';
import { OrganiserAuth } from '../http/openapi';

/** Answers by question key: 1–5, 0–10, an option key, option keys, text, or { workshopId: 1–5 }. */
export class AnswersDto {
  @ApiProperty({ example: { satisfaction: 5, nps: 9, keep: 'Les ateliers' } })
  @IsObject()
  answers!: Record<string, unknown>;
}

export class ResultFiltersDto {
  @IsOptional()
  @IsIn(STAKEHOLDER_TYPES)
  stakeholderType?: string;

  @IsOptional()
  @IsIn(TERRITORY_TYPES)
  territoryType?: string;
}

/** Evaluation in JSON: organisers build the survey and read results; invitees answer. */
@ApiTags('surveys')
@Controller('api/v1')
export class SurveysController {
  constructor(
    private readonly builder: SurveyBuilderService,
    private readonly participation: SurveyParticipationService,
    private readonly results: SurveyResultsService,
  ) {}

  @Get('editions/:slug/survey')
  @OrganiserAuth()
  async get(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return surveyJson(await this.builder.get(actor, slug));
  }

  /** Creates the default evaluation survey (409 when the edition has one). */
  @Post('editions/:slug/survey')
  @OrganiserAuth()
  async create(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return surveyJson(await this.builder.createDefault(actor, slug));
  }

  @Patch('editions/:slug/survey')
  @OrganiserAuth()
  async update(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: UpdateSurveyDto,
  ) {
    return surveyJson(await this.builder.update(actor, slug, body));
  }

  @Post('editions/:slug/survey/sections')
  @OrganiserAuth()
  async addSection(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: SurveySectionDto,
  ) {
    return sectionJson(await this.builder.addSection(actor, slug, body));
  }

  @Put('editions/:slug/survey/sections/:sectionId')
  @OrganiserAuth()
  async updateSection(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('sectionId', ParseUUIDPipe) sectionId: string,
    @Body() body: SurveySectionDto,
  ) {
    return sectionJson(await this.builder.updateSection(actor, slug, sectionId, body));
  }

  @Delete('editions/:slug/survey/sections/:sectionId')
  @HttpCode(204)
  @OrganiserAuth()
  async deleteSection(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('sectionId', ParseUUIDPipe) sectionId: string,
  ): Promise<void> {
    await this.builder.deleteSection(actor, slug, sectionId);
  }

  @Post('editions/:slug/survey/sections/:sectionId/move')
  @OrganiserAuth()
  async moveSection(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('sectionId', ParseUUIDPipe) sectionId: string,
    @Body() body: MoveDto,
  ) {
    await this.builder.moveSection(actor, slug, sectionId, body);
    return surveyJson(await this.builder.get(actor, slug));
  }

  @Post('editions/:slug/survey/questions')
  @OrganiserAuth()
  async addQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: SurveyQuestionDto,
  ) {
    return questionJson(await this.builder.addQuestion(actor, slug, body));
  }

  /** Replaces a question; its key stays. */
  @Put('editions/:slug/survey/questions/:questionId')
  @OrganiserAuth()
  async updateQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('questionId', ParseUUIDPipe) questionId: string,
    @Body() body: SurveyQuestionDto,
  ) {
    return questionJson(await this.builder.updateQuestion(actor, slug, questionId, body));
  }

  @Delete('editions/:slug/survey/questions/:questionId')
  @HttpCode(204)
  @OrganiserAuth()
  async deleteQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('questionId', ParseUUIDPipe) questionId: string,
  ): Promise<void> {
    await this.builder.deleteQuestion(actor, slug, questionId);
  }

  @Post('editions/:slug/survey/questions/:questionId/move')
  @OrganiserAuth()
  async moveQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('questionId', ParseUUIDPipe) questionId: string,
    @Body() body: MoveDto,
  ) {
    await this.builder.moveQuestion(actor, slug, questionId, body);
    return surveyJson(await this.builder.get(actor, slug));
  }

  @Get('editions/:slug/survey/results')
  @OrganiserAuth()
  @ApiQuery({ name: 'stakeholderType', required: false, enum: STAKEHOLDER_TYPES })
  @ApiQuery({ name: 'territoryType', required: false, enum: TERRITORY_TYPES })
  async getResults(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query() filters: ResultFiltersDto,
  ) {
    return resultsJson(await this.results.results(actor, slug, filters));
  }

  /** Who has not answered (409 survey.anonymous for an anonymous survey). */
  @Get('editions/:slug/survey/non-respondents')
  @OrganiserAuth()
  async nonRespondents(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    return { items: await this.results.nonRespondents(actor, slug) };
  }

  /** The survey behind an emailed link; the link's token goes in `Authorization: Bearer`. */
  @Get('survey-invitations/:id')
  @ApiBearerAuth()
  async open(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return participationJson(await this.participation.open(id, bearerToken(authorization)));
  }

  /** Keeps partial answers until submission. */
  @Put('survey-invitations/:id/draft')
  @ApiBearerAuth()
  async saveDraft(
    @Param('id') id: string,
    @Body() body: AnswersDto,
    @Headers('authorization') authorization?: string,
  ) {
    return participationJson(
      await this.participation.saveDraft(id, bearerToken(authorization), body.answers),
    );
  }

  /** Submits once (409 survey.already_answered), or changes the answers when the survey allows it. */
  @Post('survey-invitations/:id/response')
  @ApiBearerAuth()
  async submit(
    @Param('id') id: string,
    @Body() body: AnswersDto,
    @Headers('authorization') authorization?: string,
  ) {
    return participationJson(
      await this.participation.submit(id, bearerToken(authorization), body.answers),
    );
  }
}
