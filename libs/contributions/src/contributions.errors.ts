import { ConflictError, InvalidError, NotFoundError } from '@assises/core';
import { problemFields, Problems } from './proposal-rules';

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
  constructor(
    fields: Record<string, string[]>,
    /** The same, as rules the pages translate. */
    readonly problems?: Problems,
  ) {
    super('proposal.invalid', 'Some fields are not valid', fields);
  }

  static of(problems: Problems): InvalidProposalError {
    return new InvalidProposalError(problemFields(problems), problems);
  }
}

export class CallFormatNotFoundError extends NotFoundError {
  constructor() {
    super('call.format_not_found', 'No such format in this call');
  }
}

export class CallThemeNotFoundError extends NotFoundError {
  constructor() {
    super('call.theme_not_found', 'No such theme in this call');
  }
}

export class CallQuestionNotFoundError extends NotFoundError {
  constructor() {
    super('call.question_not_found', 'No such question in this call');
  }
}

/** A format that proposals use stays: deleting it would orphan them. */
export class FormatInUseError extends ConflictError {
  constructor() {
    super('call.format_in_use', 'Proposals use this format: it cannot be deleted');
  }
}

export class InvalidCallSettingError extends InvalidError {
  constructor(code: string, fields: Record<string, string[]>) {
    super(code, 'Some settings are not valid', fields);
  }
}

/** An Idempotency-Key already used for another request body. */
export class IdempotencyMismatchError extends InvalidError {
  constructor() {
    super(
      'idempotency.mismatch',
      'This Idempotency-Key was already used with another request body',
    );
  }
}
