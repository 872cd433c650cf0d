import { InvalidTransitionError } from '@assises/core';
import { RegistrationState as S } from './registration.entity';
import { holdsSeat, NEW, registrationStateMachine as m } from './registration-state.machine';

describe('registrationStateMachine', () => {
  it('starts confirmed with a seat, waiting without', () => {
    expect(m.apply(NEW, 'confirm')).toBe(S.Confirmed);
    expect(m.apply(NEW, 'wait')).toBe(S.Waiting);
  });

  it('promotes or offers only someone waiting', () => {
    expect(m.apply(S.Waiting, 'promote')).toBe(S.Confirmed);
    expect(m.apply(S.Waiting, 'offer')).toBe(S.Offered);
    expect(() => m.apply(S.Confirmed, 'promote')).toThrow(InvalidTransitionError);
    expect(() => m.apply(S.Cancelled, 'offer')).toThrow(InvalidTransitionError);
  });

  it('lets an offer be accepted or expire, not both', () => {
    expect(m.apply(S.Offered, 'accept_offer')).toBe(S.Confirmed);
    expect(m.apply(S.Offered, 'expire_offer')).toBe(S.Expired);
    expect(() => m.apply(S.Expired, 'accept_offer')).toThrow(InvalidTransitionError);
  });

  it('cancels once', () => {
    for (const from of [S.Confirmed, S.Offered, S.Waiting])
      expect(m.apply(from, 'cancel')).toBe(S.Cancelled);
    expect(() => m.apply(S.Cancelled, 'cancel')).toThrow(InvalidTransitionError);
  });

  it('counts confirmed and offered registrations as holding a seat', () => {
    expect([S.Confirmed, S.Offered].every(holdsSeat)).toBe(true);
    expect([S.Waiting, S.Cancelled, S.Expired].some(holdsSeat)).toBe(false);
  });
});
