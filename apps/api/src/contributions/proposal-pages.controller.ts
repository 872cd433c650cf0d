import {
  ProposalService,
  ProposalSpeakerDto,
  ProposalState,
  ProposalView,
  QuestionKind,
  StakeholderType,
  TerritoryType,
  UpdateProposalDto,
  CallService,
} from '@assises/contributions';
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';
import { flash } from '../http/flash';
import { FormErrors, parseForm } from '../http/forms';
import type { AppRequest } from '../http/request-context';
import { callFormErrors } from './call-form-errors';
import { formAction, FormBody, formModel, formValuesOf, proposalInputFrom } from './proposal-form';

const SPEAKER_FIELDS = [
  'bio',
  'cityOrRegion',
  'email',
  'name',
  'organisation',
  'role',
  'stakeholderType',
  'territoryType',
];

/** States in which co-speakers may still join. */
const OPEN_TO_SPEAKERS: string[] = [
  ProposalState.Submitted,
  ProposalState.Accepted,
  ProposalState.Backup,
  ProposalState.Confirmed,
];

interface PageState {
  values?: FormBody;
  errors?: FormErrors;
  extraSpeaker?: boolean;
  speakerValues?: FormBody;
  speakerErrors?: FormErrors;
}

/**
 * The pages behind the emailed links: a contributor's manage page (the token in the link is the
 * credential) with its edit form until the deadline, co-speakers to add, withdraw; and a
 * co-speaker's confirmation. Anyone else gets "not found".
 */
@ApiExcludeController()
@Controller('proposals/:id')
export class ProposalPagesController {
  constructor(
    private readonly proposals: ProposalService,
    private readonly calls: CallService,
  ) {}

  @Get()
  async manage(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.proposals.view(id, token ?? null);
    this.render(res, req, view, token ?? '', 200, {});
  }

  /**
   * Saves the edit form. On a draft, "submit" then submits it (checked as a full submission)
   * and "add a speaker" re-renders the form with one more speaker block.
   */
  @Post('edit')
  @Throttle({ default: { limit: 30, ttl: 60_000 } })
  async edit(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Body() body: FormBody,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.proposals.view(id, token ?? null);
    const draft = view.proposal.state === ProposalState.Draft;
    const action = formAction(body);
    if (action === 'add-speaker' && draft)
      return this.render(res, req, view, token ?? '', 200, { values: body, extraSpeaker: true });
    const input = proposalInputFrom(body, view.call, { draft: false, withSpeakers: draft });
    const parsed = await parseForm(UpdateProposalDto, input);
    if (!parsed.ok)
      return this.render(res, req, view, token ?? '', 422, { values: body, errors: parsed.errors });
    // An emptied text is cleared, not left as it was.
    for (const field of ['description', 'needs'] as const)
      if (body[field] === '') parsed.value[field] = '';
    try {
      await this.proposals.update(id, token ?? null, parsed.value);
      if (draft && action === 'submit') await this.proposals.submitDraft(id, token ?? null);
    } catch (error) {
      const errors = callFormErrors(error);
      const fresh = await this.proposals.view(id, token ?? null);
      return this.render(res, req, fresh, token ?? '', 422, { values: body, errors });
    }
    flash(
      res,
      'success',
      draft && action === 'submit'
        ? 'call.manage.submitted'
        : draft
          ? 'call.manage.draft_saved'
          : 'common.flash.saved',
    );
    res.redirect(303, `/proposals/${id}?token=${encodeURIComponent(token ?? '')}`);
  }

