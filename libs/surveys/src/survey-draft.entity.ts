import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SurveyAnswers } from './survey-response.entity';

/** Partial answers kept for an invitee ("save and continue later"); deleted at submission. */
@Entity('survey_drafts')
export class SurveyDraft {
  @PrimaryColumn('uuid')
  invitationId!: string;

  @Column('jsonb', { default: () => "'{}'" })
  answers!: SurveyAnswers;

  @Column('timestamptz', { default: () => 'now()' })
  updatedAt!: Date;
}
