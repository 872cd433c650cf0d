/**
 * `npm run bench -- survey-results [responses=20000] [rounds=5]`: the time to compute the
 * results page's data (SurveyResultsService.resultsOf) for 25 questions, beside the same
 * aggregation written as raw SQL through `pg`, in the same run.
 */
import { loadConfig } from '@assises/config';
import { dataSourceOptions, ensureDatabase, TransactionRunner } from '@assises/database';
import { Edition } from '@assises/editions';
import { SurveyBuilderService, SurveyResultsService } from '@assises/surveys';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../apps/cli/src/entities';

const RESPONSES = Number(process.argv[3] ?? 20_000);
const ROUNDS = Number(process.argv[4] ?? 5);
const DB = 'assises_bench_surveys';
const base = loadConfig({});
const dbUrl = (() => {
  const url = new URL(base.database.url);
  url.pathname = `/${DB}`;
  return url.toString();
})();

/** 25 questions: 8 ratings, 2 NPS, 5 single and 4 multiple choices, 5 long texts, 1 matrix. */
const KINDS = [
  ...Array<string>(8).fill('rating'),
  ...Array<string>(2).fill('nps'),
  ...Array<string>(5).fill('single_choice'),
  ...Array<string>(4).fill('multiple_choice'),
  ...Array<string>(5).fill('long_text'),
  'workshop_matrix',
];
const OPTIONS = ['a', 'b', 'c', 'd', 'e'].map((key) => ({ key, fr: key, en: key }));
const WORKSHOPS = ['w1', 'w2', 'w3', 'w4'].map((id) => ({ id, titleFr: id, titleEn: id }));

async function prepare(): Promise<{ ds: DataSource; edition: Edition; surveyId: string }> {
  const admin = new URL(dbUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [
    DB,
  ]);
  await client.query(`DROP DATABASE IF EXISTS ${DB}`);
  await client.end();
  await ensureDatabase(dbUrl);
  const ds = new DataSource(dataSourceOptions(loadConfig({ DATABASE_URL: dbUrl }), ENTITIES));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  const [edition] = await ds.query<{ id: string }[]>(
    `INSERT INTO editions (slug, title, host_city, starts_at, ends_at, capacity)
     VALUES ('bench', 'Bench', 'Lyon', now() - interval '2 days', now() - interval '1 day', 500)
     RETURNING id`,
  );
  const [survey] = await ds.query<{ id: string }[]>(
    `INSERT INTO surveys (edition_id, opens_at, closes_at, workshops)
     VALUES ($1, now() - interval '1 day', now() + interval '20 days', $2) RETURNING id`,
    [edition.id, JSON.stringify(WORKSHOPS)],
  );
  const [section] = await ds.query<{ id: string }[]>(
    `INSERT INTO survey_sections (survey_id, title_fr, title_en) VALUES ($1, 'S', 'S') RETURNING id`,
    [survey.id],
  );
  for (const [i, kind] of KINDS.entries()) {
    await ds.query(
      `INSERT INTO survey_questions (survey_id, section_id, key, kind, label_fr, label_en, options, position)
       VALUES ($1, $2, $3, $4, $3, $3, $5, $6)`,
      [
        survey.id,
        section.id,
        `q${i}`,
        kind,
        JSON.stringify(kind.endsWith('choice') ? OPTIONS : []),
        i,
      ],
    );
  }
  // Answers built in SQL: every question answered by most respondents.
  const parts = KINDS.map((kind, i) => {
    const key = `'q${i}'`;
    switch (kind) {
      case 'rating':
        return `${key}, 1 + floor(random() * 5)::int`;
      case 'nps':
        return `${key}, floor(random() * 11)::int`;
      case 'single_choice':
        return `${key}, (ARRAY['a','b','c','d','e'])[1 + floor(random() * 5)::int]`;
      case 'multiple_choice':
        return `${key}, to_jsonb(ARRAY(SELECT o FROM unnest(ARRAY['a','b','c','d','e']) o WHERE random() < 0.4 AND g > 0))`;
      case 'long_text':
        return `${key}, 'Réponse libre numéro ' || g || ' à la question ${i}'`;
      default:
        return `${key}, jsonb_build_object('w1', 1 + floor(random() * 5)::int, 'w3', 1 + floor(random() * 5)::int)`;
    }
  });
  await ds.query(
    `INSERT INTO survey_responses (survey_id, answers, stakeholder_type, territory_type)
     SELECT $1, jsonb_build_object(${parts.join(', ')}),
            (ARRAY['coworking_operator','local_authority','company','other'])[1 + g % 4],
            (ARRAY['urban','periurban','rural'])[1 + g % 3]
       FROM generate_series(1, $2::int) g`,
    [survey.id, RESPONSES],
  );
  // As autovacuum leaves a table some time after a bulk load: statistics and visibility map.
  await ds.query('VACUUM ANALYZE');
  return {
    ds,
    edition: await ds.manager.findOneByOrFail(Edition, { id: edition.id }),
    surveyId: survey.id,
  };
}

