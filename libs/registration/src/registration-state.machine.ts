import { StateMachine } from '@assises/core';
import { RegistrationState as S } from './registration.entity';

/** Before the row exists: a registration is born confirmed or waiting. */
export const NEW = 'new' as const;
type From = S | typeof NEW;

export type RegistrationTransition =
  'accept_offer' | 'cancel' | 'confirm' | 'expire_offer' | 'offer' | 'promote' | 'wait';

/**
 * The life of a registration. With a seat it is confirmed at once; without, it waits. A freed
 * seat promotes the first person waiting (mode auto) or offers it to them (mode offer), who
 * accepts in time or lets it expire. Anyone not yet cancelled may cancel, which frees their seat.
 */
export const registrationStateMachine = new StateMachine<From, RegistrationTransition>(
  'registration',
  {
    confirm: { from: [NEW], to: S.Confirmed },
    wait: { from: [NEW], to: S.Waiting },
    promote: { from: [S.Waiting], to: S.Confirmed },
    offer: { from: [S.Waiting], to: S.Offered },
    accept_offer: { from: [S.Offered], to: S.Confirmed },
    expire_offer: { from: [S.Offered], to: S.Expired },
    cancel: { from: [S.Confirmed, S.Offered, S.Waiting], to: S.Cancelled },
  },
);

/** The state a transition leads to (never `new`, which only starts the machine). */
export function nextState(from: From, transition: RegistrationTransition): S {
  return registrationStateMachine.apply(from, transition) as S;
}

/** States that hold a seat (given back when they end). */
export function holdsSeat(state: S): boolean {
  return state === S.Confirmed || state === S.Offered;
}
