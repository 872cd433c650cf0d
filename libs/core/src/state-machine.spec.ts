import { InvalidTransitionError } from './domain-error';
import { StateMachine } from './state-machine';

describe(StateMachine.name, () => {
  const door = new StateMachine<'open' | 'closed' | 'locked', 'close' | 'lock' | 'open'>('door', {
    close: { from: ['open'], to: 'closed' },
    lock: { from: ['closed'], to: 'locked' },
    open: { from: ['closed'], to: 'open' },
  });

  it('moves along an allowed transition', () => {
    expect(door.apply('open', 'close')).toBe('closed');
  });

  it('refuses a transition from a state it does not leave', () => {
    expect(() => door.apply('open', 'lock')).toThrow(InvalidTransitionError);
  });

  it('names the code of the machine in its error', () => {
    try {
      door.apply('locked', 'open');
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as InvalidTransitionError).code).toBe('door.invalid_transition');
    }
  });

  it('lists the transitions available from a state, sorted', () => {
    expect(door.available('closed')).toEqual(['lock', 'open']);
    expect(door.available('locked')).toEqual([]);
  });
});
