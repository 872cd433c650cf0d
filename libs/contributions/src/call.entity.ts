import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * The call for contributions of one edition: when proposals are accepted and what the call says.
 * Dates are instants; pages show them in the edition's timezone.
 */
@Entity('calls')
export class Call {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('timestamptz')
  opensAt!: Date;

  @Column('timestamptz')
  closesAt!: Date;

  @Column('text', { default: '' })
  introduction!: string;

  /** Unfinished drafts get one reminder this many days before the deadline. */
  @Column('int', { default: 3 })
  draftReminderDays!: number;

  /** Reviewers do not see speakers' names and organisations. */
  @Column('boolean', { default: false })
  blindReview!: boolean;

  /** How many reviewers the automatic assignment gives each proposal (k). */
  @Column('int', { default: 3 })
  reviewsPerProposal!: number;

  /** Days after release before accepted speakers who have not confirmed get a reminder. */
  @Column('int', { default: 7 })
  confirmationReminderDays!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
