import { Actor } from '@assises/accounts';
import { InvalidError } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import {
  Edition,
  EditionPermission,
  EditionRole,
  EditionService,
  roleAllows,
} from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CallFormat } from '../call-format.entity';
import { CallQuestion, QuestionOption } from '../call-question.entity';
import { CallTheme } from '../call-theme.entity';
import { Call } from '../call.entity';
import { ProposalSpeaker } from '../proposal-speaker.entity';
import { Proposal, ProposalState } from '../proposal.entity';
import { ReviewCriterion } from '../review-criterion.entity';
import { balancedAssignments, sameOrganisation } from './auto-assign';
import { CriteriaService, scoreSql } from './criteria.service';
import { SaveReviewDto } from './dto/review.dto';
import { parseProposalFilters, ProposalFilters, proposalListQuery } from './proposal-list.query';
import {
  InvalidAssignmentError,
  InvalidProposalFilterError,
  InvalidReviewError,
  NotAMemberError,
  NotReviewableError,
  ReviewProposalNotFoundError,
} from './review.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who is looking, and what they may see. */
export interface ReviewContext {
  edition: Edition;
  role: EditionRole;
  /** Organisers, owners and platform admins: they see everything and decide. */
  isOrganiser: boolean;
  call: Call | null;
  /** Blind review for someone who is not an organiser: no speakers' names or organisations. */
  hideSpeakers: boolean;
}

/** One line of the list. Numbers are the reviews' aggregates; `mean` is null without a score. */
export interface ProposalListRow {
  id: string;
  title: string;
  state: ProposalState;
  /** Only organisers see a decision before it is released. */
  pendingDecision: string | null;
  submittedAt: string | null;
  format: { key: string; nameFr: string; nameEn: string };
  theme: { id: string; nameFr: string; nameEn: string } | null;
  mean: number | null;
  /** Highest minus lowest review score; 0 with one review, null without a score. */
  spread: number | null;
  reviewCount: number;
  reviewedByMe: boolean;
  assignedToMe: boolean;
}

export interface ProposalListPage {
  context: ReviewContext;
  filters: ProposalFilters;
  rows: ProposalListRow[];
  total: number;
  byState: Record<string, number>;
  pages: number;
  formats: CallFormat[];
  themes: CallTheme[];
}

