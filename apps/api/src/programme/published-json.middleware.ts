import type { PublicationService, RenderedProgramme } from '@assises/programme';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { cacheHeaders, notModified, sendCached } from './cached-response';

/** `GET /api/v1/editions/:slug/programme`: the published programme, our JSON. */
const PUBLISHED_JSON = /^\/api\/v1\/editions\/([a-z0-9][a-z0-9-]{0,99})\/programme\/?(?:\?.*)?$/;

/** What helmet would add to a JSON answer (the route is answered before helmet runs). */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
};

function slugOf(method: string | undefined, url: string | undefined): string | undefined {
  return method === 'GET' ? PUBLISHED_JSON.exec(url ?? '')?.[1] : undefined;
}

/**
 * The public programme JSON, answered before the rest of the stack (helmet, cookies, bodies,
 * CSRF, request logging, the actor and page middleware, the throttler, Nest's pipeline): it is
 * the most read route, anonymous, and its bytes are cached per published version, so none of
 * that work may run per request. Only a cache hit is answered here; anything else (unknown or
 * unpublished edition, another method) goes on to the controller, which answers as usual.
 */
export function publishedJsonFastPath(publication: PublicationService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const slug = slugOf(req.method, req.originalUrl);
    if (!slug) return next();
    publication.rendered(slug, 'json').then(
      (rendered) => {
        res.set(SECURITY_HEADERS);
        sendCached(req, res, rendered);
      },
      () => next(),
    );
  };
}

function answer(req: IncomingMessage, res: ServerResponse, rendered: RenderedProgramme): void {
  const headers = { ...SECURITY_HEADERS, ...cacheHeaders(rendered) };
  if (notModified(req.headers, rendered)) {
    res.writeHead(304, headers).end();
    return;
  }
  res
    .writeHead(200, {
      ...headers,
      'Content-Type': rendered.contentType,
      'Content-Length': rendered.body.length,
    })
    .end(rendered.body);
}

/**
 * In front of Express itself: a request for the published JSON whose bytes this process holds,
 * with the latest version checked less than a second ago, is answered synchronously from the
 * http server's own request event, as a plain Node server would. Every other request (and a
 * miss, which then fills the cache) goes to Express and `publishedJsonFastPath` above.
 */
export function answerPublishedJsonFirst(server: Server, publication: PublicationService): void {
  const listeners = server.listeners('request') as ((
    req: IncomingMessage,
    res: ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const slug = slugOf(req.method, req.url);
    const rendered = slug ? publication.peek(slug, 'json') : null;
    if (rendered) return answer(req, res, rendered);
    for (const listener of listeners) listener(req, res);
  });
}
