import { AuthService } from '@assises/accounts';
import { DEFAULT_LOCALE, isLocale, Locale } from '@assises/core';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { AppRequest, LANG_COOKIE, SESSION_COOKIE } from './request-context';

function preferredLocale(header: string | undefined): Locale | null {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0].trim().slice(0, 2).toLowerCase();
    if (isLocale(tag)) return tag;
  }
  return null;
}

/**
 * Who is asking and in which language. The actor comes from the session cookie or from an
 * `Authorization: Bearer` API token; the language from `?lang=` (remembered in a cookie), the
 * cookie, the browser, then French.
 */
@Injectable()
export class ActorMiddleware implements NestMiddleware {
  constructor(private readonly auth: AuthService) {}

  async use(req: AppRequest, res: Response, next: NextFunction): Promise<void> {
    try {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const cookies = (req.cookies ?? {}) as Record<string, string | undefined>;
      req.actor = bearer
        ? await this.auth.actorForApiToken(bearer)
        : await this.auth.actorForSession(cookies[SESSION_COOKIE]);

      const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
      if (isLocale(asked)) {
        res.cookie(LANG_COOKIE, asked, {
          httpOnly: true,
          sameSite: 'lax',
          maxAge: 365 * 86_400_000,
          path: '/',
        });
      }
      const fromCookie = cookies[LANG_COOKIE];
      req.lang = isLocale(asked)
        ? asked
        : isLocale(fromCookie)
          ? fromCookie
          : (preferredLocale(req.headers['accept-language']) ?? DEFAULT_LOCALE);
      next();
    } catch (error) {
      next(error);
    }
  }
}
