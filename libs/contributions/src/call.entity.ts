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

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
