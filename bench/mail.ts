/**
 * `npm run bench -- mail [count] [rounds]`: 5,000 outbox rows delivered through BullMQ and the worker to a
 * local SMTP sink, beside raw pooled nodemailer sending the same rendered messages to the same
 * sink in the same run. Also the api's resident memory after start.
 * Also the CPU time per message of each process involved (worker, Redis, PostgreSQL backends, sink),
 * which the load of a shared machine changes far less than the throughput.
 * Last line: one JSON object (bench, ratio, messages_per_second, baseline, missing, duplicates,
 * api_rss_mb, cpu_us_per_message…). BENCH_CPU_PROF=DIR runs the worker under `node --cpu-prof`.
 */
import { loadConfig } from '@assises/config';
import { dataSourceOptions, ensureDatabase } from '@assises/database';
import { MailTemplates } from '@assises/mail';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { ChildProcess, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

const COUNT = Number(process.argv[3] ?? 5000);
const ROUNDS = Number(process.argv[4] ?? 3);
const POOL = 5;
/** The worker's Node.js flags in production (`npm run start:worker`, docker/compose.yml). */
const WORKER_NODE_FLAGS = ['--max-semi-space-size=64'];
/**
 * Messages each sender delivers before its clock starts, so neither is measured while its code is
 * still being compiled (the worker is a new process each round; a deployed worker runs warm).
 */
const WARMUP = Math.min(1000, Math.ceil(COUNT / 5));
const DIST = join(__dirname, '..');
const base = loadConfig({});
const dbUrl = (() => {
  const url = new URL(base.database.url);
  url.pathname = '/assises_bench';
  return url.toString();
})();
const prefix = `bench_${randomBytes(3).toString('hex')}`;

type SinkStats = { received: number; unique: number };

/** CPU time (user + system) of a process so far, in microseconds; 0 once it is gone or unreadable. */
function cpuOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (1/100 s on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return 0;
  }
}
const ownCpu = () => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

/** CPU per message in one phase, by process, in microseconds. */
type CpuCost = Record<string, number>;
const totalOf = (cost: CpuCost) => Object.values(cost).reduce((a, b) => a + b, 0);
const describe = (cost: CpuCost) =>
  `${Object.entries(cost)
    .map(([name, us]) => `${name} ${us.toFixed(0)}`)
    .join(' + ')} = ${totalOf(cost).toFixed(0)} µs/message`;

function ask<T>(child: ChildProcess, message: string, match: (m: unknown) => m is T): Promise<T> {
  return new Promise((resolve) => {
    const listener = (m: unknown) => {
      if (match(m)) {
        child.off('message', listener);
        resolve(m);
      }
    };
    child.on('message', listener);
    if (message) child.send(message);
  });
}
const isStats = (m: unknown): m is SinkStats =>
  typeof m === 'object' && m !== null && 'received' in m;
