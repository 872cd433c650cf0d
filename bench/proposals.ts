/**
 * `npm run bench -- proposals [count=2000] [requests=200]`: the organisers' proposal list
 * (submitted, one format, sorted by mean score, first page of 50) over `count` proposals with
 * 3 reviews each, through the real HTTP API (the api in this process, listening on a port,
 * signed in with a session cookie), beside the same SQL statement sent raw through `pg` in the
 * same run. Also the SQL statements one list request runs for page sizes 10 and 50 (counted on
 * pg's Client), which must not grow with the page size.
 * Last line: one JSON object (bench, ratio, p50_ms, p95_ms, baseline_p50_ms, baseline_p95_ms,
 * queries_per_page_10, queries_per_page_50, proposals, reviews).
 */
import { loadConfig } from '@assises/config';
import { parseProposalFilters, proposalListQuery, scoreSql } from '@assises/contributions';
import { dataSourceOptions, ensureDatabase } from '@assises/database';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApiApp } from '../apps/api/src/app.factory';
import { PasswordHasher } from '@assises/accounts';

const COUNT = Number(process.argv[3] ?? 2000);
const REQUESTS = Number(process.argv[4] ?? 200);
const DB_NAME = 'assises_bench_proposals';
const QUERY = 'state=submitted&format=atelier&sort=score&dir=desc';
const base = loadConfig({});
const dbUrl = (() => {
  const url = new URL(base.database.url);
  url.pathname = `/${DB_NAME}`;
  return url.toString();
})();

/** Every statement any pg client of this process sends (TypeORM's pool included). */
let statements = 0;
const originalQuery = Client.prototype.query;
Client.prototype.query = function countedQuery(this: Client, ...args: unknown[]) {
  statements += 1;
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof Client.prototype.query;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
const round = (n: number) => Math.round(n * 100) / 100;

async function prepareDatabase(): Promise<{ editionId: string; organiserId: string }> {
  const admin = new URL(dbUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${DB_NAME}'`,
  );
  await client.query(`DROP DATABASE IF EXISTS ${DB_NAME}`);
  await client.end();
  await ensureDatabase(dbUrl);
  const ds = new DataSource(dataSourceOptions(loadConfig({ DATABASE_URL: dbUrl })));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });

  const hash = await new PasswordHasher().hash('bench-password');
  const [edition] = await ds.query<{ id: string }[]>(
    `INSERT INTO editions (slug, title, host_city, timezone, starts_at, ends_at, status, capacity)
     VALUES ('bench-2028', 'Bench', 'Lyon', 'Europe/Paris', now() + interval '90 days',
             now() + interval '92 days', 'cfp_open', 300) RETURNING id`,
  );
  const accounts = await ds.query<{ id: string; email: string }[]>(
    `INSERT INTO accounts (email, name, password_hash, locale)
     SELECT 'person' || i || '@bench.localhost', 'Person ' || i, $1, 'fr'
       FROM generate_series(0, 3) AS i RETURNING id, email`,
    [hash],
  );
  const organiser = accounts.find((a) => a.email === 'person0@bench.localhost')!;
  const reviewers = accounts.filter((a) => a !== organiser);
  await ds.query(
    `INSERT INTO memberships (edition_id, account_id, role)
     SELECT $1, a.id, CASE WHEN a.id = $2 THEN 'organiser' ELSE 'reviewer' END
       FROM accounts a`,
    [edition.id, organiser.id],
  );
  await ds.query(
    `INSERT INTO calls (edition_id, opens_at, closes_at) VALUES ($1, now(), now() + interval '30 days')`,
    [edition.id],
  );
  const formats = await ds.query<{ id: string }[]>(
    `INSERT INTO call_formats (edition_id, key, name_fr, name_en, default_duration_minutes,
       min_speakers, max_speakers, position)
     VALUES ($1, 'atelier', 'Atelier', 'Workshop', 90, 1, 4, 0),
            ($1, 'table-ronde', 'Table ronde', 'Round table', 60, 1, 6, 1) RETURNING id`,
    [edition.id],
  );
  const themes = await ds.query<{ id: string }[]>(
    `INSERT INTO call_themes (edition_id, name_fr, name_en) VALUES ($1, 'Sobriété', 'Sobriety'),
       ($1, 'Ruralité', 'Rurality') RETURNING id`,
    [edition.id],
  );
  await ds.query(
    `INSERT INTO review_criteria (edition_id, key, name_fr, name_en, weight, position)
     VALUES ($1, 'fit', 'Adéquation', 'Fit', 2, 0), ($1, 'originality', 'Originalité', 'Originality', 1, 1),
            ($1, 'diversity', 'Diversité', 'Diversity', 1, 2), ($1, 'feasibility', 'Faisabilité', 'Feasibility', 1, 3)`,
    [edition.id],
  );
  await ds.query(
    `INSERT INTO proposals (edition_id, format_id, theme_id, title, abstract, language, state,
       manage_token_hash, submitted_at)
     SELECT $1::uuid, (ARRAY[$2::uuid, $3::uuid])[1 + i % 2], (ARRAY[$4::uuid, $5::uuid])[1 + i % 2],
            'Proposition ' || i, 'Résumé ' || i, 'fr',
            CASE WHEN i % 20 = 0 THEN 'withdrawn' ELSE 'submitted' END,
            md5(random()::text || i), now() - (i || ' minutes')::interval
       FROM generate_series(1, $6) AS i`,
    [edition.id, formats[0].id, formats[1].id, themes[0].id, themes[1].id, COUNT],
  );
  await ds.query(
    `INSERT INTO proposal_speakers (proposal_id, name, email, organisation, stakeholder_type,
       territory_type, is_submitter, position)
     SELECT p.id, 'Speaker ' || p.title || ' ' || k, md5(p.id::text || k) || '@example.org',
            'Org ' || (abs(hashtext(p.id::text)) % 50),
            (ARRAY['coworking_operator','project_holder','local_authority','company'])[1 + (abs(hashtext(p.id::text)) + k) % 4],
            (ARRAY['urban','periurban','rural'])[1 + (abs(hashtext(p.id::text)) + k) % 3], k = 0, k
       FROM proposals p, generate_series(0, 1) AS k WHERE p.edition_id = $1`,
    [edition.id],
  );
  await ds.query(
    `INSERT INTO reviews (edition_id, proposal_id, reviewer_id, scores, comment)
     SELECT $1, p.id, r.id,
            jsonb_build_object('fit', floor(random() * 6)::int, 'originality', floor(random() * 6)::int,
                               'diversity', floor(random() * 6)::int,
                               'feasibility', CASE WHEN random() < 0.2 THEN NULL ELSE floor(random() * 6)::int END),
            'Avis'
       FROM proposals p CROSS JOIN (SELECT unnest($2::uuid[]) AS id) r WHERE p.edition_id = $1`,
    [edition.id, reviewers.map((r) => r.id)],
  );
  await ds.query(
    `UPDATE reviews r SET score = ${scoreSql('r.scores', 'r.edition_id')} WHERE r.edition_id = $1`,
    [edition.id],
  );
  await ds.query('ANALYZE');
  await ds.destroy();
  return { editionId: edition.id, organiserId: organiser.id };
}

