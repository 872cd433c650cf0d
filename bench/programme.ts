/**
 * `npm run bench -- programme [seconds=10] [concurrency=64] [rounds=3]`: the public programme
 * JSON of 300 sessions (GET /api/v1/editions/:slug/programme, cached bytes with ETag) from the
 * real api process, beside a plain Node `http` server serving the same bytes from a process of
 * its own, at the same concurrency in the same run (rounds alternate; medians compared). The
 * load comes from a third process (bench/_http-load.ts). Last line: one JSON object (bench,
 * ratio, rps, p99_ms, baseline figures).
 */
import { loadConfig } from '@assises/config';
import { dataSourceOptions, ensureDatabase } from '@assises/database';
import { Edition, EditionStatus } from '@assises/editions';
import {
  buildSnapshot,
  changelog,
  InterestRegistry,
  ProgrammeLoader,
  ScheduleVersion,
} from '@assises/programme';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../apps/cli/src/entities';

const SECONDS = Number(process.argv[3] ?? 10);
const CONCURRENCY = Number(process.argv[4] ?? 64);
const ROUNDS = Number(process.argv[5] ?? 3);
const SESSIONS = 300;
const DIST = join(__dirname, '..');
const base = loadConfig({});
const dbUrl = (() => {
  const url = new URL(base.database.url);
  url.pathname = '/assises_bench_programme';
  return url.toString();
})();
const prefix = `bench_${randomBytes(3).toString('hex')}`;
const SLUG = 'bench-2027';

async function prepare(): Promise<void> {
  const admin = new URL(dbUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'assises_bench_programme'`,
  );
  await client.query('DROP DATABASE IF EXISTS assises_bench_programme');
  await client.end();
  await ensureDatabase(dbUrl);
  const ds = new DataSource(dataSourceOptions(loadConfig({ DATABASE_URL: dbUrl }), ENTITIES));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  const [{ id: editionId }] = await ds.query<{ id: string }[]>(
    `INSERT INTO editions (slug, title, host_city, starts_at, ends_at, status, capacity)
     VALUES ($1, 'Assises bench', 'Lyon', '2027-02-03T08:00:00Z', '2027-02-05T17:00:00Z', $2, 2000)
     RETURNING id`,
    [SLUG, EditionStatus.Announced],
  );
  const rooms: string[] = [];
  for (let r = 0; r < 12; r += 1) {
    const [{ id }] = await ds.query<{ id: string }[]>(
      `INSERT INTO rooms (edition_id, name, capacity, position) VALUES ($1, $2, $3, $4) RETURNING id`,
      [editionId, `Salle ${r + 1}`, 30 + r * 20, r],
    );
    rooms.push(id);
  }
  for (let i = 0; i < SESSIONS; i += 1) {
    const day = Math.floor(i / 100);
    const slot = Math.floor((i % 100) / 12);
    const start = new Date(Date.UTC(2027, 1, 3 + day, 8 + slot));
    const [{ id }] = await ds.query<{ id: string }[]>(
      `INSERT INTO programme_sessions (edition_id, title, abstract, kind, duration_minutes, room_id, starts_at)
       VALUES ($1, $2, $3, 'workshop', 60, $4, $5) RETURNING id`,
      [
        editionId,
        `Atelier ${i + 1} : coworking et territoires`,
        'Un résumé de quelques lignes. '.repeat(6),
        rooms[i % 12],
        start,
      ],
    );
    await ds.query(
      `INSERT INTO programme_session_speakers (session_id, name, organisation, bio) VALUES ($1, $2, 'Réseau', 'Bio courte.')`,
      [id, `Intervenant·e ${i + 1}`],
    );
  }
  const edition = await ds.manager.findOneOrFail(Edition, { where: { id: editionId } });
  const rows = await new ProgrammeLoader(new InterestRegistry()).rows(ds.manager, edition);
  const snapshot = buildSnapshot(rows, []);
  await ds.manager.insert(ScheduleVersion, {
    editionId,
    number: 1,
    name: 'Bench',
    snapshot,
    changelog: changelog(null, snapshot),
  });
  await ds.destroy();
}

async function startApi(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(DIST, 'apps/api/src/main.js')], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: dbUrl,
      REDIS_URL: base.redis.url,
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the api did not start')), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (/listening/.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('exit', (code) => reject(new Error(`the api exited with ${code}`)));
  });
  return child;
}

function get(port: number, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(Buffer.concat(chunks))
          : reject(new Error(`status ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
  });
}

