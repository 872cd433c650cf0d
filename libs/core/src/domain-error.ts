/**
 * The one kind of error libs throw for business reasons. The code is a stable string
 * (`<area>.<reason>`) that the api maps to an HTTP status in exactly one place.
 */
export type DomainErrorKind = 'not_found' | 'conflict' | 'invalid' | 'forbidden' | 'unauthorized';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    /** Per-field messages, when the error is about input. */
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message = 'Not found') {
    super(code, 'not_found', message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super(code, 'conflict', message);
  }
}

export class InvalidError extends DomainError {
  constructor(code: string, message: string, fields?: Record<string, string[]>) {
    super(code, 'invalid', message, fields);
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message = 'Forbidden') {
    super(code, 'forbidden', message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(code: string, message = 'Authentication required') {
    super(code, 'unauthorized', message);
  }
}

/** A transition a state machine does not allow from the current state. */
export class InvalidTransitionError extends DomainError {
  constructor(machine: string, from: string, transition: string) {
    super(`${machine}.invalid_transition`, 'conflict', `Cannot ${transition} from ${from}`);
  }
}
