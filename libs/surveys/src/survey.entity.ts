import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A workshop of the edition as the survey's matrix asks about it (snapshot at invitation time). */
export interface SurveyWorkshop {
  id: string;
  titleFr: string;
  titleEn: string;
}

/**
 * The evaluation survey of one edition: when it is open, whether answers are anonymous, and when
 * invitations and reminders go (relative to the end of the edition and to each invitation).
 */
@Entity('surveys')
export class Survey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('timestamptz')
  opensAt!: Date;

  @Column('timestamptz')
  closesAt!: Date;

  /** Answers carry no link to the person; the invitation only records that it was answered. */
  @Column('boolean', { default: true })
  anonymous!: boolean;

  /** Invitees may change their answers until closing (never in anonymous mode). */
  @Column('boolean', { default: false })
  allowChanges!: boolean;

  /** Hours after the end of the edition before invitations go (15: the next morning). */
  @Column('int', { default: 15 })
  invitationDelayHours!: number;

  /** Days after the invitation at which those who have not answered are reminded. */
  @Column('int', { array: true, default: () => "'{5,12}'" })
  reminderDays!: number[];

  @Column('int', { default: 2 })
  maxReminders!: number;

  @Column('text', { default: '' })
  introFr!: string;

  @Column('text', { default: '' })
  introEn!: string;

  @Column('jsonb', { default: () => "'[]'" })
  workshops!: SurveyWorkshop[];

  /** When the sweep invited the attendees (once per survey). */
  @Column('timestamptz', { nullable: true })
  invitationsCreatedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
