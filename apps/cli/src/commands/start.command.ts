import { AccountService, PasswordHasher } from '@assises/accounts';
import type { AppConfig } from '@assises/config';
import { ensureDatabase } from '@assises/database';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { assertKnownFlags, ParsedArgs } from '../args';
import { CliError } from '../cli-error';
import { maskUrl } from '../mask-url';
import { checkPostgres, checkRedis, preflightMessage, ServiceProblem } from '../preflight';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from '../seed';
import { Supervisor } from '../supervisor';
import { withDataSource } from '../with-data-source';
import { reportMigrations, runPendingMigrations } from './migration-run.command';
import { reportSeed } from './seed.command';

/** dist/apps, seen from dist/apps/cli/src/commands. */
const APPS_DIR = resolve(__dirname, '..', '..', '..');
const READY_TIMEOUT_MS = 60_000;

/**
 * `start` (npm start): everything a newcomer needs in one command. Checks PostgreSQL and Redis,
 * creates and migrates the database, loads the demo data into an empty one, then runs the api
 * and the worker until Ctrl+C.
 */
export async function startCommand(config: AppConfig, args: ParsedArgs): Promise<number> {
  assertKnownFlags(args, []);
  const scripts = {
    api: join(APPS_DIR, 'api', 'src', 'main.js'),
    worker: join(APPS_DIR, 'worker', 'src', 'main.js'),
  };
  for (const script of Object.values(scripts)) {
    if (!existsSync(script))
      throw new CliError(`${script} is missing: run \`npm run build\` first.`);
  }

  const problems = (
    await Promise.all([checkPostgres(config.database.url), checkRedis(config.redis.url)])
  ).filter((p): p is ServiceProblem => p !== null);
  if (problems.length > 0) throw new CliError(preflightMessage(problems));

  await createDatabaseIfMissing(config.database.url);
  const demoLogin = await withDataSource(config, async (dataSource) => {
    reportMigrations(await runPendingMigrations(dataSource));
    const seed = await seedDemo(dataSource);
    reportSeed(seed);
    const accounts = new AccountService(dataSource, new PasswordHasher());
    return seed !== null || (await accounts.findByEmail(DEMO_ACCOUNTS.organiser.email)) !== null;
  });

  const supervisor = new Supervisor([
    { name: 'api', script: scripts.api },
    // As `npm run start:worker`: a larger young generation, less garbage-collection CPU per email.
    { name: 'worker', script: scripts.worker, nodeOptions: ['--max-semi-space-size=64'] },
  ]);
  if (await waitForApi(config.port, () => supervisor.isRunning('api'))) {
    console.log(banner(config, demoLogin));
  }
  return supervisor.done;
}

async function createDatabaseIfMissing(url: string): Promise<void> {
  try {
    if (await ensureDatabase(url)) console.log(`Created the database ${maskUrl(url)}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `Cannot check or create the database ${maskUrl(url)}: ${reason}\n` +
        'Create it yourself (createdb), or give DATABASE_URL a user allowed to create databases.',
    );
  }
}

/** Polls the api's health endpoint until it answers (any status: it listens), or gives up. */
async function waitForApi(port: number, alive: () => boolean): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && alive()) {
    try {
      await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) });
      return true;
    } catch {
      await sleep(250);
    }
  }
  if (alive())
    console.error(`The api did not answer on port ${port} within ${READY_TIMEOUT_MS / 1000} s.`);
  return false;
}

function banner(config: AppConfig, demoLogin: boolean): string {
  const url = config.publicUrl;
  const login = demoLogin
    ? [
        `  Sign in at ${url}/admin/login as ${DEMO_ACCOUNTS.organiser.email} / ${DEMO_PASSWORD}`,
        `  (platform admin; also ${DEMO_ACCOUNTS.reviewer.email} and ${DEMO_ACCOUNTS.volunteer.email}, same password)`,
      ]
    : [
        `  Sign in at ${url}/admin/login (make an admin: npm run admin:create -- --email … --name …)`,
      ];
  const mail = config.mail.smtpUrl
    ? `  Mail goes to the SMTP server ${maskUrl(config.mail.smtpUrl)}`
    : `  Mail is not sent: each email is written to ${resolve(config.mail.dir)} (.eml) and listed at ${url}/admin/outbox`;
  return ['', `Assises is running at ${url}`, ...login, mail, '  Stop with Ctrl+C.', ''].join('\n');
}
