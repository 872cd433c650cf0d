import { DomainError, InvalidError } from '@assises/core';

/**
 * A decision the state machine forbids for a proposal's current state (a withdrawn proposal
 * accepted, a backup kept as backup again). Conflict: the request is well formed, the proposal
 * is not in a state that allows it. `fields` names each refused line.
 */
export class DecisionNotAllowedError extends DomainError {
  constructor(fields: Record<string, string[]>) {
    super('decision.not_allowed', 'conflict', 'This decision is not possible now', fields);
  }
}

export class InvalidDecisionsError extends InvalidError {
  constructor(fields: Record<string, string[]>) {
    super('decision.invalid', 'Some decisions are not valid', fields);
  }
}
