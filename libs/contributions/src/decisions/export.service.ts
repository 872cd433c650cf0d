import { Actor } from '@assises/accounts';
import { TransactionRunner } from '@assises/database';
import { Edition, EditionPermission, EditionService } from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { ProposalDecision, ProposalState } from '../proposal.entity';
import { toCsv } from './csv';

/** A speaker as exports list them. */
export interface ExportedSpeaker {
  name: string;
  email: string;
  organisation: string;
  role: string;
  stakeholderType: string | null;
  territoryType: string | null;
  cityOrRegion: string;
  isSubmitter: boolean;
  confirmed: boolean;
}

/** A proposal with everything organisers decide on. */
export interface ExportedProposal {
  id: string;
  title: string;
  state: ProposalState;
  pendingDecision: ProposalDecision | null;
  decisionNote: string;
  format: string;
  theme: string | null;
  language: string;
  abstract: string;
  description: string;
  expectedAudience: number | null;
  needs: string;
  availability: string[];
  submittedAt: string | null;
  submitterLocale: string;
  decisionReleasedAt: string | null;
  confirmedAt: string | null;
  meanScore: number | null;
  reviewCount: number;
  speakers: ExportedSpeaker[];
  answers: Record<string, unknown>;
}

export interface ExportedReview {
  id: string;
  proposalId: string;
  proposalTitle: string;
  reviewerName: string;
  reviewerEmail: string;
  score: number | null;
  scores: Record<string, number | null>;
  comment: string;
  createdAt: string;
  updatedAt: string;
}

export interface ProposalsExport {
  edition: Edition;
  /** Every answer key, the call's questions first (in their order). */
  answerKeys: string[];
  proposals: ExportedProposal[];
}

export interface ReviewsExport {
  edition: Edition;
  criteria: { key: string; nameFr: string; nameEn: string; weight: number }[];
  reviews: ExportedReview[];
}

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
const num = (value: string | null) => (value === null ? null : Number(value));

/** One answer in one cell: a list joined with "; ". */
function answerCell(value: unknown): unknown {
  return Array.isArray(value) ? value.map(String).join('; ') : value;
}

/**
 * Exports of the call for organisers (a spreadsheet for the programme committee, JSON for
 * tools): proposals with speakers, answers, state, pending decision and scores; reviews with
 * one column per criterion. Drafts are not exported: they were never sent.
 */
