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

export class CallClosedError extends InvalidError {
  constructor(message = 'The call for contributions is not open') {
    super('call.closed', message);
  }
}

export class ProposalNotFoundError extends NotFoundError {
  constructor() {
    super('proposal.not_found', 'No proposal for this link');
  }
}

export class InvalidProposalError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('proposal.invalid', 'Some fields are not valid', fields);
  }
}
