import { AppConfig, loadConfig } from '@assises/config';
import IORedis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLabel } from './names';

/** Environment variables, as a process would receive them. */
export type TestEnv = Record<string, string>;

/**
 * The environment of an api or worker under test: its own database and queue prefix, quiet
 * logs, fast sweeps and retries, a scratch mail directory. `overrides` win; an override set to
 * '' removes the variable (e.g. `SMTP_URL: ''` for file mode).
 */
export function testEnv(databaseUrl: string, overrides: TestEnv = {}): TestEnv {
  const env: TestEnv = {
    DATABASE_POOL_SIZE: '5',
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    MAIL_DIR: mkdtempSync(join(tmpdir(), 'assises-mail-')),
    MAIL_RETRY_BASE_MS: '200',
    MAIL_SWEEP_INTERVAL_MS: '500',
    NODE_ENV: 'test',
    PUBLIC_URL: 'http://localhost:3000',
    QUEUE_PREFIX: `t_${fileLabel()}_${randomBytes(4).toString('hex')}`,
    RATE_LIMIT_PER_MINUTE: '10000',
    REDIS_URL: loadConfig({}).redis.url,
    ...overrides,
  };
  for (const [key, value] of Object.entries(env)) if (value === '') delete env[key];
  return env;
}

/** The validated configuration of `testEnv`. */
export function testConfig(databaseUrl: string, overrides: TestEnv = {}): AppConfig {
  return loadConfig(testEnv(databaseUrl, overrides));
}

/** The environment that makes `loadConfig` return `config` again (for child processes). */
export function envOf(config: AppConfig): TestEnv {
  const env: TestEnv = {
    BODY_LIMIT: config.bodyLimit,
    DATABASE_POOL_SIZE: String(config.database.poolSize),
    DATABASE_POOL_TIMEOUT_MS: String(config.database.poolTimeoutMs),
    DATABASE_URL: config.database.url,
    LOG_LEVEL: config.logLevel,
    MAIL_DIR: config.mail.dir,
    MAIL_FROM: config.mail.from,
    MAIL_LEASE_SECONDS: String(config.mail.leaseSeconds),
    MAIL_MAX_ATTEMPTS: String(config.mail.maxAttempts),
    MAIL_RATE_PER_SECOND: String(config.mail.ratePerSecond),
    MAIL_RETRY_BASE_MS: String(config.mail.retryBaseMs),
    MAIL_SWEEP_INTERVAL_MS: String(config.mail.sweepIntervalMs),
    NODE_ENV: config.env,
    PORT: String(config.port),
    PUBLIC_URL: config.publicUrl,
    QUEUE_PREFIX: config.redis.prefix,
    RATE_LIMIT_PER_MINUTE: String(config.rateLimitPerMinute),
    REDIS_URL: config.redis.url,
    SESSION_SECRET: config.session.secret,
    SESSION_TTL_HOURS: String(config.session.ttlHours),
    SMTP_POOL_SIZE: String(config.mail.smtpPoolSize),
    TEST_ONLY_UNGUARDED_SEATS: String(config.testOnly.unguardedSeats),
    TRUST_PROXY: String(config.trustProxy),
    WORKER_CONCURRENCY: String(config.worker.concurrency),
  };
  if (config.mail.smtpUrl) env.SMTP_URL = config.mail.smtpUrl;
  return env;
}

/**
 * Deletes every Redis key of the configuration's queue prefix, and only those: other test files
 * and other people's runs share the server. Also how tests simulate Redis losing its data.
 */
export async function clearQueuePrefix(config: AppConfig): Promise<number> {
  const redis = new IORedis(config.redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(
        cursor,
        'MATCH',
        `${config.redis.prefix}:*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}
