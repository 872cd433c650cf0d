import { InvalidError, NotFoundError, UnauthorizedError, ConflictError } from '@assises/core';

export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super('auth.invalid_credentials', 'Unknown email or wrong password');
  }
}

export class InvalidLinkError extends NotFoundError {
  constructor() {
    super('auth.invalid_link', 'This link is invalid, already used or expired');
  }
}

export class AccountNotFoundError extends NotFoundError {
  constructor() {
    super('account.not_found', 'No account with this id');
  }
}

export class EmailTakenError extends ConflictError {
  constructor() {
    super('account.email_taken', 'An account already uses this email');
  }
}

export class WeakPasswordError extends InvalidError {
  constructor() {
    super('account.weak_password', 'Password too short', {
      password: ['must be at least 10 characters long'],
    });
  }
}
