import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One answered question of a response (`item = ''`), or one chosen option of a multiple choice
 * or one rated workshop of the matrix (`item` = the option key or the workshop id). Kept by a
 * database trigger from `survey_responses.answers`, never written by the application: it is
 * the shape the results aggregate (see the migration `create-survey-answers`).
 */
@Entity('survey_answers')
export class SurveyAnswer {
  @PrimaryColumn('uuid')
  responseId!: string;

  @PrimaryColumn('text')
  questionKey!: string;

  @PrimaryColumn('text', { default: '' })
  item!: string;

  @Column('uuid')
  surveyId!: string;

  /** A rating, an NPS score or a workshop's rating. */
  @Column('int', { nullable: true })
  score!: number | null;

  /** A single choice's option key, or a free-text answer. */
  @Column('text', { nullable: true })
  text!: string | null;

  @Column('text', { nullable: true })
  stakeholderType!: string | null;

  @Column('text', { nullable: true })
  territoryType!: string | null;
}
