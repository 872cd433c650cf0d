import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { firstSegment, indexRoutes, routesOf, segmentCount } from './route-index';

/**
 * An app shaped like ours: global middleware, runs of routes of several first segments (one
 * route of a segment shadowing a later one), middleware between runs, a not-found handler and
 * an error handler at the end. Each answer names what answered it.
 */
function app(): Express {
  const app = express();
  app.use((req, res, next) => {
    res.setHeader('x-seen', 'global');
    next();
  });
  app.get('/api/v1/things/:id', (req, res) => {
    res.send(`api thing ${req.params.id} via ${req.baseUrl || '-'} ${req.originalUrl}`);
  });
  app.post('/api/v1/things', (req, res) => {
    res.status(201).send('api create');
  });
  app.get('/admin', (req, res) => {
    res.send('admin home');
  });
  app.get('/api/v1/things/special', (req, res) => {
    res.send('never: shadowed by /api/v1/things/:id');
  });
  app.get('/fails', () => {
    throw new Error('boom');
  });
  app.get('/next', (req, res, next) => next());
  app.use((req, res, next) => {
    res.setHeader('x-between', 'yes');
    next();
  });
  app.get('/next', (req, res) => {
    res.send('second /next, after the middleware');
  });
  app.get('/', (req, res) => {
    res.send('home');
  });
  app.delete('/api/v1/things/:id', (req, res) => {
    res.status(204).end();
  });
  app.get('/files/*rest', (req, res) => {
    res.send(`file ${String(req.params.rest)}`);
  });
  app.get('/files/readme', (req, res) => {
    res.send('never: shadowed by /files/*rest');
  });
  app.use((req, res) => {
    res.status(404).send(`not found ${req.method} ${req.url}`);
  });
  app.use((error: Error, req: Request, res: Response, _next: NextFunction) => {
    res.status(500).send(`error ${error.message}`);
  });
  return app;
}

const REQUESTS: [string, string][] = [
  ['GET', '/api/v1/things/42'],
  ['GET', '/API/v1/Things/42'],
  ['GET', '/api/v1/things/42/'],
  ['GET', '/api/v1/things/42?x=1'],
  ['GET', '/api/v1/things/special'],
  ['HEAD', '/api/v1/things/42'],
  ['POST', '/api/v1/things'],
  ['PUT', '/api/v1/things'],
  ['DELETE', '/api/v1/things/7'],
  ['OPTIONS', '/api/v1/things/7'],
  ['GET', '/admin'],
  ['GET', '/admin/'],
  ['GET', '/admin?lang=en'],
  ['GET', '/administration'],
  ['GET', '/'],
  ['GET', '/?lang=en'],
  ['GET', '/fails'],
  ['GET', '/next'],
  ['GET', '/nowhere/at/all'],
  ['GET', '/api'],
  ['GET', '/api/v1/things/42/extra'],
  ['GET', '/api//v1/things'],
  ['GET', '/api/v1/things//'],
  ['GET', '/files/readme'],
  ['GET', '/files/a/b/c'],
  ['GET', '/files'],
  ['POST', '/api/v1/things/42'],
  ['PATCH', '/api/v1/things/1'],
  ['HEAD', '/admin'],
  ['HEAD', '/files/a'],
  ['DELETE', '/api/v1/things'],
];

async function answers(target: Express) {
  const out: unknown[] = [];
  for (const [method, url] of REQUESTS) {
    const res = await request(target)[method.toLowerCase() as 'get'](url);
    out.push({
      method,
      url,
      status: res.status,
      text: res.text,
      seen: res.headers['x-seen'],
      between: res.headers['x-between'],
      allow: res.headers.allow,
    });
  }
  return out;
}

describe('indexRoutes', () => {
  it('answers every request as the unindexed router does', async () => {
    const plain = app();
    const indexed = app();
    indexRoutes(indexed);

    expect(await answers(indexed)).toEqual(await answers(plain));
  });

  it('replaces each run of routes by one dispatch layer, middleware kept in place', () => {
    const indexed = app();
    const before = (indexed as unknown as { router: { stack: unknown[] } }).router.stack.length;
    indexRoutes(indexed);
    const stack = (indexed as unknown as { router: { stack: { route?: unknown }[] } }).router.stack;

    expect(stack.filter((layer) => layer.route)).toHaveLength(0);
    // 4 middleware layers kept; 2 dispatch layers (one per run of routes) instead of 11 routes.
    expect(stack.length).toBeLessThan(before);
    expect(stack).toHaveLength(before - 11 + 2);
  });

  it('still lists every route, in order', () => {
    const plain = app();
    const indexed = app();
    indexRoutes(indexed);

    expect(routesOf(indexed)).toEqual(routesOf(plain));
    expect(routesOf(indexed)).toContainEqual({ method: 'DELETE', path: '/api/v1/things/:id' });
  });

  it('leaves a router alone when a route starts with a parameter', async () => {
    const target = app();
    target.get('/:slug', (req, res) => {
      res.send(`slug ${req.params.slug}`);
    });
    const before = (target as unknown as { router: { stack: unknown[] } }).router.stack.length;
    indexRoutes(target);

    expect((target as unknown as { router: { stack: unknown[] } }).router.stack).toHaveLength(
      before,
    );
  });
});

describe('segmentCount', () => {
  it.each([
    ['/', 0],
    ['/?lang=en', 0],
    ['/admin', 1],
    ['/admin/', 1],
    ['/api/v1/x', 3],
    ['/api/v1/x/?q=1', 3],
    ['/api/v1/editions/:slug/registrations', 5],
    ['/api//v1', 3],
  ])('%s → %s', (url, count) => {
    expect(segmentCount(url)).toBe(count);
  });
});

describe('firstSegment', () => {
  it.each([
    ['/api/v1/x', 'api'],
    ['/API/v1', 'api'],
    ['/admin', 'admin'],
    ['/admin?x=1', 'admin'],
    ['/', ''],
    ['/?lang=en', ''],
    ['/e/lyon-2017', 'e'],
  ])('%s → %s', (url, segment) => {
    expect(firstSegment(url)).toBe(segment);
  });
});
