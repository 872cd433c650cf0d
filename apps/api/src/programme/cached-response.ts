import type { RenderedProgramme } from '@assises/programme';
import type { Request, Response } from 'express';

/**
 * Sends cached bytes with their ETag and Last-Modified; a matching If-None-Match (or, without
 * one, an If-Modified-Since not older than the version) gets 304 and no body.
 */
export function sendCached(req: Request, res: Response, rendered: RenderedProgramme): void {
  res.setHeader('ETag', rendered.etag);
  res.setHeader('Last-Modified', rendered.lastModified.toUTCString());
  res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
  res.setHeader('Access-Control-Allow-Origin', '*');
  const ifNoneMatch = req.headers['if-none-match'];
  const ifModifiedSince = req.headers['if-modified-since'];
  const notModified = ifNoneMatch
    ? ifNoneMatch
        .split(',')
        .map((tag) => tag.trim().replace(/^W\//, ''))
        .some((tag) => tag === rendered.etag || tag === '*')
    : ifModifiedSince !== undefined &&
      Date.parse(ifModifiedSince) >= Math.floor(rendered.lastModified.getTime() / 1000) * 1000;
  if (notModified) {
    res.status(304).end();
    return;
  }
  res.status(200).type(rendered.contentType).send(rendered.body);
}
