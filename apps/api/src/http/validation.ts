import {
  HttpStatus,
  UnprocessableEntityException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';

/** class-validator errors as `{ field: [messages] }`, nested fields with dots. */
export function fieldErrors(errors: ValidationError[], parent = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      fields[path] = Object.values(error.constraints).map((m) =>
        m.startsWith('property ') && m.endsWith(' should not exist')
          ? `${path} is not an accepted field`
          : m,
      );
    }
    Object.assign(fields, fieldErrors(error.children ?? [], path));
  }
  return fields;
}

/**
 * The global pipe: unknown fields are refused, types converted. Unknown fields and wrong types
 * answer 422 with per-field messages (400 is kept for a body that is not JSON at all).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    errorHttpStatusCode: HttpStatus.UNPROCESSABLE_ENTITY,
    exceptionFactory: (errors) =>
      new UnprocessableEntityException({
        code: 'validation.failed',
        message: 'Some fields are not valid',
        fields: fieldErrors(errors),
      }),
  });
}
