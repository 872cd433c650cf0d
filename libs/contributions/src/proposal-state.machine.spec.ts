import { InvalidTransitionError } from '@assises/core';
import { ProposalState } from './proposal.entity';
import { proposalStateMachine } from './proposal-state.machine';

describe('proposalStateMachine', () => {
  it('takes a draft through submission, acceptance and confirmation', () => {
    let state = ProposalState.Draft;
    for (const step of ['submit', 'accept', 'confirm'] as const) {
      state = proposalStateMachine.apply(state, step);
    }
    expect(state).toBe(ProposalState.Confirmed);
  });

  it('lets a contributor withdraw a draft or a submitted proposal', () => {
    expect(proposalStateMachine.apply(ProposalState.Draft, 'withdraw')).toBe(
      ProposalState.Withdrawn,
    );
    expect(proposalStateMachine.apply(ProposalState.Submitted, 'withdraw')).toBe(
      ProposalState.Withdrawn,
    );
  });

  it('refuses to withdraw once a decision is taken', () => {
    for (const state of [ProposalState.Accepted, ProposalState.Rejected, ProposalState.Backup]) {
      expect(() => proposalStateMachine.apply(state, 'withdraw')).toThrow(InvalidTransitionError);
    }
  });

  it('refuses to submit twice', () => {
    expect(() => proposalStateMachine.apply(ProposalState.Submitted, 'submit')).toThrow(
      InvalidTransitionError,
    );
  });

  it('lets a backup be accepted or rejected later', () => {
    const backup = proposalStateMachine.apply(ProposalState.Submitted, 'keep_as_backup');
    expect(proposalStateMachine.available(backup)).toEqual(['accept', 'reject']);
  });

  it('refuses to decide on a draft or a withdrawn proposal', () => {
    for (const state of [ProposalState.Draft, ProposalState.Withdrawn]) {
      expect(proposalStateMachine.can(state, 'accept')).toBe(false);
      expect(proposalStateMachine.can(state, 'reject')).toBe(false);
    }
  });

  it('refuses to confirm what was not accepted', () => {
    expect(proposalStateMachine.can(ProposalState.Submitted, 'confirm')).toBe(false);
  });

  it('lets an accepted speaker decline, which withdraws the proposal', () => {
    expect(proposalStateMachine.apply(ProposalState.Accepted, 'decline')).toBe(
      ProposalState.Withdrawn,
    );
    expect(proposalStateMachine.available(ProposalState.Accepted)).toEqual(['confirm', 'decline']);
  });

  it('refuses to decline what was not accepted, or was already confirmed', () => {
    for (const state of [ProposalState.Submitted, ProposalState.Backup, ProposalState.Confirmed]) {
      expect(proposalStateMachine.can(state, 'decline')).toBe(false);
    }
  });

  it('refuses to keep a backup as backup again, or to decide on a released decision', () => {
    expect(proposalStateMachine.can(ProposalState.Backup, 'keep_as_backup')).toBe(false);
    for (const state of [ProposalState.Accepted, ProposalState.Rejected, ProposalState.Confirmed]) {
      expect(proposalStateMachine.can(state, 'accept')).toBe(false);
      expect(proposalStateMachine.can(state, 'reject')).toBe(false);
    }
  });
});
