import { ProposalState } from '../proposal.entity';
import { StakeholderType, TerritoryType } from '../proposal-speaker.entity';

export const PROPOSAL_SORTS = ['submitted', 'title', 'score', 'reviews', 'spread'] as const;
export type ProposalSort = (typeof PROPOSAL_SORTS)[number];

/** The states organisers and reviewers see: drafts are the contributors' own unfinished work. */
export const LISTED_STATES: readonly ProposalState[] = [
  ProposalState.Submitted,
  ProposalState.Accepted,
  ProposalState.Confirmed,
  ProposalState.Backup,
  ProposalState.Rejected,
  ProposalState.Withdrawn,
];

export const PROPOSALS_PER_PAGE = 50;

/** What the organisers' and reviewers' list is narrowed and ordered by. */
export interface ProposalFilters {
  state?: ProposalState;
  format?: string;
  theme?: string;
  stakeholder?: StakeholderType;
  territory?: TerritoryType;
  scoreMin?: number;
  scoreMax?: number;
  reviewed?: 'yes' | 'no';
  assigned?: 'me';
  q?: string;
  sort: ProposalSort;
  dir: 'asc' | 'desc';
  page: number;
  perPage: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined | null {
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' && (allowed as readonly string[]).includes(value)
    ? (value as T)
    : null;
}

function numberIn(value: unknown, min: number, max: number): number | undefined | null {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return typeof value !== 'object' && Number.isFinite(n) && n >= min && n <= max ? n : null;
}

/**
 * Reads the list's query string; every bad value is named (`{ field: [message] }`) rather than
 * ignored, so a mistyped link does not silently show another list.
 */
export function parseProposalFilters(raw: Record<string, unknown>): {
  filters: ProposalFilters;
  errors: Record<string, string[]>;
} {
  const errors: Record<string, string[]> = {};
  const bad = (field: string, message: string) => (errors[field] = [message]);
  const filters: ProposalFilters = { sort: 'submitted', dir: 'desc', page: 1, perPage: 50 };

  const state = oneOf(raw.state, LISTED_STATES);
  if (state === null) bad('state', `state must be one of ${LISTED_STATES.join(', ')}`);
  else filters.state = state;
  const stakeholder = oneOf(raw.stakeholder, Object.values(StakeholderType));
  if (stakeholder === null) bad('stakeholder', 'stakeholder is not a stakeholder type');
  else filters.stakeholder = stakeholder;
  const territory = oneOf(raw.territory, Object.values(TerritoryType));
  if (territory === null) bad('territory', 'territory must be urban, periurban or rural');
  else filters.territory = territory;
  const reviewed = oneOf(raw.reviewed, ['yes', 'no'] as const);
  if (reviewed === null) bad('reviewed', 'reviewed must be yes or no');
  else filters.reviewed = reviewed;
  const assigned = oneOf(raw.assigned, ['me'] as const);
  if (assigned === null) bad('assigned', 'assigned must be me');
  else filters.assigned = assigned;
  const sort = oneOf(raw.sort, PROPOSAL_SORTS);
  if (sort === null) bad('sort', `sort must be one of ${PROPOSAL_SORTS.join(', ')}`);
  else if (sort) filters.sort = sort;
  const dir = oneOf(raw.dir, ['asc', 'desc'] as const);
  if (dir === null) bad('dir', 'dir must be asc or desc');
  else if (dir) filters.dir = dir;
  else if (sort === 'title') filters.dir = 'asc';

  if (raw.format !== undefined && raw.format !== '') {
    if (typeof raw.format === 'string' && raw.format.length <= 60) filters.format = raw.format;
    else bad('format', 'format must be a format key');
  }
  if (raw.theme !== undefined && raw.theme !== '') {
    if (typeof raw.theme === 'string' && UUID.test(raw.theme)) filters.theme = raw.theme;
    else bad('theme', 'theme must be a theme id');
  }
  if (raw.q !== undefined && raw.q !== '') {
    if (typeof raw.q === 'string' && raw.q.length <= 200) {
      if (raw.q.trim()) filters.q = raw.q.trim();
    } else bad('q', 'q must be a text of at most 200 characters');
  }
  for (const field of ['scoreMin', 'scoreMax'] as const) {
    const n = numberIn(raw[field], 0, 5);
    if (n === null) bad(field, `${field} must be a number from 0 to 5`);
    else if (n !== undefined) filters[field] = n;
  }
  const page = numberIn(raw.page, 1, 100_000);
  if (page === null || (page !== undefined && !Number.isInteger(page)))
    bad('page', 'page must be a whole number from 1');
  else if (page) filters.page = page;
  const perPage = numberIn(raw.perPage, 1, 200);
  if (perPage === null || (perPage !== undefined && !Number.isInteger(perPage)))
    bad('perPage', 'perPage must be a whole number from 1 to 200');
  else if (perPage) filters.perPage = perPage;
  return { filters, errors };
}

/** `%` and `_` typed by someone searching are letters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const ORDER: Record<ProposalSort, string> = {
  submitted: 'm.submitted_at',
  title: 'lower(m.title)',
  score: 'm.mean',
  reviews: 'm.review_count',
  spread: 'm.spread',
};

export interface ProposalListQuery {
  sql: string;
  params: unknown[];
}

/**
 * The organisers' and reviewers' list as ONE statement: the page's rows with their review
 * aggregates (mean of the reviews' weighted scores, spread = highest − lowest score, count,
 * reviewed by me, assigned to me), the number of matching proposals and the count per state
 * (matching every filter but the state). Speakers are only reached through EXISTS, so the cost
 * does not grow with the page size. `searchSpeakers` is off in blind review.
 */
export function proposalListQuery(
  editionId: string,
  actorId: string,
  filters: ProposalFilters,
  options: { searchSpeakers: boolean },
): ProposalListQuery {
  const params: unknown[] = [editionId, actorId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const where: string[] = [`p.edition_id = $1`, `p.state <> 'draft'`];
  if (filters.format)
    where.push(
      `p.format_id IN (SELECT id FROM call_formats WHERE edition_id = $1 AND key = ${param(filters.format)})`,
    );
  if (filters.theme) where.push(`p.theme_id = ${param(filters.theme)}`);
  if (filters.stakeholder)
    where.push(
      `EXISTS (SELECT 1 FROM proposal_speakers s WHERE s.proposal_id = p.id AND s.stakeholder_type = ${param(filters.stakeholder)})`,
    );
  if (filters.territory)
    where.push(
      `EXISTS (SELECT 1 FROM proposal_speakers s WHERE s.proposal_id = p.id AND s.territory_type = ${param(filters.territory)})`,
    );
  if (filters.q) {
    const like = param(likePattern(filters.q));
    const speakers = options.searchSpeakers
      ? ` OR EXISTS (SELECT 1 FROM proposal_speakers s WHERE s.proposal_id = p.id AND s.name ILIKE ${like})`
      : '';
    where.push(`(p.title ILIKE ${like} OR p.abstract ILIKE ${like}${speakers})`);
  }
  const outer: string[] = [];
  if (filters.scoreMin !== undefined) outer.push(`mean >= ${param(filters.scoreMin)}`);
  if (filters.scoreMax !== undefined) outer.push(`mean <= ${param(filters.scoreMax)}`);
  if (filters.reviewed === 'yes') outer.push(`reviewed_by_me`);
  if (filters.reviewed === 'no') outer.push(`NOT reviewed_by_me`);
  if (filters.assigned === 'me') outer.push(`assigned_to_me`);
  const stateFilter = filters.state ? `state = ${param(filters.state)}` : 'true';
  const limit = param(filters.perPage);
  const offset = param((filters.page - 1) * filters.perPage);
  const dir = filters.dir === 'asc' ? 'ASC' : 'DESC';
  // Ties (e.g. proposals without a score) go newest first, then by id: a stable order to page by.
  const order = `${ORDER[filters.sort]} ${dir} NULLS LAST, m.submitted_at DESC NULLS LAST, m.id DESC`;

  const sql = `
WITH aggregates AS (
  SELECT rv.proposal_id, round(avg(rv.score), 3) AS mean,
         max(rv.score) - min(rv.score) AS spread, count(*) AS n,
         bool_or(rv.reviewer_id = $2) AS mine
    FROM reviews rv WHERE rv.edition_id = $1 GROUP BY rv.proposal_id
),
assigned AS (
  SELECT proposal_id FROM review_assignments WHERE edition_id = $1 AND reviewer_id = $2
),
listed AS MATERIALIZED (
  SELECT p.id, p.title, p.state, p.pending_decision, p.submitted_at, p.format_id, p.theme_id,
         r.mean, r.spread, coalesce(r.n, 0)::int AS review_count,
         coalesce(r.mine, false) AS reviewed_by_me, a.proposal_id IS NOT NULL AS assigned_to_me
    FROM proposals p
    LEFT JOIN aggregates r ON r.proposal_id = p.id
    LEFT JOIN assigned a ON a.proposal_id = p.id
   WHERE ${where.join('\n     AND ')}
),
matching AS (
  SELECT * FROM listed WHERE ${outer.length > 0 ? outer.join(' AND ') : 'true'}
),
page AS (
  SELECT m.*, row_number() OVER (ORDER BY ${order}) AS ord
    FROM matching m
   WHERE ${filters.state ? `m.${stateFilter}` : 'true'}
   ORDER BY ${order}
   LIMIT ${limit} OFFSET ${offset}
)
SELECT (SELECT coalesce(json_agg(x ORDER BY x.ord), '[]'::json) FROM (
          SELECT pg.id, pg.title, pg.state, pg.pending_decision, pg.submitted_at, pg.mean,
                 pg.spread, pg.review_count, pg.reviewed_by_me, pg.assigned_to_me, pg.ord,
                 f.key AS format_key, f.name_fr AS format_name_fr, f.name_en AS format_name_en,
                 t.id AS theme_id, t.name_fr AS theme_name_fr, t.name_en AS theme_name_en
            FROM page pg
            JOIN call_formats f ON f.id = pg.format_id
            LEFT JOIN call_themes t ON t.id = pg.theme_id) x) AS rows,
       (SELECT count(*)::int FROM matching WHERE ${stateFilter}) AS total,
       (SELECT coalesce(json_object_agg(state, n), '{}'::json)
          FROM (SELECT state, count(*)::int AS n FROM matching GROUP BY state) c) AS by_state`;
  return { sql, params };
}
