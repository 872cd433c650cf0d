import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes', 'on'].includes(`${value as string}`.toLowerCase());

export const DEV_SESSION_SECRET = 'dev-only-session-secret-change-me-in-production!!';

/**
 * Every environment variable Assises reads, with its local default. Fields in alphabetical order;
 * `.env.example` documents each one.
 */
export class EnvironmentVariables {
  /** Largest accepted request body (JSON or form), e.g. `100kb`. */
  @Matches(/^\d+(kb|mb)$/i, { message: 'BODY_LIMIT must look like 100kb or 1mb' })
  BODY_LIMIT = '100kb';

  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/assises';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** How long a query may wait for a free connection of the pool (or a new one to open). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DATABASE_POOL_TIMEOUT_MS = 10_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Where `.eml` files go when SMTP_URL is empty. */
  @IsString()
  MAIL_DIR = 'var/mail';

  /** The From header of every email. */
  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Assises du coworking <no-reply@assises.localhost>';

  /**
   * How long a worker holds an email it is sending; past it, another worker may take the email
   * over (the first one crashed). Must exceed the longest SMTP exchange.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  MAIL_LEASE_SECONDS = 600;

  /** Attempts before a temporarily failing email is marked failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  MAIL_MAX_ATTEMPTS = 8;

  /** Most emails sent per second by one worker (0 = no limit). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  MAIL_RATE_PER_SECOND = 0;

  /** First retry delay after a temporary failure; doubles at each attempt (capped at 6 h). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  MAIL_RETRY_BASE_MS = 30_000;

  /** How often the outbox sweep looks for due and stranded emails. */
  @Transform(toInt)
  @IsInt()
  @Min(200)
  MAIL_SWEEP_INTERVAL_MS = 10_000;

  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** The address people use to reach the site; links in emails start with it. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  PUBLIC_URL = 'http://localhost:3000';

  /** Requests per minute per client on the whole api (login and reset have their own, lower limit). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  /** Prefix of every BullMQ key, so several installations (or test files) can share one Redis. */
  @Matches(/^[a-z0-9_-]+$/i, { message: 'QUEUE_PREFIX may hold letters, digits, - and _ only' })
  QUEUE_PREFIX = 'assises';

  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Signs the CSRF tokens; at least 32 characters, and required in production. */
  @IsString()
  @MinLength(32)
  SESSION_SECRET = DEV_SESSION_SECRET;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  SESSION_TTL_HOURS = 12;

  /** SMTP server, e.g. smtp://user:pass@host:587. Empty: emails are written to MAIL_DIR. */
  @IsOptional()
  @IsUrl({ protocols: ['smtp', 'smtps'], require_tld: false, require_protocol: true })
  SMTP_URL?: string;

  /** Parallel SMTP connections per worker. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  SMTP_POOL_SIZE = 5;

  /**
   * Test only: registrations take seats without the lock (read, pause, write), so the load tests
   * can prove they see a race. Refused unless NODE_ENV=test.
   */
  @Transform(toBool)
  @IsBoolean()
  TEST_ONLY_UNGUARDED_SEATS = false;

  /** Set behind a reverse proxy: client IPs (rate limits, logs) come from X-Forwarded-For. Cookies are Secure when PUBLIC_URL is https. */
  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  /**
   * Jobs one worker process runs at the same time. Most mail jobs wait on the SMTP pool or on
   * the batched claim/mark statements, so many in flight keep the pool busy and the batches
   * large (bench/README.md, `mail`).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  WORKER_CONCURRENCY = 100;
}
