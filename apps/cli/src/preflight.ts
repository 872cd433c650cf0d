import Redis from 'ioredis';
import { Client } from 'pg';
import { maskUrl } from './mask-url';

const TIMEOUT_MS = 3_000;

export interface ServiceProblem {
  service: 'PostgreSQL' | 'Redis';
  /** The URL tried, password masked. */
  url: string;
  /** `unreachable`: nothing answered; `refused`: a server answered but turned us away. */
  kind: 'unreachable' | 'refused';
  reason: string;
}

/** Codes that mean a server answered (so it runs) but refused this login. */
const PG_REFUSALS = new Set(['28000', '28P01']);
/** "database does not exist": the server runs; `start` creates the database next. */
const PG_NO_DATABASE = '3D000';

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error && error.message) return error.message;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : String(error);
}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from ${what} within ${TIMEOUT_MS / 1000} s`)),
      TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Connects once to the PostgreSQL server named in the URL; null when it answers. */
export async function checkPostgres(url: string): Promise<ServiceProblem | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await withTimeout(client.connect(), 'PostgreSQL');
    return null;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === PG_NO_DATABASE) return null;
    const kind = typeof code === 'string' && PG_REFUSALS.has(code) ? 'refused' : 'unreachable';
    return { service: 'PostgreSQL', url: maskUrl(url), kind, reason: reasonOf(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Pings the Redis server once, with no retry; null when it answers. */
export async function checkRedis(url: string): Promise<ServiceProblem | null> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // connect() only rejects with "Connection is closed"; the event says why (ECONNREFUSED…).
  // Listening also keeps ioredis from logging it as unhandled.
  let cause: unknown;
  redis.on('error', (error) => (cause ??= error));
  try {
    await withTimeout(
      redis.connect().then(() => redis.ping()),
      'Redis',
    );
    return null;
  } catch (error) {
    const reason = reasonOf(cause ?? error);
    const kind = /NOAUTH|WRONGPASS|invalid password/i.test(reason) ? 'refused' : 'unreachable';
    return { service: 'Redis', url: maskUrl(url), kind, reason };
  } finally {
    redis.disconnect();
  }
}

/** One message for everything that is missing, with the ways to get it. */
export function preflightMessage(problems: readonly ServiceProblem[]): string {
  const lines = ['Assises cannot start:'];
  for (const p of problems) {
    lines.push(
      p.kind === 'unreachable'
        ? `  - ${p.service} is not reachable at ${p.url} (${p.reason}).`
        : `  - ${p.service} at ${p.url} answered but refused the connection (${p.reason}).`,
    );
  }
  if (problems.some((p) => p.kind === 'unreachable')) {
    lines.push(
      '',
      'Start the missing service(s), then run the command again, either:',
      '  - with Docker:  docker compose -f docker/compose.yml up -d postgres redis',
      '  - or on Debian: sudo apt-get install postgresql redis-server',
    );
  }
  lines.push(
    '',
    'Or point DATABASE_URL and REDIS_URL at servers you already run (see .env.example).',
  );
  return lines.join('\n');
}
