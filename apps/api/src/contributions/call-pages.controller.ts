import { CallService, CallView, ProposalService, SubmitProposalDto } from '@assises/contributions';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { FormErrors, parseForm } from '../http/forms';
import type { AppRequest } from '../http/request-context';
import { callFormErrors } from './call-form-errors';
import { formAction, FormBody, formModel, proposalInputFrom } from './proposal-form';

/**
 * The public side of the call: its page (`/e/:slug/call`) and the submission form
 * (`/e/:slug/propose`), which works without JavaScript and on a phone. Submitting without an
 * account: the private manage link goes by email.
 */
@ApiExcludeController()
@Controller('e/:slug')
export class CallPagesController {
  constructor(
    private readonly calls: CallService,
    private readonly proposals: ProposalService,
  ) {}

  @Get('call')
  async callPage(@Param('slug') slug: string, @Req() req: AppRequest, @Res() res: Response) {
    const view = await this.calls.getPublic(slug);
    const en = req.lang === 'en';
    res.render('pages/call', {
      title: 'call.page_title',
      edition: view.edition,
      call: view.call,
      phase: this.calls.phase(view.call),
      formats: view.formats.map((f) => ({
        name: en ? f.nameEn : f.nameFr,
        duration: f.defaultDurationMinutes,
        minSpeakers: f.minSpeakers,
        maxSpeakers: f.maxSpeakers,
        deadline: f.deadline,
        open: this.calls.formatOpen(view.call, f),
      })),
      themes: view.themes.map((t) => ({
        name: en ? t.nameEn : t.nameFr,
        description: t.description,
      })),
    });
  }

  @Get('propose')
  async form(@Param('slug') slug: string, @Req() req: AppRequest, @Res() res: Response) {
    const view = await this.calls.getPublic(slug);
    this.render(res, req, view, 200, { _idem: randomUUID() }, undefined, false);
  }

  /**
   * Three buttons: submit, save as draft, add a speaker (re-renders the form with one more
   * speaker block, nothing lost). Bad input re-renders with per-field errors (422).
   */
  @Post('propose')
  @Throttle({ default: { limit: 20, ttl: 60_000 } })
  async submit(
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Req() req: AppRequest,
    @Res() res: Response,
  ) {
    const view = await this.calls.getPublic(slug);
    const values: FormBody = {
      ...body,
      _idem: typeof body._idem === 'string' ? body._idem : randomUUID(),
    };
    const action = formAction(body);
    if (action === 'add-speaker') return this.render(res, req, view, 200, values, undefined, true);
    const draft = action === 'draft';
    const input = proposalInputFrom(body, view, { draft, withSpeakers: true, locale: req.lang });
    const parsed = await parseForm(SubmitProposalDto, input);
    if (!parsed.ok) return this.render(res, req, view, 422, values, parsed.errors, false);
    try {
      await this.proposals.submit(slug, parsed.value, `form:${String(values._idem)}`);
    } catch (error) {
      return this.render(res, req, view, 422, values, callFormErrors(error), false);
    }
    res.redirect(303, `/e/${slug}/propose/sent${draft ? '?draft=1' : ''}`);
  }

  /** "Check your email": the manage link went there. */
  @Get('propose/sent')
  async sent(
    @Param('slug') slug: string,
    @Query('draft') draft: string | undefined,
    @Res() res: Response,
  ) {
    const view = await this.calls.getPublic(slug);
    res.render('pages/proposal-sent', {
      title: draft ? 'call.sent.draft_title' : 'call.sent.title',
      edition: view.edition,
      draft: Boolean(draft),
    });
  }

  private render(
    res: Response,
    req: AppRequest,
    view: CallView,
    status: number,
    values: FormBody,
    errors: FormErrors | undefined,
    extraSpeaker: boolean,
  ): void {
    const phase = this.calls.phase(view.call);
    res.status(status).render('pages/propose', {
      title: 'call.form.title_page',
      edition: view.edition,
      call: view.call,
      phase,
      idem: values._idem,
      ...formModel(view, this.proposals.days(view.edition), values, errors, {
        withSpeakers: true,
        extraSpeaker,
        lang: req.lang,
      }),
    });
  }
}
