import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** What reviewers score (0–5) for each proposal of an edition, with its weight in the mean. */
@Entity('review_criteria')
export class ReviewCriterion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  /** Stable identifier within the edition (kept when cloned); the key of a review's scores. */
  @Column('text')
  key!: string;

  @Column('text')
  nameFr!: string;

  @Column('text')
  nameEn!: string;

  @Column('text', { default: '' })
  descriptionFr!: string;

  @Column('text', { default: '' })
  descriptionEn!: string;

  /** numeric(6,2), read as a string by pg. */
  @Column('numeric', { precision: 6, scale: 2, default: 1 })
  weight!: string;

  @Column('int', { default: 0 })
  position!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
