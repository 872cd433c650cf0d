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

/** A group of `survey_answers` rows: question, item ('', an option, a workshop), score, single choice. */
interface AnswerGroup {
  key: string;
  item: string;
  score: number | null;
  v: string | null;
  n: number;
}

const TEXT = [K.ShortText, K.LongText];

/**
 * Results for organisers, aggregated in PostgreSQL over `survey_answers` (one narrow row per
 * answer, kept by a trigger from each response's jsonb) so 20,000 responses cost a few grouped
 * scans rather than 20,000 objects in memory. Free texts are read in response-id order (random
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
    const params = [surveyId, filters.stakeholderType ?? null, filters.territoryType ?? null];
    const keysOf = (kinds: K[]) =>
      questions.filter((q) => kinds.includes(q.kind)).map((q) => q.key);
    const [{ responses, groups, texts }, rates, previous] = await Promise.all([
      this.aggregate(em, params, keysOf([K.SingleChoice]), keysOf(TEXT)),
      this.rates(em, surveyId),
      this.previous(em, edition),
    ]);
    /** (value → count) of one question's rows of one item, by score or by option key. */
    const countsOf = (key: string, item: string, by: 'score' | 'v') => {
      const map = new Map<string, number>();
      for (const g of groups)
        if (g.key === key && g.item === item) {
          const value = String(g[by]);
          map.set(value, (map.get(value) ?? 0) + g.n);
        }
      return map;
    };
    return {
      definition,
      filters,
      responses,
      rates,
      previous,
      questions: questions.map((question) => {
        const answered = groups
          .filter((g) => g.key === question.key && g.item === '')
          .reduce((sum, g) => sum + g.n, 0);
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
            const byValue = countsOf(question.key, '', 'score');
            const scale = question.kind === K.Rating ? range(1, 5) : range(0, 10);
            result.bars = scale.map((v) =>
              bar(String(v), String(v), String(v), byValue.get(String(v)) ?? 0, answered),
            );
            const pairs = scale.map((v): [number, number] => [v, byValue.get(String(v)) ?? 0]);
            Object.assign(result, stats(pairs));
            if (question.kind === K.Nps) result.nps = npsOf(pairs);
            break;
          }
          case K.SingleChoice:
          case K.MultipleChoice: {
            const single = question.kind === K.SingleChoice;
            result.bars = question.options.map((o) => {
              const count = single
                ? (countsOf(question.key, '', 'v').get(o.key) ?? 0)
                : (groups.find((g) => g.key === question.key && g.item === o.key)?.n ?? 0);
              return bar(o.key, o.fr, o.en, count, answered);
            });
            break;
          }
          case K.ShortText:
          case K.LongText:
            result.texts = texts.filter((t) => t.key === question.key).map((t) => t.v);
            break;
          case K.WorkshopMatrix:
            result.matrix = definition.survey.workshops.map((workshop) => {
              const byValue = countsOf(question.key, workshop.id, 'score');
              const total = [...byValue.values()].reduce((sum, n) => sum + n, 0);
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

  /**
   * The whole aggregation in four set-based statements over `survey_answers`, run side by side
   * on the pool: the responses matching the filters; the rows without text grouped by question,
   * item and score (answered counts, rating and NPS distributions, options of multiple choices,
   * workshop ratings); the rows with text grouped by question and single choice's option (the
   * answered count of a text question, the options of single choices); the first TEXTS_SHOWN
   * free-text answers of each text question, in response-id (random) order. Means, medians and
   * NPS come from the distributions: a percentile_cont over the scores would sort 240,000 values
   * for the same figures.
   */
  private async aggregate(
    em: EntityManager,
    params: (string | null)[],
    choiceKeys: string[],
    textKeys: string[],
  ) {
    const filter = `a.survey_id = $1 AND ($2::text IS NULL OR a.stakeholder_type = $2)
                    AND ($3::text IS NULL OR a.territory_type = $3)`;
    const [[{ n: responses }], scored, strings, texts] = await Promise.all([
      em.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM survey_responses a WHERE ${filter}`,
        params,
      ),
      em.query<AnswerGroup[]>(
        `SELECT a.question_key AS key, a.item, a.score, NULL AS v, count(*)::int AS n
           FROM survey_answers a WHERE ${filter} AND a.text IS NULL
          GROUP BY 1, 2, 3`,
        params,
      ),
      em.query<AnswerGroup[]>(
        `SELECT a.question_key AS key, a.item, NULL AS score,
                CASE WHEN a.question_key = ANY($4) THEN a.text END AS v, count(*)::int AS n
           FROM survey_answers a WHERE ${filter} AND a.text IS NOT NULL
          GROUP BY 1, 2, 4`,
        [...params, choiceKeys],
      ),
      em.query<{ key: string; v: string }[]>(
        `SELECT k.key, t.v FROM unnest($4::text[]) WITH ORDINALITY k(key, o)
           CROSS JOIN LATERAL (
             SELECT a.text AS v FROM survey_answers a
              WHERE ${filter} AND a.question_key = k.key AND a.text IS NOT NULL
              ORDER BY a.response_id LIMIT $5) t
          ORDER BY k.o`,
        [...params, textKeys, TEXTS_SHOWN],
      ),
    ]);
    return { responses, groups: [...scored, ...strings], texts };
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
  const sum = (test: (v: number) => boolean) =>
    pairs.filter(([v]) => test(v)).reduce((s, [, n]) => s + n, 0);
  const total = sum(() => true);
  if (total === 0) return null;
  const promoters = sum((v) => v >= 9);
  const detractors = sum((v) => v <= 6);
  return {
    score: Math.round(((promoters - detractors) / total) * 100),
    promoters,
    passives: total - promoters - detractors,
    detractors,
  };
}