/**
 * The baseline: the same aggregation as the service (responses, answer rows grouped by
 * question, item and score, text rows grouped by single choice, the first 200 texts per
 * question) in one raw SQL statement through one pg Client: no ORM, no survey definition to
 * read, no shaping into bars, means, medians and NPS.
 */
const BASELINE_SQL = `
  SELECT 'responses' AS part, NULL AS key, NULL AS item, NULL::int AS score, NULL AS v,
         count(*)::int AS n FROM survey_responses WHERE survey_id = $1
  UNION ALL
  SELECT 'scored', question_key, item, score, NULL, count(*)::int
    FROM survey_answers WHERE survey_id = $1 AND text IS NULL GROUP BY question_key, item, score
  UNION ALL
  SELECT 'strings', question_key, item, NULL, CASE WHEN question_key = ANY($2) THEN text END,
         count(*)::int
    FROM survey_answers WHERE survey_id = $1 AND text IS NOT NULL GROUP BY question_key, item, 5
  UNION ALL
  SELECT 'text', k.key, NULL, NULL, t.text, NULL
    FROM unnest($3::text[]) k(key) CROSS JOIN LATERAL (
      SELECT text FROM survey_answers
       WHERE survey_id = $1 AND question_key = k.key AND text IS NOT NULL
       ORDER BY response_id LIMIT 200) t`;

const median = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const { ds, edition, surveyId } = await prepare();
  const runner = new TransactionRunner(ds);
  const results = new SurveyResultsService(
    runner,
    null as never,
    new SurveyBuilderService(runner, null as never, null as never),
  );
  const pg = new Client({ connectionString: dbUrl });
  await pg.connect();
  const keysOf = (kinds: string[]) =>
    KINDS.map((k, i) => [k, `q${i}`])
      .filter(([k]) => kinds.includes(k))
      .map(([, key]) => key);
  const args = [surveyId, keysOf(['single_choice']), keysOf(['long_text'])];
  // Warm-up: plans and caches for both.
  await results.resultsOf(edition);
  await pg.query(BASELINE_SQL, args);
  const assises: number[] = [];
  const baseline: number[] = [];
  let responses = 0;
  for (let round = 1; round <= ROUNDS; round += 1) {
    let start = performance.now();
    await pg.query(BASELINE_SQL, args);
    baseline.push(performance.now() - start);
    start = performance.now();
    const data = await results.resultsOf(edition);
    assises.push(performance.now() - start);
    responses = data.responses;
    console.log(
      `round ${round}: baseline ${baseline.at(-1)!.toFixed(0)} ms, assises ${assises.at(-1)!.toFixed(0)} ms`,
    );
  }
  const ms = median(assises);
  const baselineMs = median(baseline);
  const ratio = baselineMs / ms;
  console.log(`raw SQL through pg (baseline, median of ${ROUNDS}): ${baselineMs.toFixed(0)} ms`);
  console.log(
    `SurveyResultsService.resultsOf (median of ${ROUNDS}): ${ms.toFixed(0)} ms for ${responses} responses × ${KINDS.length} questions (target < 300 ms; ratio ${ratio.toFixed(2)}, target ≥ 0.5)`,
  );
  await pg.end();
  await ds.destroy();
  console.log(
    JSON.stringify({
      bench: 'survey-results',
      ratio: Number(ratio.toFixed(3)),
      responses,
      questions: KINDS.length,
      rounds: ROUNDS,
      results_ms: Math.round(ms),
      baseline_ms: Math.round(baselineMs),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
