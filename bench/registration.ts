/**
 * `npm run bench -- registration [attempts] [concurrency] [seats]`: 2,000 registration attempts
 * at concurrency 64 for 300 seats over HTTP, against the api running as 2 processes (requests
 * alternate between them); beside it, in the same run, the raw `pg` rate of the same transaction
 * (take a seat with the conditional update, else lock and queue; insert the registration).
 * Prints registrations per second, p50/p99 latency, the confirmed count (must equal the seats).
 * Last line: one JSON object (bench, ratio, registrations_per_second, baseline, p50_ms, p99_ms,
 * confirmed, waiting, errors_5xx).
 */
import { loadConfig } from '@assises/config';
import { dataSourceOptions, ensureDatabase } from '@assises/database';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';

const ATTEMPTS = Number(process.argv[3] ?? 2000);
const CONCURRENCY = Number(process.argv[4] ?? 64);
const SEATS = Number(process.argv[5] ?? 300);
const DIST = join(__dirname, '..');
const base = loadConfig({});
const dbUrl = (() => {
  const url = new URL(base.database.url);
  url.pathname = '/assises_bench_registration';
  return url.toString();
})();
const prefix = `bench_${randomBytes(3).toString('hex')}`;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function prepareDatabase(): Promise<void> {
  const admin = new URL(dbUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'assises_bench_registration'`,
  );
  await client.query('DROP DATABASE IF EXISTS assises_bench_registration');
  await client.end();
  await ensureDatabase(dbUrl);
  const ds = new DataSource(dataSourceOptions(loadConfig({ DATABASE_URL: dbUrl })));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}

/** An edition open for registration with `SEATS` seats and a participant category. */
async function edition(db: Client, slug: string): Promise<{ id: string; categoryId: string }> {
  const {
    rows: [{ id }],
  } = await db.query<{ id: string }>(
    `INSERT INTO editions (slug, title, host_city, starts_at, ends_at, status, capacity)
     VALUES ($1, 'Bench', 'Lyon', now() + interval '30 days', now() + interval '31 days',
             'registration_open', $2) RETURNING id`,
    [slug, SEATS],
  );
  await db.query(
    `INSERT INTO registration_settings (edition_id, opens_at, closes_at, seats_left, reminder_days)
     VALUES ($1, now() - interval '1 day', now() + interval '20 days', $2, '[]')`,
    [id, SEATS],
  );
  const {
    rows: [category],
  } = await db.query<{ id: string }>(
    `INSERT INTO ticket_categories (edition_id, key, name_fr, name_en)
     VALUES ($1, 'participant', 'Participant', 'Participant') RETURNING id`,
    [id],
  );
  return { id, categoryId: category.id };
}

async function startApi(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(DIST, 'apps/api/src/main.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('api did not start')), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (/listening/.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('exit', (code) => reject(new Error(`api exited with ${code}`)));
  });
  return child;
}

/** Runs `count` tasks, `concurrency` at a time; returns each task's latency in ms. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await task(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** The same transaction as RegistrationService.register, in raw SQL through one pg pool. */
async function baseline(db: Client): Promise<number> {
  const { id, categoryId } = await edition(db, 'bench-raw');
  const pg = new Pool({ connectionString: dbUrl, max: 20 });
  const started = performance.now();
  await pool(ATTEMPTS, CONCURRENCY, async (i) => {
    const client = await pg.connect();
    try {
      await client.query('BEGIN');
      const take = async () => {
        const seat = await client.query(
          `UPDATE registration_settings SET seats_left = seats_left - 1
            WHERE edition_id = $1 AND seats_left > 0 RETURNING seats_left`,
          [id],
        );
        if (seat.rowCount === 0) return false;
        await client.query(
          `UPDATE ticket_categories SET seats_left = seats_left - 1
            WHERE id = $1 AND (seats_left IS NULL OR seats_left > 0) RETURNING id`,
          [categoryId],
        );
        return true;
      };
      let seated = await take();
      if (!seated) {
        await client.query('SELECT 1 FROM registration_settings WHERE edition_id = $1 FOR UPDATE', [
          id,
        ]);
        seated = await take();
      }
      await client.query(
        `INSERT INTO registrations (id, edition_id, category_id, state, name, email, stakeholder_type,
           territory_type, privacy_notice_version, privacy_consented_at, manage_token_hash, check_in_code)
         VALUES ($1, $2, $3, $4, 'Bench', $5, 'other', 'urban', '1', now(), $6, $7)`,
        [
          randomUUID(),
          id,
          categoryId,
          seated ? 'confirmed' : 'waiting',
          `raw-${i}@bench.test`,
          randomBytes(16).toString('hex'),
          randomBytes(8).toString('hex'),
        ],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  });
  const seconds = (performance.now() - started) / 1000;
  await pg.end();
  return ATTEMPTS / seconds;
}

async function main(): Promise<void> {
  await prepareDatabase();
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  const raw = await baseline(db);
  const { id } = await edition(db, 'bench-http');

  const ports = [await freePort(), await freePort()];
  const apis = await Promise.all(
    ports.map((port) =>
      startApi({
        DATABASE_URL: dbUrl,
        DATABASE_POOL_SIZE: '20',
        REDIS_URL: base.redis.url,
        QUEUE_PREFIX: prefix,
        PORT: String(port),
        PUBLIC_URL: `http://localhost:${port}`,
        LOG_LEVEL: 'warn',
        TRUST_PROXY: 'true',
        RATE_LIMIT_PER_MINUTE: '1000000',
      }),
    ),
  );
  let errors5xx = 0;
  let otherErrors = 0;
  const started = performance.now();
  const latencies = await pool(ATTEMPTS, CONCURRENCY, async (i) => {
    const res = await fetch(
      `http://127.0.0.1:${ports[i % 2]}/api/v1/editions/bench-http/registrations`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          // One client address per attempt: the form is limited to 10 a minute per address.
          'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        },
        body: JSON.stringify({
          name: `Bench ${i}`,
          email: `http-${i}@bench.test`,
          stakeholderType: 'company',
          territoryType: 'urban',
          privacyConsent: true,
        }),
      },
    );
    await res.arrayBuffer();
    if (res.status >= 500) errors5xx += 1;
    else if (res.status !== 201) otherErrors += 1;
  });
  const seconds = (performance.now() - started) / 1000;
  const rate = ATTEMPTS / seconds;
  const counts = await db.query<{ state: string; n: string }>(
    `SELECT state, count(*) AS n FROM registrations WHERE edition_id = $1 GROUP BY state`,
    [id],
  );
  const by = Object.fromEntries(counts.rows.map((r) => [r.state, Number(r.n)]));
  for (const api of apis) api.kill('SIGTERM');
  await Promise.all(apis.map((api) => new Promise((r) => api.once('exit', r))));
  await db.end();

  const p50 = pct(latencies, 50);
  const p99 = pct(latencies, 99);
  console.log(`raw pg, same transaction (baseline): ${raw.toFixed(0)} registrations/s`);
  console.log(
    `assises over HTTP, 2 api processes: ${rate.toFixed(0)} registrations/s (ratio ${(rate / raw).toFixed(2)}, target ≥ 0.35)`,
  );
  console.log(`latency p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms (target p99 < 250 ms)`);
  console.log(
    `confirmed ${by.confirmed ?? 0} (must be ${SEATS}), waiting ${by.waiting ?? 0}, 5xx ${errors5xx}, other refusals ${otherErrors}`,
  );
  console.log(
    JSON.stringify({
      bench: 'registration',
      ratio: Number((rate / raw).toFixed(3)),
      attempts: ATTEMPTS,
      concurrency: CONCURRENCY,
      seats: SEATS,
      registrations_per_second: Math.round(rate),
      baseline_registrations_per_second: Math.round(raw),
      p50_ms: Math.round(p50),
      p99_ms: Math.round(p99),
      confirmed: by.confirmed ?? 0,
      waiting: by.waiting ?? 0,
      errors_5xx: errors5xx,
    }),
  );
  if ((by.confirmed ?? 0) !== SEATS) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
