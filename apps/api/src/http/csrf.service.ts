import { APP_CONFIG, AppConfig } from '@assises/config';
import { Inject, Injectable } from '@nestjs/common';
import { doubleCsrf, DoubleCsrfUtilities } from 'csrf-csrf';
import type { Request, Response } from 'express';
import { SESSION_COOKIE } from './request-context';

/** Paths whose writes do not come from our forms: the JSON API (JSON bodies only), one-click unsubscribe. */
function exempt(req: Request): boolean {
  return (
    req.path.startsWith('/api/') ||
    req.path.startsWith('/unsubscribe/') ||
    req.path.startsWith('/admin/queues')
  );
}

/**
 * CSRF protection for every form (double-submit cookie bound to the session, from csrf-csrf).
 * Forms carry the token in a hidden `_csrf` field.
 */
@Injectable()
export class CsrfService {
  private readonly utilities: DoubleCsrfUtilities;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const secure = config.publicUrl.startsWith('https://');
    this.utilities = doubleCsrf({
      getSecret: () => config.session.secret,
      getSessionIdentifier: (req) =>
        String((req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE] ?? ''),
      cookieName: secure ? '__Host-assises.csrf' : 'assises_csrf',
      cookieOptions: { sameSite: 'lax', path: '/', secure, httpOnly: true },
      getCsrfTokenFromRequest: (req) => {
        const body = req.body as Record<string, unknown> | undefined;
        return typeof body?._csrf === 'string' ? body._csrf : req.headers['x-csrf-token'];
      },
      errorConfig: {
        statusCode: 403,
        code: 'csrf.invalid',
        message: 'The form expired or did not come from this site: reload the page and try again',
      },
      skipCsrfProtection: exempt,
    });
  }

  get protection() {
    return this.utilities.doubleCsrfProtection;
  }

  token(req: Request, res: Response): string {
    return this.utilities.generateCsrfToken(req, res, { overwrite: false, validateOnReuse: false });
  }
}
