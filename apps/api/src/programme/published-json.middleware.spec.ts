import type { PublicationService, RenderedProgramme } from '@assises/programme';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerPublishedJsonFirst } from './published-json.middleware';

const HELD: RenderedProgramme = {
  body: Buffer.from('{"version":{"number":3}}'),
  contentType: 'application/json; charset=utf-8',
  etag: '"abc"',
  lastModified: new Date('2027-01-10T08:00:00Z'),
};

/** The bytes a process holds for one slug; nothing else. */
const publication = {
  peek: (slug: string, format: string) => (slug === 'lyon-2027' && format === 'json' ? HELD : null),
} as unknown as PublicationService;

describe('answerPublishedJsonFirst', () => {
  let server: Server;
  let base: string;
  const reachedExpress: string[] = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      reachedExpress.push(`${req.method} ${req.url}`);
      res.writeHead(418).end('express');
    });
    answerPublishedJsonFirst(server, publication);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => reachedExpress.splice(0));

  it('answers held bytes itself, with their validators and the JSON security headers', async () => {
    const res = await fetch(`${base}/api/v1/editions/lyon-2027/programme?x=1`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"version":{"number":3}}');
    expect(res.headers.get('etag')).toBe('"abc"');
    expect(res.headers.get('last-modified')).toBe('Sun, 10 Jan 2027 08:00:00 GMT');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reachedExpress).toEqual([]);
  });

  it('answers 304 without a body to a matching If-None-Match', async () => {
    const res = await fetch(`${base}/api/v1/editions/lyon-2027/programme`, {
      headers: { 'If-None-Match': 'W/"abc"' },
    });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe('');
    expect(reachedExpress).toEqual([]);
  });

  it('hands everything else to Express: other slugs, methods and routes', async () => {
    await fetch(`${base}/api/v1/editions/rennes-2028/programme`);
    await fetch(`${base}/api/v1/editions/lyon-2027/programme`, { method: 'POST' });
    await fetch(`${base}/api/v1/editions/lyon-2027/programme/sessions`);
    expect(reachedExpress).toEqual([
      'GET /api/v1/editions/rennes-2028/programme',
      'POST /api/v1/editions/lyon-2027/programme',
      'GET /api/v1/editions/lyon-2027/programme/sessions',
    ]);
  });
});
