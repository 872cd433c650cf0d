import { StakeholderType, TerritoryType } from '@assises/core';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** The shared lists, still exported here for this lib's users. */
export { StakeholderType, TerritoryType };

/**
 * A speaker of a proposal. The submitter is one of them; each co-speaker confirms their
 * participation through their own emailed link (token stored hashed).
 */
@Entity('proposal_speakers')
export class ProposalSpeaker {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  proposalId!: string;

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

  /** Null only on a draft's speakers: a submission requires it. */
  @Column('text', { nullable: true })
  stakeholderType!: StakeholderType | null;

  /** Null only on a draft's speakers: a submission requires it. */
  @Column('text', { nullable: true })
  territoryType!: TerritoryType | null;

  @Column('text', { default: '' })
  cityOrRegion!: string;

  @Column('text', { default: '' })
  bio!: string;

  @Column('boolean', { default: false })
  isSubmitter!: boolean;

  /** Order of appearance on the programme. */
  @Column('int', { default: 0 })
  position!: number;

  @Column('text', { nullable: true })
  confirmationTokenHash!: string | null;

  @Column('timestamptz', { nullable: true })
  confirmedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
