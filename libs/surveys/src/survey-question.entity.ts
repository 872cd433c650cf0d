import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum SurveyQuestionKind {
  LongText = 'long_text',
  MultipleChoice = 'multiple_choice',
  Nps = 'nps',
  Rating = 'rating',
  ShortText = 'short_text',
  SingleChoice = 'single_choice',
  /** One 1–5 rating per workshop the invitee attended. */
  WorkshopMatrix = 'workshop_matrix',
}

export const SURVEY_QUESTION_KINDS = Object.values(SurveyQuestionKind);

/** One choice of a single- or multiple-choice question. */
export interface SurveyOption {
  key: string;
  fr: string;
  en: string;
}

/** A question; answers are stored on the response under its `key` (kept when cloned). */
@Entity('survey_questions')
export class SurveyQuestion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  surveyId!: string;

  @Column('uuid')
  sectionId!: string;

  @Column('text')
  key!: string;

  @Column('text')
  kind!: SurveyQuestionKind;

  @Column('text')
  labelFr!: string;

  @Column('text')
  labelEn!: string;

  @Column('text', { default: '' })
  helpFr!: string;

  @Column('text', { default: '' })
  helpEn!: string;

  @Column('jsonb', { default: () => "'[]'" })
  options!: SurveyOption[];

  @Column('boolean', { default: false })
  required!: boolean;

  /** Asked only of these stakeholder types; empty means everyone. */
  @Column('text', { array: true, default: () => "'{}'" })
  stakeholderTypes!: string[];

  @Column('int', { default: 0 })
  position!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
