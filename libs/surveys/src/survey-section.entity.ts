import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A page-like group of questions, in order. */
@Entity('survey_sections')
export class SurveySection {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  surveyId!: string;

  @Column('text')
  titleFr!: string;

  @Column('text')
  titleEn!: string;

  @Column('int', { default: 0 })
  position!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
