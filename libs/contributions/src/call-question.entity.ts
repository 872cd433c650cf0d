import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum QuestionKind {
  LongText = 'long_text',
  MultipleChoice = 'multiple_choice',
  Number = 'number',
  ShortText = 'short_text',
  SingleChoice = 'single_choice',
  Url = 'url',
  YesNo = 'yes_no',
}

/** One choice of a single- or multiple-choice question. */
export interface QuestionOption {
  key: string;
  fr: string;
  en: string;
}

/** A question the organisers add to the call; answers are stored on the proposal by `key`. */
@Entity('call_questions')
export class CallQuestion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  /** Stable identifier within the edition (kept when cloned); the key of the answer. */
  @Column('text')
  key!: string;

  @Column('text')
  kind!: QuestionKind;

  @Column('text')
  labelFr!: string;

  @Column('text')
  labelEn!: string;

  @Column('text', { default: '' })
  helpFr!: string;

  @Column('text', { default: '' })
  helpEn!: string;

  @Column('jsonb', { default: () => "'[]'" })
  options!: QuestionOption[];

  @Column('boolean', { default: false })
  required!: boolean;

  /** Limited to these formats (keys); empty means every format. */
  @Column('text', { array: true, default: () => "'{}'" })
  formatKeys!: string[];

  @Column('int', { nullable: true })
  minLength!: number | null;

  @Column('int', { nullable: true })
  maxLength!: number | null;

  @Column('text', { default: 'chars' })
  lengthUnit!: 'chars' | 'words';

  @Column('numeric', { nullable: true })
  minValue!: string | null;

  @Column('numeric', { nullable: true })
  maxValue!: string | null;

  @Column('int', { default: 0 })
  position!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
