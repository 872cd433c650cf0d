import type { AppConfig } from '@assises/config';
import { PublicationService } from '@assises/programme';
import { JobProducer } from '@assises/queue';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { I18nService } from 'nestjs-i18n';
import { Logger } from 'nestjs-pino';
import { dirname, join } from 'node:path';
import { ApiModule } from './api.module';
import { CsrfService } from './http/csrf.service';
import { DomainErrorFilter, respondWithError } from './http/domain-error.filter';
import { setupOpenApi } from './http/openapi';
import { indexRoutes } from './http/route-index';
import { AppRequest } from './http/request-context';
import { createValidationPipe } from './http/validation';
import { setupViews } from './http/views';
import { mountQueueDashboard } from './outbox/queue-dashboard';
import {
  answerPublishedJsonFirst,
  publishedJsonFastPath,
} from './programme/published-json.middleware';

const errorLogger = new NestLogger('HttpError');

/** Express middleware whose errors answer like the rest of the app (no stack trace page). */
function guarded(middleware: RequestHandler): RequestHandler {
  return (req, res, next) =>
    middleware(req, res, (error?: unknown) =>
      error ? respondWithError(error, req as AppRequest, res, errorLogger) : next(),
    );
}

/** The JSON API takes JSON bodies only: a cross-site form cannot send one without a CORS preflight. */
function jsonOnlyOnApi(req: Request, res: Response, next: NextFunction): void {
  const writes = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method);
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || Boolean(req.headers['transfer-encoding']);
  if (req.path.startsWith('/api/') && writes && hasBody && !req.is('application/json')) {
    res.status(415).json({
      statusCode: 415,
      code: 'request.unsupported_media_type',
      message: 'Send JSON (Content-Type: application/json)',
    });
    return;
  }
  next();
}

/**
 * Middleware for our forms only (urlencoded bodies, CSRF): the JSON API takes JSON bodies only
 * (`jsonOnlyOnApi`) and is exempt from CSRF (see CsrfService), so its requests skip them.
 */
function formsOnly(middleware: RequestHandler): RequestHandler {
  return (req, res, next) => (req.path.startsWith('/api/') ? next() : middleware(req, res, next));
}

/** The only route that other sites may frame. */
const EMBED_PATH = /^\/e\/[^/]+\/programme\/embed\/?$/;

/** Builds the api: used by main.ts, the tests and the benchmarks alike. */
export async function createApiApp(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', 1);
  answerPublishedJsonFirst(app.getHttpServer(), app.get(PublicationService));
  app.use(publishedJsonFastPath(app.get(PublicationService)));

  const strict = helmet({
    contentSecurityPolicy: {
      directives: { 'form-action': ["'self'"], 'upgrade-insecure-requests': null },
    },
    hsts: config.publicUrl.startsWith('https://'),
  });
  // The API explorer and the queue dashboard ship inline scripts and styles.
  const relaxed = helmet({
    contentSecurityPolicy: false,
    hsts: config.publicUrl.startsWith('https://'),
  });
  // The embeddable programme is made to be framed by any site (a partner's, the network's).
  const embeddable = helmet({
    contentSecurityPolicy: {
      directives: {
        'form-action': ["'self'"],
        'frame-ancestors': ['*'],
        'upgrade-insecure-requests': null,
      },
    },
    frameguard: false,
    hsts: config.publicUrl.startsWith('https://'),
  });
  app.use((req: Request, res: Response, next: NextFunction) =>
    (req.path.startsWith('/api/docs') || req.path.startsWith('/admin/queues')
      ? relaxed
      : EMBED_PATH.test(req.path)
        ? embeddable
        : strict)(req, res, next),
  );
  app.use(cookieParser());
  app.use(jsonOnlyOnApi);
  app.use(guarded(express.json({ limit: config.bodyLimit })));
  app.use(
    formsOnly(
      guarded(
        express.urlencoded({ extended: false, limit: config.bodyLimit, parameterLimit: 200 }),
      ),
    ),
  );
  app.use(formsOnly(guarded(app.get(CsrfService).protection)));
  app.use(
    '/assets',
    express.static(join(__dirname, 'public'), { maxAge: '1h' }),
    express.static(join(dirname(require.resolve('@picocss/pico/package.json')), 'css'), {
      maxAge: '1d',
    }),
  );
  // The check-in desk's QR reader where the browser has none (see public/check-in.js).
  const jsQr = require.resolve('jsqr/dist/jsQR.js');
  app.use('/assets/jsQR.js', (req: Request, res: Response, next: NextFunction) =>
    req.method === 'GET' || req.method === 'HEAD'
      ? res.sendFile(jsQr, { maxAge: '1d', headers: { 'Content-Type': 'text/javascript' } })
      : next(),
  );
  mountQueueDashboard(app, app.get(JobProducer).queues);

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  setupViews(app, app.get(I18nService));
  setupOpenApi(app);
  app.enableShutdownHooks();
  await app.init();
  indexRoutes(app.getHttpAdapter().getInstance());
  return app;
}
