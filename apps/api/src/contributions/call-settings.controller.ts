import { Actor } from '@assises/accounts';
import {
  CallService,
  CallSettingsService,
  CreateFormatDto,
  CreateQuestionDto,
  CreateThemeDto,
  ReorderQuestionsDto,
  UpdateFormatDto,
  UpdateQuestionDto,
  UpdateThemeDto,
} from '@assises/contributions';
import { CallNotFoundError } from '@assises/contributions';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor } from '../http/current-actor.decorator';
import { callSettingsJson, formatJson, questionJson, themeJson } from './call.view';
import { OrganiserAuth } from '../http/openapi';

/** Organisers set up the call: formats, themes, custom questions (EditionPermission.Edit). */
@ApiTags('call settings')
@OrganiserAuth()
@Controller('api/v1/editions/:slug/call')
export class CallSettingsController {
  constructor(
    private readonly calls: CallService,
    private readonly settings: CallSettingsService,
  ) {}

  /** The call with its review and reminder settings. */
  @Get('settings')
  async get(@CurrentActor() actor: Actor, @Param('slug') slug: string) {
    const { view } = await this.calls.settings(actor, slug);
    if (!view) throw new CallNotFoundError();
    return callSettingsJson(view);
  }

  @Post('formats')
  async createFormat(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: CreateFormatDto,
  ) {
    return formatJson(await this.settings.createFormat(actor, slug, body));
  }

  @Patch('formats/:formatId')
  async updateFormat(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('formatId') formatId: string,
    @Body() body: UpdateFormatDto,
  ) {
    return formatJson(await this.settings.updateFormat(actor, slug, formatId, body));
  }

  /** Refused with 409 `call.format_in_use` while proposals use the format. */
  @Delete('formats/:formatId')
  @HttpCode(204)
  async deleteFormat(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('formatId') formatId: string,
  ): Promise<void> {
    await this.settings.deleteFormat(actor, slug, formatId);
  }

  @Post('themes')
  async createTheme(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: CreateThemeDto,
  ) {
    return themeJson(await this.settings.createTheme(actor, slug, body));
  }

  @Patch('themes/:themeId')
  async updateTheme(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('themeId') themeId: string,
    @Body() body: UpdateThemeDto,
  ) {
    return themeJson(await this.settings.updateTheme(actor, slug, themeId, body));
  }

  @Delete('themes/:themeId')
  @HttpCode(204)
  async deleteTheme(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('themeId') themeId: string,
  ): Promise<void> {
    await this.settings.deleteTheme(actor, slug, themeId);
  }

  @Post('questions')
  async createQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: CreateQuestionDto,
  ) {
    return questionJson(await this.settings.createQuestion(actor, slug, body));
  }

  /** Every question of the call, by id, in the new order. */
  @Put('questions/order')
  async reorderQuestions(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: ReorderQuestionsDto,
  ) {
    return (await this.settings.reorderQuestions(actor, slug, body.ids)).map(questionJson);
  }

  @Patch('questions/:questionId')
  async updateQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('questionId') questionId: string,
    @Body() body: UpdateQuestionDto,
  ) {
    return questionJson(await this.settings.updateQuestion(actor, slug, questionId, body));
  }

  @Delete('questions/:questionId')
  @HttpCode(204)
  async deleteQuestion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('questionId') questionId: string,
  ): Promise<void> {
    await this.settings.deleteQuestion(actor, slug, questionId);
  }
}
