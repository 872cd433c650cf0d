import { InvalidTransitionError } from './domain-error';

/**
 * A small, explicit state machine: named transitions, each allowed from a set of states.
 * Used for editions, proposals and registrations so impossible moves are refused in one place.
 */
export class StateMachine<S extends string, T extends string> {
  constructor(
    readonly name: string,
    private readonly transitions: Record<T, { from: readonly S[]; to: S }>,
  ) {}

  apply(from: S, transition: T): S {
    const rule = this.transitions[transition];
    if (!rule || !rule.from.includes(from)) {
      throw new InvalidTransitionError(this.name, from, transition);
    }
    return rule.to;
  }

  can(from: S, transition: T): boolean {
    const rule = this.transitions[transition];
    return Boolean(rule && rule.from.includes(from));
  }

  /** The transitions open from a state, for the buttons a page offers. */
  available(from: S): T[] {
    return (Object.keys(this.transitions) as T[]).filter((t) => this.can(from, t)).sort();
  }
}
