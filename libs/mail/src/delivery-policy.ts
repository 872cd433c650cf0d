/** What to do after a failed send. */
export type FailureKind = 'temporary' | 'permanent';

const TEMPORARY_CODES = new Set([
  'EAUTH',
  'ECONNECTION',
  'ECONNREFUSED',
  'ECONNRESET',
  'EDNS',
  'ENOSPC',
  'EPIPE',
  'ESOCKET',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/**
 * SMTP 5xx replies and messages nodemailer cannot build are permanent; 4xx replies, network
 * errors and anything unknown are temporary (retried with backoff, then failed after the last
 * attempt): an unknown error must not lose an email.
 */
export function classifySendError(error: unknown): FailureKind {
  const { responseCode, code } = (error ?? {}) as { responseCode?: number; code?: string };
  if (typeof responseCode === 'number') return responseCode >= 500 ? 'permanent' : 'temporary';
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return 'permanent';
  if (code && TEMPORARY_CODES.has(code)) return 'temporary';
  return 'temporary';
}

const MAX_DELAY_MS = 6 * 60 * 60 * 1000;

/** Exponential backoff: base, 2×base, 4×base… capped at 6 hours. `attempts` counts tries made. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}

/** Header values never carry a line break (header injection). */
export function headerSafe(value: string): string {
  return value.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}
