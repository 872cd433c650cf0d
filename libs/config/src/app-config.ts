import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DEV_SESSION_SECRET, EnvironmentVariables } from './env.schema';

/** The typed configuration every part of Assises reads. Built once, at boot. */
export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  publicUrl: string;
  bodyLimit: string;
  trustProxy: boolean;
  logLevel: string;
  rateLimitPerMinute: number;
  database: { url: string; poolSize: number; poolTimeoutMs: number };
  redis: { url: string; prefix: string };
  mail: {
    smtpUrl?: string;
    smtpPoolSize: number;
    ratePerSecond: number;
    from: string;
    dir: string;
    maxAttempts: number;
    leaseSeconds: number;
    retryBaseMs: number;
    sweepIntervalMs: number;
  };
  session: { secret: string; ttlHours: number };
  worker: { concurrency: number };
  /** Test-only switches, refused outside NODE_ENV=test. */
  testOnly: { unguardedSeats: boolean };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; throws one error that lists every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new EnvironmentVariables());
  const raw: Record<string, string> = {};
  for (const key of [...known, 'SMTP_URL']) {
    const value = source[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, raw);
  const problems = validateSync(env, { whitelist: true }).map(
    (error) =>
      `${error.property}=${JSON.stringify(raw[error.property] ?? '')}: ${Object.values(error.constraints ?? {}).join('; ')}`,
  );
  if (env.NODE_ENV === 'production' && env.SESSION_SECRET === DEV_SESSION_SECRET) {
    problems.push('SESSION_SECRET: must be set to a secret of your own in production');
  }
  if (env.TEST_ONLY_UNGUARDED_SEATS && env.NODE_ENV !== 'test') {
    problems.push('TEST_ONLY_UNGUARDED_SEATS: only allowed when NODE_ENV=test');
  }
  if (problems.length > 0) throw new ConfigError(problems.sort());

  return {
    env: env.NODE_ENV as AppConfig['env'],
    port: env.PORT,
    publicUrl: env.PUBLIC_URL.replace(/\/+$/, ''),
    bodyLimit: env.BODY_LIMIT,
    trustProxy: env.TRUST_PROXY,
    logLevel: env.LOG_LEVEL,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    database: {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      poolTimeoutMs: env.DATABASE_POOL_TIMEOUT_MS,
    },
    redis: { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX },
    mail: {
      smtpUrl: env.SMTP_URL,
      smtpPoolSize: env.SMTP_POOL_SIZE,
      ratePerSecond: env.MAIL_RATE_PER_SECOND,
      from: env.MAIL_FROM,
      dir: env.MAIL_DIR,
      maxAttempts: env.MAIL_MAX_ATTEMPTS,
      leaseSeconds: env.MAIL_LEASE_SECONDS,
      retryBaseMs: env.MAIL_RETRY_BASE_MS,
      sweepIntervalMs: env.MAIL_SWEEP_INTERVAL_MS,
    },
    session: { secret: env.SESSION_SECRET, ttlHours: env.SESSION_TTL_HOURS },
    worker: { concurrency: env.WORKER_CONCURRENCY },
    testOnly: { unguardedSeats: env.TEST_ONLY_UNGUARDED_SEATS },
  };
}