interface Load {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  errors: number;
}

/**
 * `CONCURRENCY` keep-alive connections in a loop for `seconds`, from the load generator's own
 * process (bench/_http-load.ts): requests per second and latencies.
 */
function load(port: number, path: string, bytes: number, seconds = SECONDS): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(__dirname, '_http-load.js'),
        String(port),
        path,
        String(seconds),
        String(CONCURRENCY),
        String(bytes),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Load) : reject(new Error(`load exited ${code}`)),
    );
  });
}

/** The plain Node server of bench/_plain-server.ts serving `file`; resolves with its port. */
async function startPlain(file: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(__dirname, '_plain-server.js'), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`the plain server exited with ${code}`)));
  });
  return { child, port };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  await prepare();
  const port = 20000 + Math.floor(Math.random() * 20000);
  const api = await startApi(port);
  const path = `/api/v1/editions/${SLUG}/programme`;
  const file = join(tmpdir(), `assises-bench-programme-${process.pid}.json`);
  let plain: ChildProcess | undefined;
  try {
    const bytes = await get(port, path);
    writeFileSync(file, bytes);
    const baselineServer = await startPlain(file);
    plain = baselineServer.child;
    // Warm-up of both servers (not measured), then rounds alternating baseline and api.
    await load(baselineServer.port, path, bytes.length, 3);
    await load(port, path, bytes.length, 3);
    const baselines: Load[] = [];
    const ours: Load[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      baselines.push(await load(baselineServer.port, path, bytes.length));
      ours.push(await load(port, path, bytes.length));
      console.log(
        `round ${round}: baseline ${baselines[round - 1].rps.toFixed(0)} req/s p99 ${baselines[round - 1].p99_ms.toFixed(1)} ms; assises ${ours[round - 1].rps.toFixed(0)} req/s p99 ${ours[round - 1].p99_ms.toFixed(1)} ms`,
      );
    }
    const baseline = {
      rps: median(baselines.map((l) => l.rps)),
      p99: median(baselines.map((l) => l.p99_ms)),
    };
    const assises = {
      rps: median(ours.map((l) => l.rps)),
      p99: median(ours.map((l) => l.p99_ms)),
      errors: ours.reduce((sum, l) => sum + l.errors, 0),
    };
    const ratio = assises.rps / baseline.rps;
    console.log(
      `programme JSON: ${bytes.length} bytes, ${SESSIONS} sessions, concurrency ${CONCURRENCY}, ${SECONDS} s × ${ROUNDS} rounds`,
    );
    console.log(
      `plain node http (baseline, median of ${ROUNDS}): ${baseline.rps.toFixed(0)} req/s, p99 ${baseline.p99.toFixed(1)} ms`,
    );
    console.log(
      `assises api (median of ${ROUNDS}): ${assises.rps.toFixed(0)} req/s, p99 ${assises.p99.toFixed(1)} ms, errors ${assises.errors} (ratio ${ratio.toFixed(2)}, target ≥ 0.6, p99 < 50 ms)`,
    );
    console.log(
      JSON.stringify({
        bench: 'programme',
        ratio: Number(ratio.toFixed(3)),
        bytes: bytes.length,
        sessions: SESSIONS,
        concurrency: CONCURRENCY,
        rounds: ROUNDS,
        rps: Math.round(assises.rps),
        p99_ms: Number(assises.p99.toFixed(1)),
        errors: assises.errors,
        baseline_rps: Math.round(baseline.rps),
        baseline_p99_ms: Number(baseline.p99.toFixed(1)),
      }),
    );
  } finally {
    plain?.kill('SIGTERM');
    api.kill('SIGTERM');
    rmSync(file, { force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
