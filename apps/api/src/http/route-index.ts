import { Logger } from '@nestjs/common';
import { Router, type Express, type RequestHandler } from 'express';

/** What this reads of an Express route layer (`router.stack`, as express-list-endpoints does). */
interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: unknown;
}

/** The first path segment, lower-cased (routes match case-insensitively): `/api/v1/x` → `api`. */
export function firstSegment(url: string): string {
  const rest = url.slice(1);
  const stop = rest.search(/[/?#]/);
  return (stop === -1 ? rest : rest.slice(0, stop)).toLowerCase();
}

/**
 * How many segments a path has, a trailing slash not counted (routes are not strict): `/` → 0,
 * `/api/v1/x` and `/api/v1/x/?q=1` → 3. An empty segment inside counts: no route matches it.
 */
export function segmentCount(url: string): number {
  const query = url.search(/[?#]/);
  const path = query === -1 ? url : url.slice(0, query);
  let count = 0;
  for (let i = 0; i < path.length; i += 1) if (path.charCodeAt(i) === 47) count += 1;
  return path.length > 1 && path.endsWith('/') ? count - 1 : path === '/' ? 0 : count;
}

/** Whether a route path has a fixed number of segments (no wildcard, optional part, group). */
function fixedLength(path: string): boolean {
  return !/[*{}()?+]/.test(path);
}

/** The fixed first segment of a route path, or null when it is a parameter or a pattern. */
function staticFirstSegment(path: unknown): string | null {
  if (typeof path !== 'string' || !path.startsWith('/')) return null;
  const segment = firstSegment(path);
  return /^[a-z0-9_.~-]*$/.test(segment) ? segment : null;
}

/**
 * Nest puts every route of every controller on the application's one router, which tries them
 * in turn: a request for one of the last of ~280 routes first ran that many pattern tests, a
 * tenth of the api's CPU time per request under load. Every route path here starts with a fixed
 * segment (`/api`, `/admin`, `/e`, …) and a fixed number of segments (parameters never hold a
 * slash), and a request can only be answered by routes of its own first segment, segment count
 * and method. So each run of consecutive routes is replaced by one layer that hands the request
 * to a router holding only those routes, in their order; middleware layers stay where they
 * were. What answers a request does not change, only how many patterns are tried. Should a
 * route ever start with a parameter or handle OPTIONS itself (where the router's own OPTIONS
 * answer would then differ), the index is not built and the router walks as before.
 */
export function indexRoutes(app: Express): void {
  const logger = new Logger('RouteIndex');
  const stack = (app as unknown as { router: { stack: RouteLayer[] } }).router.stack;
  const routes = stack.filter((layer) => layer.route);
  const unindexable = routes.find(
    (layer) =>
      staticFirstSegment(layer.route!.path) === null ||
      layer.route!.methods.options ||
      layer.route!.methods._all,
  );
  if (unindexable) {
    logger.warn(`routes not indexed: ${String(unindexable.route!.path)}`);
    return;
  }
  const indexed: RouteLayer[] = [];
  let run: RouteLayer[] = [];
  const flush = () => {
    if (run.length > 0) indexed.push(dispatchLayer(run));
    run = [];
  };
  for (const layer of stack) {
    if (layer.route) run.push(layer);
    else {
      flush();
      indexed.push(layer);
    }
  }
  flush();
  stack.splice(0, stack.length, ...indexed);
}

/** The routes a dispatch layer holds, in their order (for `routesOf`). */
const HELD = Symbol('routes');

/** Every route of the app, indexed or not, in order: `{ method, path }` per method. */
export function routesOf(app: Express): { method: string; path: string }[] {
  const stack = (app as unknown as { router: { stack: RouteLayer[] } }).router.stack;
  return stack
    .flatMap((layer) =>
      layer.route ? [layer] : ((layer.handle as { [HELD]?: RouteLayer[] })?.[HELD] ?? []),
    )
    .flatMap((layer) =>
      Object.keys(layer.route!.methods)
        .filter((method) => method !== '_all')
        .map((method) => ({ method: method.toUpperCase(), path: String(layer.route!.path) })),
    );
}

/**
 * The methods a route answers, lower-cased; a GET route answers HEAD too (the router hands a
 * HEAD to any route matching the path, and a route without a HEAD handler uses its GET one).
 */
function methodsOf(layer: RouteLayer): Set<string> {
  const methods = new Set(Object.keys(layer.route!.methods).filter((m) => layer.route!.methods[m]));
  if (methods.has('get')) methods.add('head');
  return methods;
}

/**
 * One middleware layer dispatching a run of routes by first segment, segment count and method:
 * a route of another method was passed over after its pattern was tried; now it is not tried.
 */
function dispatchLayer(run: RouteLayer[]): RouteLayer {
  // Were a route of variable length ever added, its segment would be dispatched on the segment
  // (and method) alone: every count of it sees every route of it, in order.
  const variable = new Set(
    run
      .filter((layer) => !fixedLength(String(layer.route!.path)))
      .map((layer) => staticFirstSegment(layer.route!.path)!),
  );
  const keyOf = (segment: string, count: number, method: string) =>
    variable.has(segment) ? `${segment} ${method}` : `${segment}/${count} ${method}`;
  const byKey = new Map<string, Router>();
  for (const layer of run) {
    const path = String(layer.route!.path);
    for (const method of methodsOf(layer)) {
      const key = keyOf(staticFirstSegment(path)!, segmentCount(path), method);
      let router = byKey.get(key);
      if (!router) {
        router = Router();
        byKey.set(key, router);
      }
      (router as unknown as { stack: RouteLayer[] }).stack.push(layer);
    }
  }
  const dispatch: RequestHandler = (req, res, next) => {
    // No route handles OPTIONS (nor an unknown method): the request goes on, as it went past
    // every route before.
    const router = byKey.get(
      keyOf(firstSegment(req.url), segmentCount(req.url), req.method.toLowerCase()),
    );
    if (router) router(req, res, next);
    else next();
  };
  Object.assign(dispatch, { [HELD]: run });
  // A layer made by the router itself, so that it matches every path as `app.use(fn)` does.
  const holder = Router();
  holder.use(dispatch);
  return (holder as unknown as { stack: RouteLayer[] }).stack[0];
}
