import { ConflictError, InvalidError, NotFoundError } from '@assises/core';

export class CriterionNotFoundError extends NotFoundError {
  constructor() {
    super('criterion.not_found', 'No such review criterion in this edition');
  }
}

export class CriterionKeyTakenError extends ConflictError {
  constructor() {
    super('criterion.key_taken', 'Another criterion of this edition has this key');
  }
}

export class LastCriterionError extends ConflictError {
  constructor() {
    super('criterion.last', 'An edition keeps at least one review criterion');
  }
}

/** A proposal of the edition, as organisers and reviewers see it; drafts do not exist for them. */
export class ReviewProposalNotFoundError extends NotFoundError {
  constructor() {
    super('proposal.not_found', 'No such proposal in this edition');
  }
}

export class NotReviewableError extends ConflictError {
  constructor() {
    super('review.not_reviewable', 'Only submitted proposals are reviewed');
  }
}

export class InvalidReviewError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('review.invalid', 'Some scores are not valid', fields);
  }
}

export class InvalidProposalFilterError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('proposals.invalid_filter', 'Some filters are not valid', fields);
  }
}

export class InvalidAssignmentError extends InvalidError {
  constructor(code: string, message: string, field = 'reviewerId') {
    super(code, message, { [field]: [message] });
  }
}

export class NotAMemberError extends NotFoundError {
  constructor() {
    super('member.not_found', 'This person is not on the team of this edition');
  }
}
