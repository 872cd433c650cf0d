import { StateMachine } from '@assises/core';
import { ProposalState as S } from './proposal.entity';

export type ProposalTransition =
  'accept' | 'confirm' | 'decline' | 'keep_as_backup' | 'reject' | 'submit' | 'withdraw';

/**
 * The life of a proposal, named as in pretalx. A contributor submits a draft and may withdraw it
 * until a decision; organisers accept, reject or keep it as backup (a backup can still be accepted
 * or rejected); an accepted speaker confirms, or declines (the proposal is then withdrawn).
 * Decisions are released later in one batch.
 */
export const proposalStateMachine = new StateMachine<S, ProposalTransition>('proposal', {
  submit: { from: [S.Draft], to: S.Submitted },
  withdraw: { from: [S.Draft, S.Submitted], to: S.Withdrawn },
  accept: { from: [S.Submitted, S.Backup], to: S.Accepted },
  reject: { from: [S.Submitted, S.Backup], to: S.Rejected },
  keep_as_backup: { from: [S.Submitted], to: S.Backup },
  confirm: { from: [S.Accepted], to: S.Confirmed },
  decline: { from: [S.Accepted], to: S.Withdrawn },
});
