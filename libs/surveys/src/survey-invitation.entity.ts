import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One invitee of a survey: a snapshot of the attendee at invitation time (registration may
 * change later), the hash of the private link's token, and whether it was answered. There is no
 * updated_at on purpose: in anonymous mode answering must leave no time on this row.
 */
@Entity('survey_invitations')
export class SurveyInvitation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  surveyId!: string;

  @Column('uuid')
  editionId!: string;

  @Column('text')
  registrationId!: string;

  @Column('text')
  name!: string;

  @Column('text')
  email!: string;

  @Column('text', { default: 'fr' })
  locale!: string;

  @Column('text')
  stakeholderType!: string;

  @Column('text')
  territoryType!: string;

  /** Workshops the attendee took part in: the rows of the matrix question. */
  @Column('jsonb', { default: () => "'[]'" })
  workshopIds!: string[];

  @Column('boolean', { default: false })
  checkedIn!: boolean;

  @Column('text')
  tokenHash!: string;

  @Column('boolean', { default: false })
  answered!: boolean;

  /** Only for non-anonymous surveys. */
  @Column('timestamptz', { nullable: true })
  answeredAt!: Date | null;

  @Column('int', { default: 0 })
  remindersSent!: number;

  @Column('timestamptz', { nullable: true })
  lastRemindedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
