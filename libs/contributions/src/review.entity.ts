import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * One reviewer's review of one proposal: a 0–5 score per criterion key, null to abstain, and a
 * comment. `score` is the weighted mean of the non-null scores (null when all abstained),
 * recomputed whenever the criteria's weights change.
 */
@Entity('reviews')
export class Review {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('uuid')
  proposalId!: string;

  @Column('uuid')
  reviewerId!: string;

  @Column('jsonb', { default: () => "'{}'" })
  scores!: Record<string, number | null>;

  /** numeric(6,3), read as a string by pg. */
  @Column('numeric', { precision: 6, scale: 3, nullable: true })
  score!: string | null;

  @Column('text', { default: '' })
  comment!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
