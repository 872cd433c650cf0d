import { ConflictError, InvalidError, NotFoundError } from '@assises/core';

export class RegistrationClosedError extends InvalidError {
  constructor(message = 'Registration is not open') {
    super('registration.closed', message);
  }
}

export class RegistrationNotFoundError extends NotFoundError {
  constructor() {
    super('registration.not_found', 'No registration for this link');
  }
}

export class InvalidRegistrationError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('registration.invalid', 'Some fields are not valid', fields);
  }
}

export class AlreadyRegisteredError extends ConflictError {
  constructor() {
    super(
      'registration.already_registered',
      'This address is already registered for this edition: the manage link was emailed to it',
    );
  }
}

export class InvalidRegistrationSettingsError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('registration.invalid_settings', 'The registration settings are not valid', fields);
  }
}

export class OfferNotOpenError extends ConflictError {
  constructor() {
    super('registration.offer_expired', 'This offer has expired or was already answered');
  }
}

export class CheckInNotFoundError extends NotFoundError {
  constructor() {
    super('registration.check_in_not_found', 'No confirmed registration with this code');
  }
}

export class WorkshopNotFoundError extends NotFoundError {
  constructor() {
    super('workshop.not_found', 'No workshop with this id in the published programme');
  }
}

export class WorkshopSignupNotFoundError extends NotFoundError {
  constructor() {
    super('workshop.signup_not_found', 'You are not signed up to this workshop');
  }
}

export class WorkshopNotConfirmedError extends ConflictError {
  constructor() {
    super('workshop.registration_not_confirmed', 'Only a confirmed registration can sign up');
  }
}

export class WorkshopClashError extends ConflictError {
  constructor(title: string) {
    super(
      'workshop.clash',
      `This workshop is at the same time as "${title}", which you already signed up to`,
    );
  }
}

export class InvalidInterestsError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('registration.invalid_interests', 'Some sessions are not valid', fields);
  }
}

export class InvitationCodeNotFoundError extends NotFoundError {
  constructor() {
    super('registration.invitation_code_not_found', 'No invitation code with this id');
  }
}

/** Participant (the open form's category) and categories people registered in stay. */
export class CategoryInUseError extends ConflictError {
  constructor(key: string) {
    super('registration.category_in_use', `The category ${key} is in use and cannot be removed`);
  }
}
