import { ConflictError, InvalidError, NotFoundError } from '@assises/core';

export class SurveyNotFoundError extends NotFoundError {
  constructor() {
    super('survey.not_found', 'This edition has no survey');
  }
}

export class SurveyExistsError extends ConflictError {
  constructor() {
    super('survey.exists', 'This edition already has a survey');
  }
}

export class SurveyQuestionNotFoundError extends NotFoundError {
  constructor() {
    super('survey.question_not_found', 'No such question in this survey');
  }
}

export class SurveySectionNotFoundError extends NotFoundError {
  constructor() {
    super('survey.section_not_found', 'No such section in this survey');
  }
}

export class InvalidSurveyError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('survey.invalid', 'Some settings are not valid', fields);
  }
}

export class InvalidSurveyQuestionError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('survey.invalid_question', 'Some fields of the question are not valid', fields);
  }
}

/** The private link does not open anything (unknown invitation or wrong token). */
export class SurveyInvitationNotFoundError extends NotFoundError {
  constructor() {
    super('survey.invitation_not_found', 'No survey for this link');
  }
}

export class InvalidSurveyAnswersError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('survey.invalid_answers', 'Some answers are not valid', fields);
  }
}

export class SurveyClosedError extends ConflictError {
  constructor() {
    super('survey.closed', 'The survey is closed');
  }
}

export class SurveyAlreadyAnsweredError extends ConflictError {
  constructor() {
    super('survey.already_answered', 'This survey has already been answered');
  }
}

/** Who has not answered is not shown for an anonymous survey. */
export class SurveyAnonymousError extends ConflictError {
  constructor() {
    super('survey.anonymous', 'The survey is anonymous');
  }
}
