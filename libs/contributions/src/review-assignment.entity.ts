import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A proposal given to a reviewer, by hand or by the balanced automatic assignment. */
@Entity('review_assignments')
export class ReviewAssignment {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('uuid')
  proposalId!: string;

  @Column('uuid')
  reviewerId!: string;

  @Column('uuid', { nullable: true })
  assignedBy!: string | null;

  @Column('boolean', { default: false })
  automatic!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
