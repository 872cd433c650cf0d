import type { RenderedProgramme } from '@assises/programme';
import type { Request, Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';

/** The validators a cached answer carries (also on a 304). */
export function cacheHeaders(rendered: RenderedProgramme): Record<string, string> {
  return {
    ETag: rendered.etag,
    'Last-Modified': rendered.lastModified.toUTCString(),
    'Cache-Control': 'public, max-age=0, must-revalidate',
    'Access-Control-Allow-Origin': '*',
  };
}

/**
 * Does the client already hold these bytes? A matching If-None-Match (or, without one, an
 * If-Modified-Since not older than the version).
 */
export function notModified(headers: IncomingHttpHeaders, rendered: RenderedProgramme): boolean {
  const ifNoneMatch = headers['if-none-match'];
  const ifModifiedSince = headers['if-modified-since'];
  return ifNoneMatch
    ? ifNoneMatch
        .split(',')
        .map((tag) => tag.trim().replace(/^W\//, ''))
        .some((tag) => tag === rendered.etag || tag === '*')
    : ifModifiedSince !== undefined &&
        Date.parse(ifModifiedSince) >= Math.floor(rendered.lastModified.getTime() / 1000) * 1000;
}

/** Sends cached bytes with their ETag and Last-Modified, or 304 and no body when the client has them. */
export function sendCached(req: Request, res: Response, rendered: RenderedProgramme): void {
  res.set(cacheHeaders(rendered));
  if (notModified(req.headers, rendered)) {
    res.status(304).end();
    return;
  }
  res.status(200).type(rendered.contentType).send(rendered.body);
}
