import { ConflictError, InvalidError, NotFoundError } from '@assises/core';

export class RoomNotFoundError extends NotFoundError {
  constructor() {
    super('room.not_found', 'No such room in this edition');
  }
}

export class SessionNotFoundError extends NotFoundError {
  constructor() {
    super('session.not_found', 'No such session in this edition');
  }
}

export class FixedBlockNotFoundError extends NotFoundError {
  constructor() {
    super('fixed_block.not_found', 'No such fixed block in this edition');
  }
}

export class ProgrammeNotPublishedError extends NotFoundError {
  constructor() {
    super('programme.not_published', 'This edition has no published programme yet');
  }
}

export class SchedulingRunNotFoundError extends NotFoundError {
  constructor() {
    super('scheduling_run.not_found', 'No such scheduling run in this edition');
  }
}

/** Someone changed the session since the caller read it. */
export class StaleScheduleError extends ConflictError {
  constructor() {
    super(
      'schedule.stale',
      'This session was changed by someone else since you loaded it; reload and try again',
    );
  }
}

export class SchedulingRunNotReadyError extends ConflictError {
  constructor(status: string) {
    super('scheduling_run.not_ready', `This run cannot be applied (it is ${status})`);
  }
}

/** A placement that breaks hard constraints; `fields.placement` names each one. */
export class ScheduleConstraintError extends InvalidError {
  constructor(constraints: string[]) {
    super('schedule.constraint', `This placement breaks: ${constraints.join(', ')}`, {
      placement: constraints,
    });
  }
}

export class InvalidProgrammeInputError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('programme.invalid', 'Some fields are not valid', fields);
  }
}
