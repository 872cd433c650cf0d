import type { AppConfig } from '@assises/config';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';

/** Long random path segments and token parameters are secrets (reset, invitation, unsubscribe links). */
export function scrubUrl(url: string): string {
  return url
    .replace(/\/[A-Za-z0-9_-]{32,}(\.[A-Za-z0-9_-]+)?(?=\/|\?|$)/g, '/[secret]')
    .replace(/([?&](?:token|t|key)=)[^&]+/gi, '$1[secret]');
}

/** A load balancer's or supervisor's probe, not logged: it would drown the rest. */
export function isHealthCheck(req: IncomingMessage & { originalUrl?: string }): boolean {
  return (req.originalUrl ?? req.url ?? '').split('?')[0] === '/health';
}

/** Structured JSON logs with a request id; cookies, tokens and passwords never reach them. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
        ],
        censor: '[redacted]',
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: scrubUrl(req.url),
        }),
      },
      // Decided when the request arrives, inside the middleware's mount, where Express has cut
      // `req.url` down: the path as sent is `originalUrl`.
      autoLogging: { ignore: (req: IncomingMessage) => isHealthCheck(req) },
      // On every line through the base logger, rather than one more child logger per request.
      base: { pid: process.pid, hostname: hostname(), app: 'api' },
    },
    forRoutes: ['{*path}'],
  };
}
