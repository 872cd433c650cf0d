import { Actor } from '@assises/accounts';
import {
  CreateCriterionDto,
  CriteriaService,
  InvalidProposalFilterError,
  InvalidReviewError,
  LISTED_STATES,
  PROPOSAL_SORTS,
  ProposalFilters,
  ReviewService,
  SetOrganisationDto,
  StakeholderType,
  TerritoryType,
  UpdateCriterionDto,
} from '@assises/contributions';
import { DomainError } from '@assises/core';
import { EditionPermission } from '@assises/editions';
import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { flash } from '../http/flash';
import { CurrentActor } from '../http/current-actor.decorator';
import { FormErrors, parseForm, submitAction, submitForm } from '../http/forms';
import type { AppRequest } from '../http/request-context';

/**
 * A submitted page form. Not called `Body`: the decorator metadata would name Nest's `@Body`
 * function as the parameter type, and the global ValidationPipe would refuse every field.
 */
type FormBody = Record<string, unknown>;
type QueryParams = Record<string, unknown>;

const FILTER_KEYS = [
  'state',
  'format',
  'theme',
  'stakeholder',
  'territory',
  'scoreMin',
  'scoreMax',
  'reviewed',
  'assigned',
  'q',
] as const;

/** The list's address with some parameters changed (empty values dropped). */
function listUrl(slug: string, query: QueryParams, changes: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...changes }))
    if (typeof value === 'string' && value !== '') params.set(key, value);
    else if (typeof value === 'number') params.set(key, String(value));
  const search = params.toString();
  return `/admin/editions/${slug}/proposals${search ? `?${search}` : ''}`;
}

const named = (lang: string, item: { nameFr: string; nameEn: string } | null) =>
  item ? (lang === 'en' ? item.nameEn : item.nameFr) : '';

/** A domain error of the criteria form, beside its field when it has one. */
function criterionErrors(error: unknown): FormErrors {
  if (!(error instanceof DomainError) || error.kind === 'not_found' || error.kind === 'forbidden')
    throw error;
  const field = error.code === 'criterion.key_taken' ? 'key' : '_form';
  return { [field]: [`review.errors.${error.code}`] };
}

/** The review form's fields (`scores.<key>`: 0–5 or `abstain`) as the service takes them. */
function scoresFrom(body: FormBody): Record<string, unknown> {
  const scores: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!name.startsWith('scores.')) continue;
    const key = name.slice('scores.'.length);
    if (value === 'abstain') scores[key] = null;
    else if (typeof value === 'string' && /^\d$/.test(value)) scores[key] = Number(value);
    else if (value !== '') scores[key] = value;
  }
  return scores;
}

/** The organisers' and reviewers' pages: the proposal list, a proposal and its review form. */
/** A refused review action as the message above the page; not found and forbidden go to the error filter. */
function reviewMessage(error: unknown): string {
  if (!(error instanceof DomainError) || error.kind === 'not_found' || error.kind === 'forbidden')
    throw error;
  return `review.errors.${error.code}`;
}

@ApiExcludeController()
@Controller('admin/editions/:slug')
export class ReviewPagesController {
  constructor(
    private readonly criteria: CriteriaService,
    private readonly review: ReviewService,
  ) {}