export interface ReviewView {
  id: string;
  reviewerId: string;
  reviewerName: string;
  scores: Record<string, number | null>;
  score: number | null;
  comment: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface HistoryEntry {
  action: string;
  fromState: string | null;
  toState: string | null;
  actorName: string | null;
  createdAt: Date;
}

export interface AnswerView {
  key: string;
  labelFr: string;
  labelEn: string;
  /** Text to show in each language (choices by their labels, joined); booleans in `yesNo`. */
  textFr: string;
  textEn: string;
  yesNo: boolean | null;
}

export interface ReviewerView {
  id: string;
  name: string;
  email: string;
  organisation: string;
  role: EditionRole;
  assigned: number;
  reviewed: number;
}

export interface ProposalDetail {
  context: ReviewContext;
  proposal: Proposal;
  format: CallFormat;
  theme: CallTheme | null;
  answers: AnswerView[];
  /** Null in blind review. */
  speakers: ProposalSpeaker[] | null;
  history: HistoryEntry[];
  criteria: ReviewCriterion[];
  myReview: ReviewView | null;
  /** Others' reviews: organisers always, reviewers once they have reviewed. */
  reviews: ReviewView[];
  othersHidden: boolean;
  reviewCount: number;
  mean: number | null;
  spread: number | null;
  reviewable: boolean;
  assignedToMe: boolean;
  /** Organisers only: who holds the proposal, and who could. */
  assignees: { id: string; name: string; organisation: string; automatic: boolean }[];
  candidates: ReviewerView[];
}

export interface AutoAssignResult {
  k: number;
  created: number;
  unfilled: { proposalId: string; missing: number }[];
}

const num = (value: string | number | null): number | null =>
  value === null ? null : Number(value);

/**
 * The organisers' and reviewers' back office: the proposal list, a proposal with its answers,
 * history and reviews, scoring, assignments (by hand and balanced), and the next to review.
 */
@Injectable()
export class ReviewService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly editions: EditionService,
    private readonly criteria: CriteriaService,
  ) {}

  async context(
    actor: Actor,
    slug: string,
    permission = EditionPermission.Review,
  ): Promise<ReviewContext> {
    const { edition, role } = await this.editions.access(actor, slug, permission);
    const call = await this.db.manager.findOne(Call, { where: { editionId: edition.id } });
    const isOrganiser = roleAllows(role, EditionPermission.Edit);
    return { edition, role, isOrganiser, call, hideSpeakers: !isOrganiser && !!call?.blindReview };
  }

  /** The filtered, sorted page of proposals with their counts, in one SQL statement. */
  async list(
    actor: Actor,
    slug: string,
    raw: Record<string, unknown>,
    options: { withChoices?: boolean } = {},
  ): Promise<ProposalListPage> {
    const context = await this.context(actor, slug);
    const { filters, errors } = parseProposalFilters(raw);
    if (Object.keys(errors).length > 0) throw new InvalidProposalFilterError(errors);
    const query = proposalListQuery(context.edition.id, actor.accountId, filters, {
      searchSpeakers: !context.hideSpeakers,
    });
    const [result] = await this.db.manager.query<
      { rows: Record<string, unknown>[]; total: number; by_state: Record<string, number> }[]
    >(query.sql, query.params);
    const rows = result.rows.map((r): ProposalListRow => ({
      id: r.id as string,
      title: r.title as string,
      state: r.state as ProposalState,
      pendingDecision: context.isOrganiser ? ((r.pending_decision as string | null) ?? null) : null,
      submittedAt: (r.submitted_at as string | null) ?? null,
      format: {
        key: r.format_key as string,
        nameFr: r.format_name_fr as string,
        nameEn: r.format_name_en as string,
      },
      theme: r.theme_id
        ? {
            id: r.theme_id as string,
            nameFr: r.theme_name_fr as string,
            nameEn: r.theme_name_en as string,
          }
        : null,
      mean: num(r.mean as number | null),
      spread: num(r.spread as number | null),
      reviewCount: r.review_count as number,
      reviewedByMe: r.reviewed_by_me as boolean,
      assignedToMe: r.assigned_to_me as boolean,
    }));
    const choices = options.withChoices
      ? await this.choices(context.edition.id)
      : { formats: [], themes: [] };
    return {
      context,
      filters,
      rows,
      total: result.total,
      byState: result.by_state,
      pages: Math.max(1, Math.ceil(result.total / filters.perPage)),
      ...choices,
    };
  }

  /** A proposal with everything the back office shows about it. */
  async detail(actor: Actor, slug: string, proposalId: string): Promise<ProposalDetail> {
    const context = await this.context(actor, slug);
    const em = this.db.manager;
    const proposal = await this.proposalOf(em, context.edition.id, proposalId);
    const format = await em.findOneByOrFail(CallFormat, { id: proposal.formatId });
    const theme = proposal.themeId ? await em.findOneBy(CallTheme, { id: proposal.themeId }) : null;
    const questions = await em.find(CallQuestion, {
      where: { editionId: context.edition.id },
      order: { position: 'ASC', key: 'ASC' },
    });
    const speakers = context.hideSpeakers
      ? null
      : await em.find(ProposalSpeaker, {
          where: { proposalId: proposal.id },
          order: { position: 'ASC', createdAt: 'ASC' },
        });
    const history = await em.query<
      {
        action: string;
        from_state: string | null;
        to_state: string | null;
        actor_name: string | null;
        created_at: Date;
      }[]
    >(
      `SELECT e.action, e.from_state, e.to_state, a.name AS actor_name, e.created_at
         FROM audit_events e LEFT JOIN accounts a ON a.id = e.actor_id
        WHERE e.subject_type = 'proposal' AND e.subject_id = $1
        ORDER BY e.created_at DESC, e.id`,
      [proposal.id],
    );
    const criteria = await this.criteria.forEdition(em, context.edition.id);
    const allReviews = await this.reviewsOf(em, proposal.id);
    const myReview = allReviews.find((r) => r.reviewerId === actor.accountId) ?? null;
    const othersVisible = context.isOrganiser || myReview !== null;
    const scores = allReviews.map((r) => r.score).filter((s): s is number => s !== null);
    const assignees = await em.query<
      { id: string; name: string; organisation: string; automatic: boolean }[]
    >(
      `SELECT a.id, a.name, a.organisation, ra.automatic
         FROM review_assignments ra JOIN accounts a ON a.id = ra.reviewer_id
        WHERE ra.proposal_id = $1 ORDER BY a.name, a.id`,
      [proposal.id],
    );
    return {
      context,
      proposal,
      format,
      theme,
      answers: answersOf(proposal, questions),
      speakers,
      history: history.map((h) => ({
        action: h.action,
        fromState: h.from_state,
        toState: h.to_state,
        actorName: h.actor_name,
        createdAt: h.created_at,
      })),
      criteria,
      myReview,
      reviews: othersVisible ? allReviews.filter((r) => r !== myReview) : [],
      othersHidden: !othersVisible && allReviews.length > 0,
      reviewCount: allReviews.length,
      mean:
        othersVisible && scores.length > 0
          ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 1000) / 1000
          : null,
      spread: othersVisible && scores.length > 0 ? Math.max(...scores) - Math.min(...scores) : null,
      reviewable: proposal.state === ProposalState.Submitted,
      assignedToMe: assignees.some((a) => a.id === actor.accountId),
      assignees: context.isOrganiser ? assignees : [],
      candidates: context.isOrganiser
        ? (await this.reviewersOf(em, context.edition.id)).filter(
            (r) => !assignees.some((a) => a.id === r.id),
          )
        : [],
    };
  }

  /**
   * Creates or replaces the actor's review of a submitted proposal. The unique (proposal,
   * reviewer) index decides between two saves at once: the later one updates.
   */
  async saveReview(
    actor: Actor,
    slug: string,
    proposalId: string,
    input: SaveReviewDto,
  ): Promise<{ review: ReviewView; created: boolean }> {
    const context = await this.context(actor, slug);
    const editionId = context.edition.id;
    const criteria = await this.criteria.forEdition(this.db.manager, editionId);
    const comment = input.comment ?? '';
    const scores = validScores(input.scores, criteria, comment);
    const { id, created } = await this.db.run(async (em) => {
      const proposal = await this.proposalOf(em, editionId, proposalId, true);
      if (proposal.state !== ProposalState.Submitted) throw new NotReviewableError();
      const [row] = await em.query<{ id: string; created: boolean; score: string | null }[]>(
        `INSERT INTO reviews (edition_id, proposal_id, reviewer_id, scores, comment, score)
         VALUES ($1, $2, $3, $4::jsonb, $5, ${scoreSql('$4::jsonb', '$1')})
         ON CONFLICT (proposal_id, reviewer_id) DO UPDATE
           SET scores = EXCLUDED.scores, comment = EXCLUDED.comment, score = EXCLUDED.score,
               updated_at = now()
         RETURNING id, (xmax = 0) AS created, score`,
        [editionId, proposal.id, actor.accountId, JSON.stringify(scores), comment],
      );
      await this.audit.record(em, {
        subjectType: 'proposal',
        subjectId: proposal.id,
        editionId,
        actorId: actor.accountId,
        action: row.created ? 'review' : 'review_update',
        data: { score: row.score === null ? null : Number(row.score) },
      });
      return row;
    });
    const review = (await this.reviewsOf(this.db.manager, proposalId)).find((r) => r.id === id)!;
    return { review, created };
  }

  /** An organiser gives the proposal to someone of the team who may review. */
  async assign(actor: Actor, slug: string, proposalId: string, reviewerId: string): Promise<void> {
    const { edition } = await this.context(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      const proposal = await this.proposalOf(em, edition.id, proposalId, true);
      if (proposal.state !== ProposalState.Submitted) throw new NotReviewableError();
      const reviewer = (await this.reviewersOf(em, edition.id)).find((r) => r.id === reviewerId);
      if (!reviewer)
        throw new InvalidAssignmentError(
          'assignment.not_reviewer',
          'reviewerId must be a reviewer, organiser or owner of this edition',
        );
      const speakers = await em.find(ProposalSpeaker, { where: { proposalId: proposal.id } });
      if (speakers.some((s) => sameOrganisation(s.organisation, reviewer.organisation)))
        throw new InvalidAssignmentError(
          'assignment.own_organisation',
          "A reviewer does not review their own organisation's proposal",
        );
      const [, inserted] = await em.query<[unknown[], number]>(
        `INSERT INTO review_assignments (edition_id, proposal_id, reviewer_id, assigned_by)
         VALUES ($1, $2, $3, $4) ON CONFLICT (proposal_id, reviewer_id) DO NOTHING RETURNING id`,
        [edition.id, proposal.id, reviewerId, actor.accountId],
      );
      if (inserted > 0)
        await this.audit.record(em, {
          subjectType: 'proposal',
          subjectId: proposal.id,
          editionId: edition.id,
          actorId: actor.accountId,
          action: 'assign',
          data: { reviewerId },
        });
    });
  }

  async unassign(
    actor: Actor,
    slug: string,
    proposalId: string,
    reviewerId: string,
  ): Promise<void> {
    const { edition } = await this.context(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      const proposal = await this.proposalOf(em, edition.id, proposalId);
      const [, deleted] = await em.query<[unknown[], number]>(
        `DELETE FROM review_assignments WHERE proposal_id = $1 AND reviewer_id = $2 RETURNING id`,
        [proposal.id, UUID.test(reviewerId) ? reviewerId : null],
      );
      if (deleted > 0)
        await this.audit.record(em, {
          subjectType: 'proposal',
          subjectId: proposal.id,
          editionId: edition.id,
          actorId: actor.accountId,
          action: 'unassign',
          data: { reviewerId },
        });
    });
  }

  /**
   * Gives every submitted proposal k reviewers (the call's reviews per proposal), balanced
   * (see `balancedAssignments`). Reviewers are the team's members with the reviewer role. One
   * run at a time per edition (an advisory lock), so two clicks cannot exceed k.
   */
  async autoAssign(actor: Actor, slug: string): Promise<AutoAssignResult> {
    const { edition, call } = await this.context(actor, slug, EditionPermission.Edit);
    const k = call?.reviewsPerProposal ?? 3;
    return this.db.run(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('auto-assign:' || $1))`, [edition.id]);
      const reviewers = (await this.reviewersOf(em, edition.id)).filter(
        (r) => r.role === EditionRole.Reviewer,
      );
      if (reviewers.length === 0)
        throw new InvalidError('assignment.no_reviewers', 'This edition has no reviewer yet');
      const proposals = await em.query<
        { id: string; organisations: string[]; assigned: string[] }[]
      >(
        `SELECT p.id,
                coalesce((SELECT array_agg(s.organisation) FROM proposal_speakers s
                           WHERE s.proposal_id = p.id), '{}') AS organisations,
                coalesce((SELECT array_agg(a.reviewer_id) FROM review_assignments a
                           WHERE a.proposal_id = p.id), '{}') AS assigned
           FROM proposals p WHERE p.edition_id = $1 AND p.state = 'submitted'`,
        [edition.id],
      );
      const plan = balancedAssignments(
        proposals.map((p) => ({
          id: p.id,
          speakerOrganisations: p.organisations,
          assignedReviewerIds: p.assigned,
        })),
        reviewers.map((r) => ({ id: r.id, organisation: r.organisation, load: r.assigned })),
        k,
      );
      if (plan.assignments.length > 0) {
        await em.query(
          `INSERT INTO review_assignments (edition_id, proposal_id, reviewer_id, assigned_by, automatic)
           SELECT $1, x.proposal_id, x.reviewer_id, $2, true
             FROM unnest($3::uuid[], $4::uuid[]) AS x(proposal_id, reviewer_id)
           ON CONFLICT (proposal_id, reviewer_id) DO NOTHING`,
          [
            edition.id,
            actor.accountId,
            plan.assignments.map((a) => a.proposalId),
            plan.assignments.map((a) => a.reviewerId),
          ],
        );
      }
      await this.audit.record(em, {
        subjectType: 'edition',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'auto_assign',
        data: { k, created: plan.assignments.length, unfilled: plan.unfilled.length },
      });
      return { k, created: plan.assignments.length, unfilled: plan.unfilled };
    });
  }

  /**
   * The submitted proposal the actor should review next: not reviewed by them, not from their
   * own organisation, those assigned to them first, then the fewest reviews, then the oldest.
   */
  async next(actor: Actor, slug: string): Promise<{ id: string; title: string } | null> {
    const { edition } = await this.context(actor, slug);
    const [row] = await this.db.manager.query<{ id: string; title: string }[]>(
      `WITH me AS (
         SELECT lower(regexp_replace(organisation, '\\s+', '', 'g')) AS org FROM accounts WHERE id = $2
       )
       SELECT p.id, p.title
         FROM proposals p
         LEFT JOIN review_assignments a ON a.proposal_id = p.id AND a.reviewer_id = $2
        WHERE p.edition_id = $1 AND p.state = 'submitted'
          AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.proposal_id = p.id AND r.reviewer_id = $2)
          AND NOT EXISTS (
            SELECT 1 FROM proposal_speakers s, me
             WHERE s.proposal_id = p.id AND me.org <> ''
               AND lower(regexp_replace(s.organisation, '\\s+', '', 'g')) = me.org)
        ORDER BY (a.id IS NULL),
                 (SELECT count(*) FROM reviews r WHERE r.proposal_id = p.id),
                 p.submitted_at, p.id
        LIMIT 1`,
      [edition.id, actor.accountId],
    );
    return row ?? null;
  }

  /** The team members who may review, with their organisation and their loads. */
  async reviewers(actor: Actor, slug: string): Promise<ReviewerView[]> {
    const { edition } = await this.context(actor, slug, EditionPermission.Edit);
    return this.reviewersOf(this.db.manager, edition.id);
  }

  /** An organiser records a team member's organisation (used by the assignment rule). */
  async setOrganisation(
    actor: Actor,
    slug: string,
    accountId: string,
    organisation: string,
  ): Promise<void> {
    const { edition } = await this.context(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      const [member] = await em.query<{ organisation: string }[]>(
        `SELECT a.organisation FROM memberships m JOIN accounts a ON a.id = m.account_id
          WHERE m.edition_id = $1 AND m.account_id = $2`,
        [edition.id, UUID.test(accountId) ? accountId : null],
      );
      if (!member) throw new NotAMemberError();
      await em.query(`UPDATE accounts SET organisation = $2, updated_at = now() WHERE id = $1`, [
        accountId,
        organisation,
      ]);
      await this.audit.record(em, {
        subjectType: 'account',
        subjectId: accountId,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'set_organisation',
        from: member.organisation,
        to: organisation,
      });
    });
  }

  private async choices(editionId: string) {
    const formats = await this.db.manager.find(CallFormat, {
      where: { editionId },
      order: { position: 'ASC', key: 'ASC' },
    });
    const themes = await this.db.manager.find(CallTheme, {
      where: { editionId },
      order: { position: 'ASC', nameFr: 'ASC' },
    });
    return { formats, themes };
  }

  private async proposalOf(
    em: EntityManager,
    editionId: string,
    proposalId: string,
    lock = false,
  ): Promise<Proposal> {
    if (!UUID.test(proposalId)) throw new ReviewProposalNotFoundError();
    const proposal = await em.findOne(Proposal, {
      where: { id: proposalId, editionId },
      ...(lock ? { lock: { mode: 'pessimistic_read' as const } } : {}),
    });
    if (!proposal || proposal.state === ProposalState.Draft)
      throw new ReviewProposalNotFoundError();
    return proposal;
  }

  private async reviewsOf(em: EntityManager, proposalId: string): Promise<ReviewView[]> {
    const rows = await em.query<
      {
        id: string;
        reviewer_id: string;
        reviewer_name: string;
        scores: Record<string, number | null>;
        score: string | null;
        comment: string;
        created_at: Date;
        updated_at: Date;
      }[]
    >(
      `SELECT r.id, r.reviewer_id, a.name AS reviewer_name, r.scores, r.score, r.comment,
              r.created_at, r.updated_at
         FROM reviews r JOIN accounts a ON a.id = r.reviewer_id
        WHERE r.proposal_id = $1 ORDER BY r.created_at, r.id`,
      [proposalId],
    );
    return rows.map((r) => ({
      id: r.id,
      reviewerId: r.reviewer_id,
      reviewerName: r.reviewer_name,
      scores: r.scores,
      score: num(r.score),
      comment: r.comment,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  private async reviewersOf(em: EntityManager, editionId: string): Promise<ReviewerView[]> {
    const rows = await em.query<
      {
        id: string;
        name: string;
        email: string;
        organisation: string;
        role: EditionRole;
        assigned: number;
        reviewed: number;
      }[]
    >(
      `SELECT a.id, a.name, a.email, a.organisation, m.role,
              (SELECT count(*)::int FROM review_assignments ra
                WHERE ra.edition_id = $1 AND ra.reviewer_id = a.id) AS assigned,
              (SELECT count(*)::int FROM reviews r
                WHERE r.edition_id = $1 AND r.reviewer_id = a.id) AS reviewed
         FROM memberships m JOIN accounts a ON a.id = m.account_id
        WHERE m.edition_id = $1 AND m.role IN ('reviewer', 'organiser', 'owner')
          AND a.disabled_at IS NULL
        ORDER BY a.name, a.id`,
      [editionId],
    );
    return rows;
  }
}

/** Every criterion scored 0–5 or abstained (null); nothing else. */
function validScores(
  input: Record<string, unknown>,
  criteria: ReviewCriterion[],
  comment: string,
): Record<string, number | null> {
  const fields: Record<string, string[]> = {};
  if (comment.length > 5000) fields.comment = ['comment must be at most 5000 characters'];
  const scores: Record<string, number | null> = {};
  for (const criterion of criteria) {
    const value = input[criterion.key];
    if (value === undefined) fields[`scores.${criterion.key}`] = ['Give a score or abstain'];
    else if (value === null) scores[criterion.key] = null;
    else if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 5)
      scores[criterion.key] = value;
    else fields[`scores.${criterion.key}`] = ['A score is a whole number from 0 to 5, or null'];
  }
  for (const key of Object.keys(input))
    if (!criteria.some((c) => c.key === key))
      fields[`scores.${key}`] = ['Not a review criterion of this edition'];
  if (Object.keys(fields).length > 0) throw new InvalidReviewError(fields);
  return scores;
}

function answerText(value: unknown, options: QuestionOption[], lang: 'fr' | 'en'): string {
  const one = (v: unknown): string => {
    const option = options.find((o) => o.key === v);
    if (option) return option[lang];
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') return v;
    return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  };
  return Array.isArray(value) ? value.map(one).join(', ') : one(value);
}

/** The answers to the custom questions, in the call's order, with their labels. */
function answersOf(proposal: Proposal, questions: CallQuestion[]): AnswerView[] {
  const answers = proposal.answers ?? {};
  const view = (key: string, labelFr: string, labelEn: string, options: QuestionOption[]) => {
    const value = answers[key];
    return {
      key,
      labelFr,
      labelEn,
      textFr: answerText(value, options, 'fr'),
      textEn: answerText(value, options, 'en'),
      yesNo: typeof value === 'boolean' ? value : null,
    };
  };
  const known = questions
    .filter((q) => answers[q.key] !== undefined)
    .map((q) => view(q.key, q.labelFr, q.labelEn, q.options ?? []));
  const orphans = Object.keys(answers)
    .filter((key) => !questions.some((q) => q.key === key))
    .sort()
    .map((key) => view(key, key, key, []));
  return [...known, ...orphans];
}
