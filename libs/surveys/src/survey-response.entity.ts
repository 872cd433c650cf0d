import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Answers by question key: a number (rating, NPS), an option key, option keys, text, or workshop → rating. */
export type SurveyAnswers = Record<string, unknown>;

/**
 * A submitted response. Stakeholder and territory types are copied from the invitation so results
 * can be filtered. In anonymous mode `invitationId`, `submittedAt` and `updatedAt` stay null:
 * nothing here leads back to a person or to the moment of answering.
 */
@Entity('survey_responses')
export class SurveyResponse {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  surveyId!: string;

  @Column('uuid', { nullable: true })
  invitationId!: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  answers!: SurveyAnswers;

  @Column('text', { nullable: true })
  stakeholderType!: string | null;

  @Column('text', { nullable: true })
  territoryType!: string | null;

  @Column('text', { default: 'fr' })
  locale!: string;

  @Column('timestamptz', { nullable: true })
  submittedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  updatedAt!: Date | null;
}