  @Get('proposals')
  async listPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query() query: QueryParams,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    let errors: FormErrors | undefined;
    let raw = query;
    let status = 200;
    let page;
    try {
      page = await this.review.list(actor, slug, raw, { withChoices: true });
    } catch (error) {
      if (!(error instanceof InvalidProposalFilterError)) throw error;
      // Show the list without the bad filters, and say which they were.
      errors = Object.fromEntries(
        Object.keys(error.fields ?? {}).map((f) => [f, ['review.invalid_filter']]),
      );
      raw = Object.fromEntries(Object.entries(query).filter(([k]) => !(k in (error.fields ?? {}))));
      status = 422;
      page = await this.review.list(actor, slug, raw, { withChoices: true });
    }
    const lang = req.lang;
    const f: ProposalFilters = page.filters;
    const filterQuery = Object.fromEntries(FILTER_KEYS.map((k) => [k, raw[k]]));
    const current = { ...filterQuery, sort: f.sort, dir: f.dir };
    const sortLink = (sort: string) => ({
      url: listUrl(slug, filterQuery, {
        sort,
        dir:
          f.sort === sort ? (f.dir === 'asc' ? 'desc' : 'asc') : sort === 'title' ? 'asc' : 'desc',
      }),
      active: f.sort === sort,
      dir: f.sort === sort ? f.dir : null,
    });
    res.status(status).render('pages/admin/proposals', {
      title: 'review.list_title',
      edition: page.context.edition,
      isOrganiser: page.context.isOrganiser,
      blind: page.context.hideSpeakers,
      errors,
      values: filterQuery,
      filters: f,
      total: page.total,
      stateCounts: LISTED_STATES.map((state) => ({
        state,
        count: page.byState[state] ?? 0,
        url: listUrl(slug, current, { state }),
        active: f.state === state,
      })),
      allStatesUrl: listUrl(slug, current, { state: '' }),
      allStatesCount: Object.values(page.byState).reduce((a, b) => a + b, 0),
      states: LISTED_STATES,
      stakeholders: Object.values(StakeholderType),
      territories: Object.values(TerritoryType),
      formats: page.formats.map((x) => ({ key: x.key, name: named(lang, x) })),
      themes: page.themes.map((x) => ({ id: x.id, name: named(lang, x) })),
      sorts: Object.fromEntries(PROPOSAL_SORTS.map((s) => [s, sortLink(s)])),
      rows: page.rows.map((r) => ({
        ...r,
        formatName: named(lang, r.format),
        themeName: named(lang, r.theme),
      })),
      page: f.page,
      pages: page.pages,
      prevUrl: f.page > 1 ? listUrl(slug, current, { page: f.page - 1 }) : null,
      nextUrl: f.page < page.pages ? listUrl(slug, current, { page: f.page + 1 }) : null,
    });
  }

  @Get('proposals/:id')
  async proposalPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderProposal(actor, slug, id, req, res, 200, {});
  }

  @Post('proposals/:id/review')
  async saveReview(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const comment = typeof body.comment === 'string' ? body.comment : '';
    try {
      await this.review.saveReview(actor, slug, id, { scores: scoresFrom(body), comment });
    } catch (error) {
      if (!(error instanceof InvalidReviewError)) throw error;
      const errors = Object.fromEntries(
        Object.entries(error.fields ?? {}).map(([field, messages]) => [
          field,
          [
            field === 'comment'
              ? 'review.comment_too_long'
              : messages[0]?.startsWith('Give')
                ? 'review.score_missing'
                : 'review.score_invalid',
          ],
        ]),
      );
      return this.renderProposal(actor, slug, id, req, res, 422, { values: body, errors });
    }
    flash(res, 'success', 'review.flash.saved');
    res.redirect(303, `/admin/editions/${slug}/proposals/${id}#reviews`);
  }

  @Post('proposals/:id/assignments')
  async assign(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const reviewerId = typeof body.reviewerId === 'string' ? body.reviewerId : '';
    await submitAction({
      res,
      run: () => this.review.assign(actor, slug, id, reviewerId),
      success: 'review.flash.assigned',
      target: `/admin/editions/${slug}/proposals/${id}#assignments`,
      messageFrom: reviewMessage,
    });
  }

  @Post('proposals/:id/assignments/:reviewerId/remove')
  async unassign(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Param('reviewerId') reviewerId: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.review.unassign(actor, slug, id, reviewerId);
    flash(res, 'success', 'review.flash.unassigned');
    res.redirect(303, `/admin/editions/${slug}/proposals/${id}#assignments`);
  }

  /** Opens the proposal to review next, or goes back to the list when none is left. */
  @Get('review/next')
  async nextPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const next = await this.review.next(actor, slug);
    if (next) return res.redirect(303, `/admin/editions/${slug}/proposals/${next.id}`);
    flash(res, 'info', 'review.flash.nothing_left');
    res.redirect(303, `/admin/editions/${slug}/proposals`);
  }

  @Get('review-criteria')
  async criteriaPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.renderCriteria(actor, slug, res, 200, {});
  }

  @Post('review-criteria')
  async createCriterion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.review.context(actor, slug, EditionPermission.Edit);
    await submitForm({
      res,
      body,
      dto: CreateCriterionDto,
      errorsFrom: criterionErrors,
      run: async (value) => {
        await this.criteria.create(actor, slug, value);
        return `/admin/editions/${slug}/review-criteria`;
      },
      success: 'review.flash.criterion_created',
      rerender: (errors) => this.renderCriteria(actor, slug, res, 422, { values: body, errors }),
    });
  }

  @Post('review-criteria/:id')
  async updateCriterion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.review.context(actor, slug, EditionPermission.Edit);
    const form = await parseForm(UpdateCriterionDto, body);
    if (!form.ok) {
      flash(res, 'error', 'review.flash.criterion_invalid');
      return res.redirect(303, `/admin/editions/${slug}/review-criteria`);
    }
    await submitAction({
      res,
      run: () => this.criteria.update(actor, slug, id, form.value),
      success: 'review.flash.criterion_updated',
      target: `/admin/editions/${slug}/review-criteria`,
      messageFrom: reviewMessage,
    });
  }

  @Post('review-criteria/:id/delete')
  async deleteCriterion(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    await this.review.context(actor, slug, EditionPermission.Edit);
    await submitAction({
      res,
      run: () => this.criteria.remove(actor, slug, id),
      success: 'review.flash.criterion_deleted',
      target: `/admin/editions/${slug}/review-criteria`,
      messageFrom: reviewMessage,
    });
  }

  @Get('assignments')
  async assignmentsPage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const context = await this.review.context(actor, slug, EditionPermission.Edit);
    res.render('pages/admin/review-assignments', {
      title: 'review.assignments_title',
      edition: context.edition,
      k: context.call?.reviewsPerProposal ?? 3,
      reviewers: await this.review.reviewers(actor, slug),
    });
  }

  @Post('assignments/auto')
  async autoAssign(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const result = await this.review.autoAssign(actor, slug);
      flash(res, 'success', 'review.flash.auto_assigned', {
        created: String(result.created),
        unfilled: String(result.unfilled.length),
      });
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
      flash(res, 'error', `review.errors.${error.code}`);
    }
    res.redirect(303, `/admin/editions/${slug}/assignments`);
  }

  @Post('reviewers/:accountId/organisation')
  async setOrganisation(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Param('accountId') accountId: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    await this.review.context(actor, slug, EditionPermission.Edit);
    const form = await parseForm(SetOrganisationDto, { organisation: '', ...body });
    if (!form.ok) flash(res, 'error', 'review.flash.organisation_invalid');
    else {
      await this.review.setOrganisation(actor, slug, accountId, form.value.organisation);
      flash(res, 'success', 'review.flash.organisation_saved');
    }
    res.redirect(303, `/admin/editions/${slug}/assignments`);
  }

  private async renderProposal(
    actor: Actor,
    slug: string,
    id: string,
    req: AppRequest,
    res: Response,
    status: number,
    extra: { values?: FormBody; errors?: FormErrors },
  ): Promise<void> {
    const d = await this.review.detail(actor, slug, id);
    const lang = req.lang;
    const mine = d.myReview?.scores ?? {};
    const values = extra.values;
    const choice = (key: string): string => {
      if (values)
        return typeof values[`scores.${key}`] === 'string'
          ? (values[`scores.${key}`] as string)
          : '';
      if (!(key in mine)) return '';
      return mine[key] === null ? 'abstain' : String(mine[key]);
    };
    // In the criteria's order; scores of a since-deleted criterion last, under their key.
    const reviewRows = (r: { scores: Record<string, number | null> }) => [
      ...d.criteria
        .filter((c) => c.key in r.scores)
        .map((c) => ({ name: named(lang, c), score: r.scores[c.key] })),
      ...Object.keys(r.scores)
        .filter((key) => !d.criteria.some((c) => c.key === key))
        .sort()
        .map((key) => ({ name: key, score: r.scores[key] })),
    ];
    res.status(status).render('pages/admin/proposal-review', {
      title: d.proposal.title,
      rawTitle: true,
      edition: d.context.edition,
      isOrganiser: d.context.isOrganiser,
      blind: d.context.hideSpeakers,
      proposal: d.proposal,
      formatName: named(lang, d.format),
      themeName: named(lang, d.theme),
      answers: d.answers.map((a) => ({
        label: lang === 'en' ? a.labelEn : a.labelFr,
        text: lang === 'en' ? a.textEn : a.textFr,
        yesNo: a.yesNo,
        isYesNo: a.yesNo !== null,
      })),
      speakers: d.speakers,
      history: d.history,
      criteria: d.criteria.map((c) => ({
        key: c.key,
        name: named(lang, c),
        description: lang === 'en' ? c.descriptionEn : c.descriptionFr,
        weight: Number(c.weight),
        chosen: choice(c.key),
        points: [0, 1, 2, 3, 4, 5].map((n) => ({
          n,
          value: String(n),
          checked: choice(c.key) === String(n),
        })),
        abstained: choice(c.key) === 'abstain',
      })),
      comment: values ? values.comment : (d.myReview?.comment ?? ''),
      myReview: d.myReview ? { ...d.myReview, rows: reviewRows(d.myReview) } : null,
      reviews: d.reviews.map((r) => ({ ...r, rows: reviewRows(r) })),
      othersHidden: d.othersHidden,
      reviewCount: d.reviewCount,
      mean: d.mean,
      spread: d.spread,
      reviewable: d.reviewable,
      assignedToMe: d.assignedToMe,
      assignees: d.assignees,
      candidates: d.candidates,
      errors: extra.errors,
    });
  }

  private async renderCriteria(
    actor: Actor,
    slug: string,
    res: Response,
    status: number,
    extra: { values?: FormBody; errors?: FormErrors },
  ): Promise<void> {
    const context = await this.review.context(actor, slug);
    res.status(status).render('pages/admin/review-criteria', {
      title: 'review.criteria_title',
      edition: context.edition,
      isOrganiser: context.isOrganiser,
      criteria: (await this.criteria.list(actor, slug)).map((c) => ({
        ...c,
        weight: Number(c.weight),
      })),
      values: { weight: '1', ...(extra.values ?? {}) },
      errors: extra.errors,
    });
  }
}