async function main(): Promise<void> {
  console.log(`preparing ${COUNT} proposals with 3 reviews each in ${DB_NAME}…`);
  const { editionId, organiserId } = await prepareDatabase();
  const config = loadConfig({
    DATABASE_URL: dbUrl,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `bench_${randomBytes(3).toString('hex')}`,
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  const login = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email: 'person0@bench.localhost', password: 'bench-password' }),
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  const cookie = (login.headers.getSetCookie?.() ?? [])
    .map((line) => line.split(';')[0])
    .join('; ');

  const httpOnce = async (query: string): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${origin}/api/v1/editions/bench-2028/proposals?${query}`, {
      headers: { cookie, accept: 'application/json' },
    });
    const body = (await res.json()) as { items: unknown[] };
    const elapsed = performance.now() - started;
    if (res.status !== 200 || body.items.length === 0)
      throw new Error(`list answered ${res.status}`);
    return elapsed;
  };

  const raw = new Client({ connectionString: dbUrl });
  await raw.connect();
  const { filters } = parseProposalFilters(Object.fromEntries(new URLSearchParams(QUERY)));
  const sql = proposalListQuery(editionId, organiserId, filters, { searchSpeakers: true });
  const rawOnce = async (): Promise<number> => {
    const started = performance.now();
    const result = await raw.query(sql.sql, sql.params);
    const elapsed = performance.now() - started;
    if ((result.rows[0] as { rows: unknown[] }).rows.length === 0) throw new Error('no rows');
    return elapsed;
  };

  const queriesFor = async (perPage: number): Promise<number> => {
    await httpOnce(`${QUERY}&perPage=${perPage}`); // warm
    const before = statements;
    await httpOnce(`${QUERY}&perPage=${perPage}`);
    return statements - before;
  };

  for (let i = 0; i < 20; i += 1) {
    await httpOnce(QUERY);
    await rawOnce();
  }
  const http: number[] = [];
  const baseline: number[] = [];
  // Alternate blocks of ten so both see the same machine load.
  for (let block = 0; block < REQUESTS / 10; block += 1) {
    for (let i = 0; i < 10; i += 1) http.push(await httpOnce(QUERY));
    for (let i = 0; i < 10; i += 1) baseline.push(await rawOnce());
  }
  const queries10 = await queriesFor(10);
  const queries50 = await queriesFor(50);
  const raw10 = proposalListQuery(
    editionId,
    organiserId,
    { ...filters, perPage: 10 },
    { searchSpeakers: true },
  );
  await raw.end();
  await app.close();

  const result = {
    bench: 'proposals',
    proposals: COUNT,
    reviews: COUNT * 3,
    requests: REQUESTS,
    p50_ms: round(percentile(http, 50)),
    p95_ms: round(percentile(http, 95)),
    baseline_p50_ms: round(percentile(baseline, 50)),
    baseline_p95_ms: round(percentile(baseline, 95)),
    ratio: round(percentile(http, 50) / percentile(baseline, 50)),
    queries_per_page_10: queries10,
    queries_per_page_50: queries50,
  };
  console.log(
    `list over HTTP (${REQUESTS} requests, ${QUERY}, 50 a page): p50 ${result.p50_ms} ms, p95 ${result.p95_ms} ms (target p95 < 100 ms)`,
  );
  console.log(
    `same statement raw through pg: p50 ${result.baseline_p50_ms} ms, p95 ${result.baseline_p95_ms} ms; ratio (p50) ${result.ratio}`,
  );
  console.log(
    `SQL statements per list request: ${queries10} for 10 a page, ${queries50} for 50 a page (the list itself is ${raw10.sql ? 1 : 0} statement)`,
  );
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
