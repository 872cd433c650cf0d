import type { Actor } from '@assises/accounts';
import type { Locale } from '@assises/core';
import type { Request } from 'express';

/** What the api's middlewares add to each request. */
export interface AppRequest extends Request {
  id: string;
  actor: Actor | null;
  lang: Locale;
}

export const SESSION_COOKIE = 'assises_session';
export const LANG_COOKIE = 'assises_lang';
export const FLASH_COOKIE = 'assises_flash';

/** JSON for the API and for clients that ask for it; HTML pages for browsers. */
export function wantsHtml(req: Request): boolean {
  if (req.path.startsWith('/api/') || req.path === '/health') return false;
  const accept = req.headers.accept ?? '';
  return (
    accept.includes('text/html') || (!accept.includes('application/json') && req.method === 'GET')
  );
}
