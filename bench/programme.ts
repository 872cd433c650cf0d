/**
 * `npm run bench -- programme [seconds=10] [concurrency=64]`: the public programme JSON of 300
 * sessions (GET /api/v1/editions/:slug/programme, cached bytes with ETag) from the real api
 * process, beside a plain Node `http` server serving the same bytes, at the same concurrency in
 * the same run. Last line: one JSON object (bench, ratio, rps, p99_ms, baseline figures).
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
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../apps/cli/src/entities';

const SECONDS = Number(process.argv[3] ?? 10);
const CONCURRENCY = Number(process.argv[4] ?? 64);
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

function get(agent: http.Agent, port: number, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
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

/** `CONCURRENCY` clients in a loop for `SECONDS`: requests per second and p99 latency. */
async function load(
  port: number,
  path: string,
): Promise<{ rps: number; p99: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        const t = process.hrtime.bigint();
        try {
          await get(agent, port, path);
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    errors,
  };
}

async function main(): Promise<void> {
  await prepare();
  const port = 20000 + Math.floor(Math.random() * 20000);
  const api = await startApi(port);
  const path = `/api/v1/editions/${SLUG}/programme`;
  try {
    const bytes = await get(new http.Agent(), port, path);
    const plain = http.createServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ETag: '"x"' });
      res.end(bytes);
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const plainPort = (plain.address() as AddressInfo).port;
    await load(plainPort, path); // warm-up of the client
    const baseline = await load(plainPort, path);
    await load(port, path).catch(() => undefined); // warm-up of the api
    const ours = await load(port, path);
    plain.close();
    const ratio = ours.rps / baseline.rps;
    console.log(
      `programme JSON: ${bytes.length} bytes, ${SESSIONS} sessions, concurrency ${CONCURRENCY}, ${SECONDS} s`,
    );
    console.log(
      `plain node http (baseline): ${baseline.rps.toFixed(0)} req/s, p99 ${baseline.p99.toFixed(1)} ms`,
    );
    console.log(
      `assises api: ${ours.rps.toFixed(0)} req/s, p99 ${ours.p99.toFixed(1)} ms, errors ${ours.errors} (ratio ${ratio.toFixed(2)}, target ≥ 0.6, p99 < 50 ms)`,
    );
    console.log(
      JSON.stringify({
        bench: 'programme',
        ratio: Number(ratio.toFixed(3)),
        bytes: bytes.length,
        sessions: SESSIONS,
        concurrency: CONCURRENCY,
        rps: Math.round(ours.rps),
        p99_ms: Number(ours.p99.toFixed(1)),
        errors: ours.errors,
        baseline_rps: Math.round(baseline.rps),
        baseline_p99_ms: Number(baseline.p99.toFixed(1)),
      }),
    );
  } finally {
    api.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