const isReset = (m: unknown): m is { reset: true } =>
  typeof m === 'object' && m !== null && 'reset' in m;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'assises_bench'`,
  );
  await client.query('DROP DATABASE IF EXISTS assises_bench');
  await client.end();
  await ensureDatabase(dbUrl);
  const ds = new DataSource(dataSourceOptions(loadConfig({ DATABASE_URL: dbUrl })));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}

async function waitForSink(
  sink: ChildProcess,
  count: number,
  timeoutMs: number,
): Promise<SinkStats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await ask(sink, 'stats', isStats);
    if (stats.unique >= count || Date.now() > deadline) return stats;
    await sleep(20);
  }
}

async function baseline(
  sink: ChildProcess,
  port: number,
  templates: MailTemplates,
): Promise<{ rate: number; cpu: CpuCost }> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    pool: true,
    maxConnections: POOL,
    maxMessages: 500,
    secure: false,
    ignoreTLS: true,
  });
  const messages = Array.from({ length: WARMUP + COUNT }, (_, i) => {
    const rendered = templates.render(
      'password-reset',
      'fr',
      { ...templates.sample('password-reset'), name: `Personne ${i}` },
      {
        publicUrl: base.publicUrl,
        unsubscribeUrl: null,
      },
    );
    return {
      from: base.mail.from,
      to: `person${i}@bench.test`,
      messageId: `<baseline-${i}@bench.test>`,
      ...rendered,
    };
  });
  await Promise.all(messages.splice(0, WARMUP).map((m) => transport.sendMail(m)));
  await waitForSink(sink, WARMUP, 60_000);
  await ask(sink, 'reset', isReset);
  const started = performance.now();
  const [sender, sinkBefore] = [ownCpu(), cpuOf(sink.pid)];
  await Promise.all(messages.map((m) => transport.sendMail(m)));
  await waitForSink(sink, COUNT, 60_000);
  const seconds = (performance.now() - started) / 1000;
  const cpu = {
    sender: (ownCpu() - sender) / COUNT,
    sink: (cpuOf(sink.pid) - sinkBefore) / COUNT,
  };
  transport.close();
  return { rate: COUNT / seconds, cpu };
}

async function startProcess(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  nodeFlags: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeFlags, join(DIST, script)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 30_000);
    const onData = (chunk: Buffer) => {
      if (ready.test(chunk.toString())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return child;
}

async function assises(
  sink: ChildProcess,
  port: number,
): Promise<{ rate: number; stats: SinkStats; sent: number; cpu: CpuCost }> {
  const env = {
    DATABASE_URL: dbUrl,
    REDIS_URL: base.redis.url,
    QUEUE_PREFIX: prefix,
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    SMTP_POOL_SIZE: String(POOL),
    WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '100',
    DATABASE_POOL_SIZE: '20',
    LOG_LEVEL: 'warn',
    MAIL_SWEEP_INTERVAL_MS: '60000',
  };
  const worker = await startProcess('apps/worker/src/main.js', env, /worker started/, [
    ...WORKER_NODE_FLAGS,
    ...(process.env.BENCH_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : []),
  ]);
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  const queue = new Queue('mail', { connection: { url: base.redis.url }, prefix });
  const sample = JSON.stringify(new MailTemplates().sample('password-reset'));

  // The 5,000 rows exist first, as the baseline's messages are rendered before its clock starts;
  // the clock covers the outbox's own path: one job per row (jobId = row id), the worker's claim,
  // render, send and mark.
  const insertRows = async (count: number) =>
    (
      await db.query<{ id: string }>(
        `INSERT INTO outbox_messages (recipient, template, locale, data, purpose)
         SELECT 'person' || i || '@bench.test', 'password-reset', 'fr', $1::jsonb, 'bench:' || i
           FROM generate_series(1, $2::int) AS i
         RETURNING id`,
        [sample, count],
      )
    ).rows;
  const enqueue = (rows: { id: string }[]) =>
    queue.addBulk(
      rows.map((r) => ({
        name: 'send-mail',
        data: { outboxId: r.id },
        opts: { jobId: r.id, removeOnComplete: true },
      })),
    );
  await db.query('TRUNCATE outbox_messages');
  await enqueue(await insertRows(WARMUP));
  await waitForSink(sink, WARMUP, 60_000);
  await ask(sink, 'reset', isReset);
  await db.query('TRUNCATE outbox_messages');
  const rows = await insertRows(COUNT);
  // CPU of the worker, of Redis and of the PostgreSQL backends the worker uses (`backends`
  // excludes this script's own connection), and of the enqueueing (this process).
  const redis = new Redis(base.redis.url);
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? 0);
  redis.disconnect();
  const backends = async () =>
    new Map(
      (
        await db.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        )
      ).rows.map((r) => [r.pid, cpuOf(r.pid)]),
    );
  const pgBefore = await backends();
  const before = {
    worker: cpuOf(worker.pid),
    redis: cpuOf(redisPid),
    enqueue: ownCpu(),
    sink: cpuOf(sink.pid),
  };
  const started = performance.now();
  await enqueue(rows);
  const enqueued = ownCpu();
  await waitForSink(sink, COUNT, 180_000);
  const seconds = (performance.now() - started) / 1000;
  let postgres = 0;
  for (const [pid, cpu] of await backends()) postgres += cpu - (pgBefore.get(pid) ?? 0);
  const cpu = {
    worker: (cpuOf(worker.pid) - before.worker) / COUNT,
    redis: (cpuOf(redisPid) - before.redis) / COUNT,
    postgres: postgres / COUNT,
    enqueue: (enqueued - before.enqueue) / COUNT,
    sink: (cpuOf(sink.pid) - before.sink) / COUNT,
  };
  await sleep(500);
  const sent = Number(
    (await db.query(`SELECT count(*) AS n FROM outbox_messages WHERE status = 'sent'`)).rows[0].n,
  );

  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  await queue.obliterate({ force: true });
  await queue.close();
  await db.end();
  return { rate: COUNT / seconds, stats: await ask(sink, 'stats', isStats), sent, cpu };
}

async function apiMemory(): Promise<number> {
  const port = await freePort();
  const api = await startProcess(
    'apps/api/src/main.js',
    {
      DATABASE_URL: dbUrl,
      REDIS_URL: base.redis.url,
      QUEUE_PREFIX: prefix,
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      LOG_LEVEL: 'warn',
    },
    /listening/,
  );
  await fetch(`http://127.0.0.1:${port}/health`);
  await sleep(500);
  const status = readFileSync(`/proc/${api.pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  api.kill('SIGTERM');
  await new Promise((r) => api.once('exit', r));
  return kb / 1024;
}

const median = (values: number[]) =>
  [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  await prepareDatabase();
  const sink = fork(join(__dirname, '_smtp-sink.js'), [], { stdio: 'inherit' });
  const { port } = await ask(
    sink,
    '',
    (m): m is { port: number } => typeof m === 'object' && m !== null && 'port' in m,
  );
  const templates = new MailTemplates();

  // Rounds alternate baseline and Assises so both see the same machine; medians are compared.
  const baselineRates: number[] = [];
  const rates: number[] = [];
  const baselineCpu: CpuCost[] = [];
  const cpu: CpuCost[] = [];
  let missing = 0;
  let duplicates = 0;
  let sent = 0;
  for (let round = 1; round <= ROUNDS; round += 1) {
    await ask(sink, 'reset', isReset);
    const raw = await baseline(sink, port, templates);
    baselineRates.push(raw.rate);
    baselineCpu.push(raw.cpu);
    await ask(sink, 'reset', isReset);
    const result = await assises(sink, port);
    rates.push(result.rate);
    cpu.push(result.cpu);
    missing += COUNT - result.stats.unique;
    duplicates += result.stats.received - result.stats.unique;
    sent += result.sent;
    console.log(
      `round ${round}: baseline ${raw.rate.toFixed(0)}/s, assises ${result.rate.toFixed(0)}/s`,
    );
    console.log(`  cpu baseline: ${describe(raw.cpu)}`);
    console.log(`  cpu assises:  ${describe(result.cpu)}`);
  }
  const rss = await apiMemory();
  sink.send('stop');

  const baselineRate = median(baselineRates);
  const rate = median(rates);
  const ratio = rate / baselineRate;
  const medianCost = (costs: CpuCost[]): CpuCost =>
    Object.fromEntries(Object.keys(costs[0]).map((k) => [k, median(costs.map((c) => c[k]))]));
  const baselineCost = medianCost(baselineCpu);
  const cost = medianCost(cpu);
  console.log(
    `raw pooled nodemailer (baseline, median of ${ROUNDS}): ${baselineRate.toFixed(0)} messages/s`,
  );
  console.log(
    `assises outbox → BullMQ → worker (median of ${ROUNDS}): ${rate.toFixed(0)} messages/s (ratio ${ratio.toFixed(2)}, target ≥ 0.75)`,
  );
  console.log(
    `missing ${missing}, duplicates ${duplicates}, rows marked sent ${sent}/${COUNT * ROUNDS}`,
  );
  console.log(`cpu per message, raw nodemailer (median): ${describe(baselineCost)}`);
  console.log(`cpu per message, assises (median): ${describe(cost)}`);
  console.log(`api resident memory after start: ${rss.toFixed(0)} MB (target < 150 MB)`);
  console.log(
    JSON.stringify({
      bench: 'mail',
      ratio: Number(ratio.toFixed(3)),
      messages: COUNT,
      rounds: ROUNDS,
      messages_per_second: Math.round(rate),
      baseline_messages_per_second: Math.round(baselineRate),
      missing,
      duplicates,
      rows_sent: sent,
      api_rss_mb: Math.round(rss),
      cpu_us_per_message: Math.round(totalOf(cost)),
      baseline_cpu_us_per_message: Math.round(totalOf(baselineCost)),
      cpu_us_per_message_by_process: Object.fromEntries(
        Object.entries(cost).map(([k, v]) => [k, Math.round(v)]),
      ),
    }),
  );
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
