import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { CsrfService } from './csrf.service';
import { readFlash } from './flash';
import { AppRequest, FLASH_COOKIE, wantsHtml } from './request-context';

/** What every page's layout needs: language, actor, CSRF token, the flash message, the language switch. */
@Injectable()
export class PageLocalsMiddleware implements NestMiddleware {
  constructor(private readonly csrf: CsrfService) {}

  use(req: AppRequest, res: Response, next: NextFunction): void {
    // The JSON API never renders a page (its errors are JSON too): no CSRF token to draw.
    if (!wantsHtml(req) && (req.method === 'GET' || req.originalUrl.startsWith('/api/')))
      return next();
    const other = req.lang === 'fr' ? 'en' : 'fr';
    const url = new URL(req.originalUrl, 'http://x');
    url.searchParams.set('lang', other);
    const cookies = (req.cookies ?? {}) as Record<string, string | undefined>;
    const message = readFlash(cookies[FLASH_COOKIE]);
    if (message) res.clearCookie(FLASH_COOKIE, { path: '/' });
    Object.assign(res.locals, {
      lang: req.lang,
      actor: req.actor,
      csrfToken: this.csrf.token(req, res),
      flash: message,
      langSwitchUrl: `${url.pathname}${url.search}`,
      path: req.path,
    });
    next();
  }
}
