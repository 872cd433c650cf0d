import { Actor } from '@assises/accounts';
import { TransactionRunner } from '@assises/database';
import { Edition, EditionPermission, EditionService, previousEdition } from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SurveyBuilderService, SurveyDefinition } from './survey-builder.service';
import { SurveyQuestion, SurveyQuestionKind as K } from './survey-question.entity';
import { SurveyWorkshop } from './survey.entity';
import { SurveyAnonymousError } from './surveys.errors';

export interface ResultFilters {
  stakeholderType?: string;
  territoryType?: string;
}

/** Invited and answered, for everyone or one group. */
export interface RateRow {
  key: string;
  invited: number;
  answered: number;
  /** answered / invited, or null when nobody was invited. */
  rate: number | null;
}

export interface ResponseRates {
  overall: RateRow;
  byStakeholder: RateRow[];
  byTerritory: RateRow[];
}

export interface Bar {
  key: string;
  labelFr: string;
  labelEn: string;
  count: number;
  /** count / answers to the question (0 when none). */
  share: number;
}

export interface NpsScore {
  /** % promoters − % detractors, −100 to 100. */
  score: number;
  promoters: number;
  passives: number;
  detractors: number;
}

export interface MatrixRow {
  workshop: SurveyWorkshop;
  answered: number;
  mean: number | null;
  median: number | null;
  bars: Bar[];
}

export interface QuestionResult {
  question: SurveyQuestion;
  answered: number;
  bars: Bar[];
  mean: number | null;
  median: number | null;
  nps: NpsScore | null;
  texts: string[];
  /** All free-text answers, of which `texts` shows the first TEXTS_SHOWN. */
  textTotal: number;
  matrix: MatrixRow[];
}

export interface SurveyResults {
  definition: SurveyDefinition;
  filters: ResultFilters;
  /** Responses matching the filters. */
  responses: number;
  rates: ResponseRates;
  previous: { edition: Edition; rates: ResponseRates } | null;
  questions: QuestionResult[];
}

export interface NonRespondent {
  name: string;
  email: string;
  stakeholderType: string;
  territoryType: string;
  remindersSent: number;
}

/** A response flattened for export: one column per question (per workshop for the matrix). */
export interface ExportTable {
  columns: string[];
  rows: (string | number | null)[][];
}

export const TEXTS_SHOWN = 200;

const NUMERIC = [K.Rating, K.Nps, K.SingleChoice];
const TEXT = [K.ShortText, K.LongText];

/**
 * Results for organisers, aggregated in PostgreSQL (jsonb) so 20,000 responses cost a few
 * grouped scans rather than 20,000 objects in memory. Responses are read in id order (random
 * uuids), never in order of arrival.
 */
