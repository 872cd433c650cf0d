import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '@assises/core';

export class EditionNotFoundError extends NotFoundError {
  constructor() {
    super('edition.not_found', 'No edition with this slug');
  }
}

export class EditionForbiddenError extends ForbiddenError {
  constructor() {
    super('edition.forbidden', 'Your role in this edition does not allow this');
  }
}

export class SlugTakenError extends ConflictError {
  constructor() {
    super('edition.slug_taken', 'Another edition already uses this slug');
  }
}

export class InvalidEditionDatesError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('edition.invalid_dates', 'The dates of the edition are not valid', fields);
  }
}

export class LastOwnerError extends ConflictError {
  constructor() {
    super('team.last_owner', 'An edition keeps at least one owner');
  }
}

export class MemberNotFoundError extends NotFoundError {
  constructor() {
    super('team.member_not_found', 'No such member in this edition');
  }
}

export class InvitationEmailMismatchError extends ForbiddenError {
  constructor() {
    super(
      'team.invitation_other_account',
      'This invitation was sent to another address: sign in with it',
    );
  }
}
