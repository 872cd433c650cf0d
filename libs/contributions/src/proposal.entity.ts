import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum ProposalState {
  Accepted = 'accepted',
  Backup = 'backup',
  Confirmed = 'confirmed',
  Draft = 'draft',
  Rejected = 'rejected',
  Submitted = 'submitted',
  Withdrawn = 'withdrawn',
}

/** The decisions organisers take before releasing them (names of state-machine transitions). */
export type ProposalDecision = 'accept' | 'keep_as_backup' | 'reject';

export type ProposalLanguage = 'en' | 'fr';

/**
 * A contribution proposed to an edition's call, without an account: whoever holds the manage
 * token (sent only by email, stored hashed) can view, edit until the deadline, or withdraw it.
 */
@Entity('proposals')
export class Proposal {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('uuid')
  formatId!: string;

  @Column('uuid', { nullable: true })
  themeId!: string | null;

  @Column('text')
  title!: string;

  @Column('text')
  abstract!: string;

  @Column('text', { default: '' })
  description!: string;

  /** The language the session would be held in. */
  @Column('text')
  language!: ProposalLanguage;

  /** How many people the contributors expect in the room. */
  @Column('int', { nullable: true })
  expectedAudience!: number | null;

  /** Room set-up, accessibility, equipment. */
  @Column('text', { default: '' })
  needs!: string;

  /** The event days (YYYY-MM-DD) and half-days the speakers can make. */
  @Column('jsonb', { default: () => "'[]'" })
  availability!: string[];

  @Column('text', { default: ProposalState.Draft })
  state!: ProposalState;

  @Column('text')
  manageTokenHash!: string;

  @Column('timestamptz', { nullable: true })
  submittedAt!: Date | null;

  /** The language of the submitter's emails. */
  @Column('text', { default: 'fr' })
  submitterLocale!: string;

  /** The client's Idempotency-Key: a retried submission returns the same proposal. */
  @Column('text', { nullable: true })
  idempotencyKey!: string | null;

  /** Answers to the call's custom questions, by question key. */
  @Column('jsonb', { default: () => "'{}'" })
  answers!: Record<string, unknown>;

  /** A hash of the first request's body: the same Idempotency-Key with another body is refused. */
  @Column('text', { nullable: true })
  idempotencyFingerprint!: string | null;

  /** A decision taken quietly, not yet released to the contributors. */
  @Column('text', { nullable: true })
  pendingDecision!: ProposalDecision | null;

  @Column('uuid', { nullable: true })
  pendingDecisionBy!: string | null;

  @Column('timestamptz', { nullable: true })
  pendingDecisionAt!: Date | null;

  /** The organisers' words to the contributor, sent with the decision. */
  @Column('text', { default: '' })
  decisionNote!: string;

  @Column('timestamptz', { nullable: true })
  decisionReleasedAt!: Date | null;

  /** The hashed token of the link with which accepted speakers confirm their participation. */
  @Column('text', { nullable: true })
  decisionTokenHash!: string | null;

  @Column('timestamptz', { nullable: true })
  confirmedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
