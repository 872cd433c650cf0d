import { StakeholderType, TerritoryType } from '@assises/core';
import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** The shared lists, still exported here for this lib's users. */
export { StakeholderType, TerritoryType };

export enum RegistrationState {
  Cancelled = 'cancelled',
  Confirmed = 'confirmed',
  /** An offered seat that was not accepted in time: the seat went to the next person. */
  Expired = 'expired',
  /** Offered a freed seat (waiting-list mode "offer"), holding it until `offerExpiresAt`. */
  Offered = 'offered',
  Waiting = 'waiting',
}

/**
 * One person's registration to an edition, without an account: the manage token (emailed,
 * stored hashed) opens it; the check-in code (in the QR code) identifies it at the desk.
 * `seq` orders the waiting list (first come, first served).
 */
@Entity('registrations')
export class Registration {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', insert: false, update: false })
  @Generated('increment')
  seq!: string;

  @Column('uuid')
  editionId!: string;

  @Column('uuid')
  categoryId!: string;

  @Column('uuid', { nullable: true })
  invitationCodeId!: string | null;

  @Column('text')
  state!: RegistrationState;

  @Column('text')
  name!: string;

  /** Lower-cased address. */
  @Column('text')
  email!: string;

  @Column('text', { default: '' })
  organisation!: string;

  /** Their role in their organisation. */
  @Column('text', { default: '' })
  role!: string;

  @Column('text')
  stakeholderType!: StakeholderType;

  @Column('text')
  territoryType!: TerritoryType;

  @Column('text', { default: '' })
  cityOrRegion!: string;

  /** How they heard of the event. */
  @Column('text', { default: '' })
  heardFrom!: string;

  @Column('text', { default: '' })
  accessibilityNeeds!: string;

  @Column('text', { default: '' })
  dietaryNeeds!: string;

  /** The version of the privacy notice they consented to, and when. */
  @Column('text')
  privacyNoticeVersion!: string;

  @Column('timestamptz')
  privacyConsentedAt!: Date;

  /** Consent to appear in the public participant list. */
  @Column('boolean', { default: false })
  publicListing!: boolean;

  /** Answers to the edition's custom questions, by key. */
  @Column('jsonb', { default: () => "'{}'" })
  answers!: Record<string, string>;

  /** The language of their emails. */
  @Column('text', { default: 'fr' })
  locale!: string;

  @Column('text')
  manageTokenHash!: string;

  /** Unguessable, shown as a QR code and typed at the desk. */
  @Column('text')
  checkInCode!: string;

  @Column('timestamptz', { nullable: true })
  offerExpiresAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  confirmedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  cancelledAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  checkedInAt!: Date | null;

  /** The volunteer or organiser who checked them in. */
  @Column('uuid', { nullable: true })
  checkedInBy!: string | null;

  /** The client's Idempotency-Key: a retried request returns the same registration. */
  @Column('text', { nullable: true })
  idempotencyKey!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