@Injectable()
export class SurveyResultsService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly editions: EditionService,
    private readonly builder: SurveyBuilderService,
  ) {}

  async results(actor: Actor, slug: string, filters: ResultFilters = {}): Promise<SurveyResults> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.resultsOf(edition, filters);
  }

  async resultsOf(edition: Edition, filters: ResultFilters = {}): Promise<SurveyResults> {
    const em = this.db.manager;
    const definition = await this.builder.definitionOf(em, edition);
    const surveyId = definition.survey.id;
    const questions = definition.sections.flatMap((s) => s.questions);
    const where = `r.survey_id = $1 AND ($2::text IS NULL OR r.stakeholder_type = $2)
                   AND ($3::text IS NULL OR r.territory_type = $3)`;
    const params = [surveyId, filters.stakeholderType ?? null, filters.territoryType ?? null];
    const [{ n: responses }] = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM survey_responses r WHERE ${where}`,
      params,
    );
    const counts = await em.query<{ key: string; n: number }[]>(
      `SELECT a.key, count(*)::int AS n FROM survey_responses r, jsonb_each(r.answers) a
        WHERE ${where} GROUP BY a.key`,
      params,
    );
    const keysOf = (kinds: K[]) =>
      questions.filter((q) => kinds.includes(q.kind)).map((q) => q.key);
    const scalars = await em.query<{ key: string; v: string; n: number }[]>(
      `SELECT a.key, a.value #>> '{}' AS v, count(*)::int AS n
         FROM survey_responses r, jsonb_each(r.answers) a
        WHERE ${where} AND a.key = ANY($4) GROUP BY 1, 2`,
      [...params, keysOf(NUMERIC)],
    );
    const multiples = await em.query<{ key: string; v: string; n: number }[]>(
      `SELECT a.key, e.v, count(*)::int AS n
         FROM survey_responses r, jsonb_each(r.answers) a, jsonb_array_elements_text(a.value) e(v)
        WHERE ${where} AND a.key = ANY($4) AND jsonb_typeof(a.value) = 'array' GROUP BY 1, 2`,
      [...params, keysOf([K.MultipleChoice])],
    );
    const matrix = await em.query<{ key: string; w: string; v: string; n: number }[]>(
      `SELECT a.key, m.key AS w, m.value #>> '{}' AS v, count(*)::int AS n
         FROM survey_responses r, jsonb_each(r.answers) a, jsonb_each(a.value) m
        WHERE ${where} AND a.key = ANY($4) AND jsonb_typeof(a.value) = 'object' GROUP BY 1, 2, 3`,
      [...params, keysOf([K.WorkshopMatrix])],
    );
    const texts = await em.query<{ key: string; v: string }[]>(
      `SELECT key, v FROM (
         SELECT a.key, a.value #>> '{}' AS v, row_number() OVER (PARTITION BY a.key ORDER BY r.id) AS k
           FROM survey_responses r, jsonb_each(r.answers) a
          WHERE ${where} AND a.key = ANY($4)) t
        WHERE k <= $5 ORDER BY key, k`,
      [...params, keysOf(TEXT), TEXTS_SHOWN],
    );
    const answeredOf = new Map(counts.map((c) => [c.key, c.n]));
    return {
      definition,
      filters,
      responses,
      rates: await this.rates(em, surveyId),
      previous: await this.previous(em, edition),
      questions: questions.map((question) => {
        const answered = answeredOf.get(question.key) ?? 0;
        const own = (rows: { key: string; v: string; n: number }[]) =>
          new Map(rows.filter((r) => r.key === question.key).map((r) => [r.v, r.n]));
        const result: QuestionResult = {
          question,
          answered,
          bars: [],
          mean: null,
          median: null,
          nps: null,
          texts: [],
          textTotal: TEXT.includes(question.kind) ? answered : 0,
          matrix: [],
        };
        switch (question.kind) {
          case K.Rating:
          case K.Nps: {
            const byValue = own(scalars);
            const scale = question.kind === K.Rating ? range(1, 5) : range(0, 10);
            result.bars = scale.map((v) =>
              bar(String(v), String(v), String(v), byValue.get(String(v)) ?? 0, answered),
            );
            Object.assign(result, stats(scale.map((v) => [v, byValue.get(String(v)) ?? 0])));
            if (question.kind === K.Nps)
              result.nps = npsOf(scale.map((v) => [v, byValue.get(String(v)) ?? 0]));
            break;
          }
          case K.SingleChoice:
          case K.MultipleChoice: {
            const byValue = own(question.kind === K.SingleChoice ? scalars : multiples);
            result.bars = question.options.map((o) =>
              bar(o.key, o.fr, o.en, byValue.get(o.key) ?? 0, answered),
            );
            break;
          }
          case K.ShortText:
          case K.LongText:
            result.texts = texts.filter((t) => t.key === question.key).map((t) => t.v);
            break;
          case K.WorkshopMatrix:
            result.matrix = definition.survey.workshops.map((workshop) => {
              const rows = matrix.filter((m) => m.key === question.key && m.w === workshop.id);
              const byValue = new Map(rows.map((r) => [r.v, r.n]));
              const total = rows.reduce((sum, r) => sum + r.n, 0);
              const pairs = range(1, 5).map((v): [number, number] => [
                v,
                byValue.get(String(v)) ?? 0,
              ]);
              return {
                workshop,
                answered: total,
                bars: pairs.map(([v, n]) => bar(String(v), String(v), String(v), n, total)),
                ...stats(pairs),
              };
            });
            break;
          default: {
            const kind: never = question.kind;
            throw new Error(`unknown question kind ${String(kind)}`);
          }
        }
        return result;
      }),
    };
  }

  /** Who has not answered, for reminders by other means. Never for an anonymous survey. */
  async nonRespondents(actor: Actor, slug: string): Promise<NonRespondent[]> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const { survey } = await this.builder.definitionOf(this.db.manager, edition);
    if (survey.anonymous) throw new SurveyAnonymousError();
    return this.db.manager.query<NonRespondent[]>(
      `SELECT name, email, stakeholder_type AS "stakeholderType", territory_type AS "territoryType",
              reminders_sent AS "remindersSent"
         FROM survey_invitations WHERE survey_id = $1 AND NOT answered ORDER BY lower(name), email`,
      [survey.id],
    );
  }

  /** Every response as a table for CSV and XLSX; labels in the given language. */
  async exportTable(
    actor: Actor,
    slug: string,
    filters: ResultFilters,
    lang: 'fr' | 'en',
  ): Promise<ExportTable> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const definition = await this.builder.definitionOf(this.db.manager, edition);
    const { survey } = definition;
    const questions = definition.sections.flatMap((s) => s.questions);
    const rows = await this.db.manager.query<
      {
        answers: Record<string, unknown>;
        stakeholder_type: string | null;
        territory_type: string | null;
        locale: string;
        submitted_at: Date | null;
        name: string | null;
        email: string | null;
      }[]
    >(
      `SELECT r.answers, r.stakeholder_type, r.territory_type, r.locale, r.submitted_at, i.name, i.email
         FROM survey_responses r LEFT JOIN survey_invitations i ON i.id = r.invitation_id
        WHERE r.survey_id = $1 AND ($2::text IS NULL OR r.stakeholder_type = $2)
          AND ($3::text IS NULL OR r.territory_type = $3)
        ORDER BY r.id`,
      [survey.id, filters.stakeholderType ?? null, filters.territoryType ?? null],
    );
    const label = (q: SurveyQuestion) => (lang === 'en' ? q.labelEn : q.labelFr);
    const columns = [
      ...(survey.anonymous ? [] : ['name', 'email', 'submitted_at']),
      'stakeholder_type',
      'territory_type',
      'locale',
    ];
    const cells: ((answers: Record<string, unknown>) => string | number | null)[] = [];
    for (const q of questions) {
      if (q.kind === K.WorkshopMatrix) {
        for (const w of survey.workshops) {
          columns.push(`${label(q)} — ${lang === 'en' ? w.titleEn : w.titleFr}`);
          cells.push((a) => {
            const v = (a[q.key] as Record<string, number> | undefined)?.[w.id];
            return v ?? null;
          });
        }
        continue;
      }
      columns.push(label(q));
      cells.push((a) => {
        const v = a[q.key];
        if (v === undefined || v === null) return null;
        const optionLabel = (key: unknown) => {
          const option = q.options.find((o) => o.key === key);
          return option ? (lang === 'en' ? option.en : option.fr) : String(key);
        };
        if (q.kind === K.MultipleChoice && Array.isArray(v)) return v.map(optionLabel).join('; ');
        if (q.kind === K.SingleChoice) return optionLabel(v);
        return typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v);
      });
    }
    return {
      columns,
      rows: rows.map((r) => [
        ...(survey.anonymous
          ? []
          : [r.name, r.email, r.submitted_at ? r.submitted_at.toISOString() : null]),
        r.stakeholder_type,
        r.territory_type,
        r.locale,
        ...cells.map((cell) => cell(r.answers)),
      ]),
    };
  }

  private async rates(em: EntityManager, surveyId: string): Promise<ResponseRates> {
    const rows = await em.query<
      { s: string | null; t: string | null; invited: number; answered: number }[]
    >(
      `SELECT stakeholder_type AS s, territory_type AS t, count(*)::int AS invited,
              count(*) FILTER (WHERE answered)::int AS answered
         FROM survey_invitations WHERE survey_id = $1
        GROUP BY GROUPING SETS ((), (stakeholder_type), (territory_type))`,
      [surveyId],
    );
    const row = (key: string, invited: number, answered: number): RateRow => ({
      key,
      invited,
      answered,
      rate: invited > 0 ? answered / invited : null,
    });
    const overall = rows.find((r) => r.s === null && r.t === null);
    return {
      overall: row('all', overall?.invited ?? 0, overall?.answered ?? 0),
      byStakeholder: rows
        .filter((r) => r.s !== null)
        .map((r) => row(r.s!, r.invited, r.answered))
        .sort((a, b) => a.key.localeCompare(b.key)),
      byTerritory: rows
        .filter((r) => r.t !== null)
        .map((r) => row(r.t!, r.invited, r.answered))
        .sort((a, b) => a.key.localeCompare(b.key)),
    };
  }

  private async previous(em: EntityManager, edition: Edition): Promise<SurveyResults['previous']> {
    const previous = await previousEdition(em, edition);
    if (!previous) return null;
    const [survey] = await em.query<{ id: string }[]>(
      'SELECT id FROM surveys WHERE edition_id = $1',
      [previous.id],
    );
    return survey ? { edition: previous, rates: await this.rates(em, survey.id) } : null;
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function bar(key: string, labelFr: string, labelEn: string, count: number, total: number): Bar {
  return { key, labelFr, labelEn, count, share: total > 0 ? count / total : 0 };
}

/** Mean and median of a distribution given as (value, count) pairs. */
export function stats(pairs: [number, number][]): { mean: number | null; median: number | null } {
  const total = pairs.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return { mean: null, median: null };
  const mean = pairs.reduce((sum, [v, n]) => sum + v * n, 0) / total;
  const at = (rank: number) => {
    let seen = 0;
    for (const [v, n] of pairs) {
      seen += n;
      if (seen > rank) return v;
    }
    return pairs[pairs.length - 1][0];
  };
  const median = total % 2 === 1 ? at((total - 1) / 2) : (at(total / 2 - 1) + at(total / 2)) / 2;
  return { mean, median };
}

/** Net Promoter Score: 9–10 promote, 7–8 are passive, 0–6 detract. */
export function npsOf(pairs: [number, number][]): NpsScore | null {
  const total = pairs.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const sum = (test: (v: number) => boolean) =>
    pairs.filter(([v]) => test(v)).reduce((s, [, n]) => s + n, 0);
  const promoters = sum((v) => v >= 9);
  const detractors = sum((v) => v <= 6);
  return {
    score: Math.round(((promoters - detractors) / total) * 100),
    promoters,
    passives: total - promoters - detractors,
    detractors,
  };
}
