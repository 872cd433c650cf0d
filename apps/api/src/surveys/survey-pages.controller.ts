import { DomainError } from '@assises/core';
import {
  InvalidSurveyAnswersError,
  ParticipationView,
  SurveyAlreadyAnsweredError,
  SurveyParticipationService,
} from '@assises/surveys';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { flash } from '../http/flash';
import type { AppRequest } from '../http/request-context';
import { answersFromForm, formSections } from './survey-form';

type FormBody = Record<string, unknown>;

/**
 * The survey behind an invitation's emailed link (the token is the credential): a plain form
 * that works on a phone and without JavaScript, saved for later or sent once.
 */
@ApiExcludeController()
@Controller('s/:id')
export class SurveyPagesController {
  constructor(private readonly participation: SurveyParticipationService) {}

  @Get()
  async page(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.participation.open(id, token ?? null);
    this.render(req, res, 200, view, token ?? '', view.answers, {});
  }

  @Post()
  async post(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Body() body: FormBody,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const answers = answersFromForm(body);
    const saving = body?._action === 'save';
    const before = await this.participation.open(id, token ?? null);
    const here = `/s/${id}?token=${encodeURIComponent(token ?? '')}`;
    try {
      if (saving) await this.participation.saveDraft(id, token ?? null, answers);
      else await this.participation.submit(id, token ?? null, answers);
    } catch (error) {
      if (error instanceof InvalidSurveyAnswersError)
        return this.render(req, res, 422, before, token ?? '', answers, error.fields ?? {});
      if (error instanceof SurveyAlreadyAnsweredError || isClosed(error)) {
        // Submitted twice (another tab) or closed meanwhile: the page says where things stand.
        return res.redirect(303, here);
      }
      throw error;
    }
    flash(
      res,
      'success',
      saving
        ? 'surveys.flash.draft_saved'
        : before.state === 'editable'
          ? 'surveys.flash.changed'
          : 'surveys.flash.submitted',
    );
    res.redirect(303, here);
  }

  private render(
    req: AppRequest,
    res: Response,
    status: number,
    view: ParticipationView,
    token: string,
    answers: Record<string, unknown>,
    errors: Record<string, string[]>,
  ): void {
    const lang = req.lang;
    res.status(status).render('pages/surveys/participate', {
      title: view.edition.title,
      rawTitle: true,
      edition: view.edition,
      survey: view.survey,
      intro: lang === 'en' ? view.survey.introEn : view.survey.introFr,
      state: view.state,
      answering: view.state === 'open' || view.state === 'editable',
      canSave: view.state === 'open',
      editable: view.state === 'editable',
      action: `/s/${view.invitation.id}?token=${encodeURIComponent(token)}`,
      sections: formSections(view.sections, view.workshops, answers, errors, lang),
      hasErrors: Object.keys(errors).length > 0,
    });
  }
}

function isClosed(error: unknown): boolean {
  return error instanceof DomainError && error.code === 'survey.closed';
}
