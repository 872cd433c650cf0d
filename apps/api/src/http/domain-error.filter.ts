import { DomainError } from '@assises/core';
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { AppRequest, wantsHtml } from './request-context';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  fields?: Record<string, string[]>;
  correlationId?: string;
}

/** The one place where domain error kinds become HTTP statuses. */
export function statusOf(error: DomainError): number {
  switch (error.kind) {
    case 'not_found':
      return HttpStatus.NOT_FOUND;
    case 'conflict':
      return HttpStatus.CONFLICT;
    case 'invalid':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'forbidden':
      return HttpStatus.FORBIDDEN;
    case 'unauthorized':
      return HttpStatus.UNAUTHORIZED;
    default: {
      const unknownKind: never = error.kind;
      throw new Error(`unmapped domain error kind ${String(unknownKind)}`);
    }
  }
}

const HTTP_CODES: Record<number, string> = {
  400: 'request.bad',
  401: 'auth.required',
  403: 'auth.forbidden',
  404: 'route.not_found',
  405: 'request.method_not_allowed',
  413: 'request.too_large',
  415: 'request.unsupported_media_type',
  429: 'request.rate_limited',
};

/** Turns anything thrown into a status and a body; unknown errors become a logged 500. */
export function toErrorBody(error: unknown, requestId: string): ErrorBody {
  if (error instanceof DomainError) {
    return {
      statusCode: statusOf(error),
      code: error.code,
      message: error.message,
      fields: error.fields,
    };
  }
  if (error instanceof HttpException) {
    const statusCode = error.getStatus();
    const response = error.getResponse() as
      string | { message?: unknown; code?: string; fields?: Record<string, string[]> };
    const message =
      typeof response === 'string'
        ? response
        : Array.isArray(response.message)
          ? response.message.join('; ')
          : typeof response.message === 'string'
            ? response.message
            : error.message;
    const code =
      (typeof response === 'object' && response.code) ||
      HTTP_CODES[statusCode] ||
      `http.${statusCode}`;
    const fields = typeof response === 'object' ? response.fields : undefined;
    return { statusCode, code, message, fields };
  }
  // body-parser's own errors (malformed JSON, oversized body) carry a status.
  const parserError = error as { type?: string; status?: number; message?: string; code?: string };
  if (parserError?.type === 'entity.parse.failed') {
    return {
      statusCode: 400,
      code: 'request.malformed_json',
      message: 'The request body is not valid JSON',
    };
  }
  if (parserError?.type === 'entity.too.large') {
    return { statusCode: 413, code: 'request.too_large', message: 'The request body is too large' };
  }
  if (parserError?.status && parserError.status >= 400 && parserError.status < 500) {
    const code = parserError.code?.includes('.')
      ? parserError.code
      : (HTTP_CODES[parserError.status] ?? 'request.bad');
    return { statusCode: parserError.status, code, message: parserError.message ?? 'Bad request' };
  }
  return {
    statusCode: 500,
    code: 'internal',
    message: 'Something went wrong on our side. Quote this correlation id if you report it.',
    correlationId: requestId,
  };
}

/**
 * Sends an error: JSON for the API, an HTML page (or a redirect to the login page) for
 * browsers. 500s are logged with the request id, which the response also carries.
 */
export function respondWithError(
  error: unknown,
  req: AppRequest,
  res: Response,
  logger: Logger,
): void {
  const requestId = String(req.id ?? '');
  const body = toErrorBody(error, requestId);
  if (body.statusCode >= 500)
    logger.error({ err: error, requestId, path: req.path }, 'unhandled error');
  if (res.headersSent) return;
  if (!wantsHtml(req)) {
    res.status(body.statusCode).json(body);
    return;
  }
  if (body.statusCode === 401) {
    // After signing in, come back to the page (a form's POST address is no page to come back to).
    const next = req.method === 'GET' ? req.originalUrl : '/admin';
    res.redirect(303, `/admin/login?next=${encodeURIComponent(next)}`);
    return;
  }
  res.status(body.statusCode).render('pages/error', {
    title: String(body.statusCode),
    error: body,
    notFound: body.statusCode === 404,
    // A refused CSRF token is an expired form, not a missing right: it keeps its own message.
    forbidden: body.statusCode === 403 && body.code !== 'csrf.invalid',
  });
}

/** Every error thrown in a controller, guard, pipe or Nest middleware leaves through here. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    respondWithError(error, ctx.getRequest<AppRequest>(), ctx.getResponse<Response>(), this.logger);
  }
}
