import type { PublicationService } from '@assises/programme';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendCached } from './cached-response';

/** `GET /api/v1/editions/:slug/programme`: the published programme, our JSON. */
const PUBLISHED_JSON = /^\/api\/v1\/editions\/([a-z0-9][a-z0-9-]{0,99})\/programme\/?$/;

/**
 * The public programme JSON, answered before the rest of the stack (helmet, cookies, bodies,
 * CSRF, request logging, the actor and page middleware, the throttler, Nest's pipeline): it is
 * the most read route, anonymous, and its bytes are cached per published version, so none of
 * that work may run per request. Only a cache hit is answered here; anything else (unknown or
 * unpublished edition, another method) goes on to the controller, which answers as usual.
 * The headers helmet would add to a JSON answer are set here.
 */
export function publishedJsonFastPath(publication: PublicationService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') return next();
    const slug = PUBLISHED_JSON.exec(req.path)?.[1];
    if (!slug) return next();
    publication.rendered(slug, 'json').then(
      (rendered) => {
        res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        res.setHeader('Referrer-Policy', 'no-referrer');
        sendCached(req, res, rendered);
      },
      () => next(),
    );
  };
}
