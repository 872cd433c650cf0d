import type { AppConfig } from '@assises/config';
import type { Response } from 'express';
import { SESSION_COOKIE } from './request-context';

/** httpOnly, SameSite=Lax, and Secure whenever the site is served over TLS. */
export function setSessionCookie(
  res: Response,
  config: AppConfig,
  token: string,
  expiresAt: Date,
): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.publicUrl.startsWith('https://'),
    path: '/',
    expires: expiresAt,
  });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** Only local paths are followed after login (no open redirect). */
export function safeNext(next: unknown, fallback = '/admin'): string {
  return typeof next === 'string' && /^\/(?!\/|\\)/.test(next) ? next : fallback;
}