  /** Adds a co-speaker after submission; they get an email to confirm. */
  @Post('speakers')
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  async addSpeaker(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Body() body: FormBody,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const plain = Object.fromEntries(
      SPEAKER_FIELDS.map((f) => [f, body[`speaker.${f}`]]).filter(
        ([, v]) => typeof v === 'string' && v.trim() !== '',
      ),
    );
    const parsed = await parseForm(ProposalSpeakerDto, plain);
    let errors: FormErrors | null = parsed.ok
      ? null
      : Object.fromEntries(Object.entries(parsed.errors).map(([k, v]) => [`speaker.${k}`, v]));
    if (parsed.ok) {
      try {
        await this.proposals.addSpeaker(id, token ?? null, parsed.value);
      } catch (error) {
        errors = callFormErrors(error);
      }
    }
    if (errors) {
      const view = await this.proposals.view(id, token ?? null);
      return this.render(res, req, view, token ?? '', 422, {
        speakerValues: body,
        speakerErrors: errors,
      });
    }
    flash(res, 'success', 'call.manage.speaker_added');
    res.redirect(303, `/proposals/${id}?token=${encodeURIComponent(token ?? '')}`);
  }

  @Post('withdraw')
  async withdraw(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.proposals.withdraw(id, token ?? null);
    flash(res, 'success', 'proposals.withdrawn');
    res.redirect(303, `/proposals/${id}?token=${encodeURIComponent(token ?? '')}`);
  }

  @Get('speakers/:speakerId/confirm')
  async confirmPage(
    @Param('id') id: string,
    @Param('speakerId') speakerId: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const invitation = await this.proposals.speakerInvitation(id, speakerId, token ?? null);
    res.render('pages/speaker-confirm', { title: 'proposals.confirm_title', ...invitation });
  }

  @Post('speakers/:speakerId/confirm')
  @HttpCode(200)
  async confirm(
    @Param('id') id: string,
    @Param('speakerId') speakerId: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.proposals.confirmSpeaker(id, speakerId, token ?? null);
    const invitation = await this.proposals.speakerInvitation(id, speakerId, token ?? null);
    res.render('pages/speaker-confirm', { title: 'proposals.confirm_title', ...invitation });
  }

  private render(
    res: Response,
    req: AppRequest,
    view: ProposalView,
    token: string,
    status: number,
    state: PageState,
  ): void {
    const { proposal, speakers, format, edition, call } = view;
    const draft = proposal.state === ProposalState.Draft;
    const editable =
      (draft || proposal.state === ProposalState.Submitted) &&
      this.calls.formatOpen(call.call, format);
    const en = req.lang === 'en';
    const theme = call.themes.find((t) => t.id === proposal.themeId);
    res.status(status).render('pages/proposal', {
      title: proposal.title || 'call.manage.untitled',
      rawTitle: Boolean(proposal.title),
      ...view,
      token,
      draft,
      editable,
      themeName: theme ? (en ? theme.nameEn : theme.nameFr) : null,
      answers: this.answersShown(view, en),
      withdrawable: ['draft', 'submitted'].includes(proposal.state),
      canAddSpeaker:
        OPEN_TO_SPEAKERS.includes(proposal.state) && speakers.length < format.maxSpeakers,
      stakeholderTypes: Object.values(StakeholderType),
      territoryTypes: Object.values(TerritoryType),
      speakerForm: { values: state.speakerValues ?? {}, errors: state.speakerErrors },
      form: editable
        ? formModel(
            call,
            this.proposals.days(edition),
            state.values ?? formValuesOf(proposal, speakers),
            state.errors,
            { withSpeakers: draft, extraSpeaker: state.extraSpeaker, lang: req.lang },
          )
        : null,
    });
  }

  /** The answers with their questions' labels, as the contributor gave them. */
  private answersShown(view: ProposalView, en: boolean) {
    return view.call.questions
      .filter((q) => view.proposal.answers[q.key] !== undefined)
      .map((q) => {
        const answer = view.proposal.answers[q.key];
        const option = (key: unknown) => {
          const o = q.options.find((opt) => opt.key === key);
          return o ? (en ? o.en : o.fr) : String(key);
        };
        let text: string;
        if (q.kind === QuestionKind.YesNo) text = answer ? (en ? 'Yes' : 'Oui') : en ? 'No' : 'Non';
        else if (Array.isArray(answer)) text = answer.map(option).join(', ');
        else if (q.kind === QuestionKind.SingleChoice) text = option(answer);
        else text = String(answer);
        return { label: en ? q.labelEn : q.labelFr, text };
      });
  }
}