@Injectable()
export class ExportService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly editions: EditionService,
  ) {}

  async proposals(actor: Actor, slug: string): Promise<ProposalsExport> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const em = this.db.manager;
    const rows = await em.query<
      {
        id: string;
        title: string;
        state: ProposalState;
        pending_decision: ProposalDecision | null;
        decision_note: string;
        format_key: string;
        theme: string | null;
        language: string;
        abstract: string;
        description: string;
        expected_audience: number | null;
        needs: string;
        availability: string[];
        submitted_at: Date | null;
        submitter_locale: string;
        decision_released_at: Date | null;
        confirmed_at: Date | null;
        answers: Record<string, unknown>;
        mean: string | null;
        review_count: number;
      }[]
    >(
      `SELECT p.id, p.title, p.state, p.pending_decision, p.decision_note, f.key AS format_key,
              t.name_fr AS theme, p.language, p.abstract, p.description, p.expected_audience,
              p.needs, p.availability, p.submitted_at, p.submitter_locale,
              p.decision_released_at, p.confirmed_at, p.answers,
              r.mean, COALESCE(r.n, 0)::int AS review_count
         FROM proposals p
         JOIN call_formats f ON f.id = p.format_id
         LEFT JOIN call_themes t ON t.id = p.theme_id
         LEFT JOIN (SELECT proposal_id, round(avg(score), 2) AS mean, count(*) AS n
                      FROM reviews WHERE edition_id = $1 GROUP BY proposal_id) r
           ON r.proposal_id = p.id
        WHERE p.edition_id = $1 AND p.state <> 'draft'
        ORDER BY p.submitted_at, p.id`,
      [edition.id],
    );
    const speakers = await em.query<
      {
        proposal_id: string;
        name: string;
        email: string;
        organisation: string;
        role: string;
        stakeholder_type: string | null;
        territory_type: string | null;
        city_or_region: string;
        is_submitter: boolean;
        confirmed_at: Date | null;
      }[]
    >(
      `SELECT s.proposal_id, s.name, s.email, s.organisation, s.role, s.stakeholder_type,
              s.territory_type, s.city_or_region, s.is_submitter, s.confirmed_at
         FROM proposal_speakers s JOIN proposals p ON p.id = s.proposal_id
        WHERE p.edition_id = $1 AND p.state <> 'draft'
        ORDER BY s.proposal_id, s.position`,
      [edition.id],
    );
    const questions = await em.query<{ key: string }[]>(
      'SELECT key FROM call_questions WHERE edition_id = $1 ORDER BY position, key',
      [edition.id],
    );
    const bySpeaker = new Map<string, ExportedSpeaker[]>();
    for (const s of speakers) {
      const list = bySpeaker.get(s.proposal_id) ?? [];
      list.push({
        name: s.name,
        email: s.email,
        organisation: s.organisation,
        role: s.role,
        stakeholderType: s.stakeholder_type,
        territoryType: s.territory_type,
        cityOrRegion: s.city_or_region,
        isSubmitter: s.is_submitter,
        confirmed: s.confirmed_at !== null,
      });
      bySpeaker.set(s.proposal_id, list);
    }
    const answerKeys = questions.map((q) => q.key);
    const extra = new Set<string>();
    for (const row of rows)
      for (const key of Object.keys(row.answers ?? {}))
        if (!answerKeys.includes(key)) extra.add(key);
    answerKeys.push(...[...extra].sort());

    return {
      edition,
      answerKeys,
      proposals: rows.map((row) => ({
        id: row.id,
        title: row.title,
        state: row.state,
        pendingDecision: row.pending_decision,
        decisionNote: row.decision_note,
        format: row.format_key,
        theme: row.theme,
        language: row.language,
        abstract: row.abstract,
        description: row.description,
        expectedAudience: row.expected_audience,
        needs: row.needs,
        availability: row.availability,
        submittedAt: iso(row.submitted_at),
        submitterLocale: row.submitter_locale,
        decisionReleasedAt: iso(row.decision_released_at),
        confirmedAt: iso(row.confirmed_at),
        meanScore: num(row.mean),
        reviewCount: row.review_count,
        speakers: bySpeaker.get(row.id) ?? [],
        answers: row.answers ?? {},
      })),
    };
  }

  async reviews(actor: Actor, slug: string): Promise<ReviewsExport> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const em = this.db.manager;
    const criteria = await em.query<
      { key: string; name_fr: string; name_en: string; weight: string }[]
    >(
      `SELECT key, name_fr, name_en, weight FROM review_criteria
        WHERE edition_id = $1 ORDER BY position, key`,
      [edition.id],
    );
    const rows = await em.query<
      {
        id: string;
        proposal_id: string;
        title: string;
        reviewer_name: string;
        reviewer_email: string;
        score: string | null;
        scores: Record<string, number | null>;
        comment: string;
        created_at: Date;
        updated_at: Date;
      }[]
    >(
      `SELECT r.id, r.proposal_id, p.title, a.name AS reviewer_name, a.email AS reviewer_email,
              r.score, r.scores, r.comment, r.created_at, r.updated_at
         FROM reviews r
         JOIN proposals p ON p.id = r.proposal_id
         JOIN accounts a ON a.id = r.reviewer_id
        WHERE r.edition_id = $1
        ORDER BY p.submitted_at, p.id, a.name, r.id`,
      [edition.id],
    );
    return {
      edition,
      criteria: criteria.map((c) => ({
        key: c.key,
        nameFr: c.name_fr,
        nameEn: c.name_en,
        weight: Number(c.weight),
      })),
      reviews: rows.map((r) => ({
        id: r.id,
        proposalId: r.proposal_id,
        proposalTitle: r.title,
        reviewerName: r.reviewer_name,
        reviewerEmail: r.reviewer_email,
        score: num(r.score),
        scores: r.scores ?? {},
        comment: r.comment,
        createdAt: iso(r.created_at)!,
        updatedAt: iso(r.updated_at)!,
      })),
    };
  }

  /** Proposals as CSV: one line per proposal, speakers in one cell, one column per answer. */
  proposalsCsv(data: ProposalsExport): string {
    const header = [
      'id',
      'title',
      'state',
      'pending_decision',
      'decision_note',
      'format',
      'theme',
      'language',
      'abstract',
      'description',
      'expected_audience',
      'needs',
      'availability',
      'submitted_at',
      'submitter_locale',
      'decision_released_at',
      'confirmed_at',
      'mean_score',
      'review_count',
      'speakers',
      'speaker_emails',
      'stakeholder_types',
      'territory_types',
      ...data.answerKeys.map((key) => `answer:${key}`),
    ];
    const rows = data.proposals.map((p) => [
      p.id,
      p.title,
      p.state,
      p.pendingDecision,
      p.decisionNote,
      p.format,
      p.theme,
      p.language,
      p.abstract,
      p.description,
      p.expectedAudience,
      p.needs,
      p.availability.join('; '),
      p.submittedAt,
      p.submitterLocale,
      p.decisionReleasedAt,
      p.confirmedAt,
      p.meanScore,
      p.reviewCount,
      p.speakers
        .map((s) =>
          [s.name, s.organisation, s.role, s.cityOrRegion].filter((part) => part !== '').join(', '),
        )
        .join(' | '),
      p.speakers.map((s) => s.email).join('; '),
      p.speakers.map((s) => s.stakeholderType ?? '').join('; '),
      p.speakers.map((s) => s.territoryType ?? '').join('; '),
      ...data.answerKeys.map((key) => answerCell(p.answers[key])),
    ]);
    return toCsv(header, rows);
  }

  /** Reviews as CSV: one line per review, one column per criterion (empty: abstained). */
  reviewsCsv(data: ReviewsExport): string {
    const keys = data.criteria.map((c) => c.key);
    const header = [
      'id',
      'proposal_id',
      'proposal_title',
      'reviewer_name',
      'reviewer_email',
      'score',
      ...keys.map((key) => `criterion:${key}`),
      'comment',
      'created_at',
      'updated_at',
    ];
    const rows = data.reviews.map((r) => [
      r.id,
      r.proposalId,
      r.proposalTitle,
      r.reviewerName,
      r.reviewerEmail,
      r.score,
      ...keys.map((key) => r.scores[key] ?? null),
      r.comment,
      r.createdAt,
      r.updatedAt,
    ]);
    return toCsv(header, rows);
  }
}
