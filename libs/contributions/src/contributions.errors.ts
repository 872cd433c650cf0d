import { InvalidError, NotFoundError } from '@assises/core';

export class CallNotFoundError extends NotFoundError {
  constructor() {
    super('call.not_found', 'This edition has no call for contributions');
  }
}

export class InvalidCallDatesError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('call.invalid_dates', 'The dates of the call are not valid', fields);
  }
}
