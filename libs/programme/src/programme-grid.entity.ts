import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * The time grid of an edition: sessions start on multiples of `stepMinutes` from `dayStart`, each
 * event day (from the edition's dates, in its timezone) between `dayStart` and `dayEnd`.
 */
@Entity('programme_grids')
export class ProgrammeGrid {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('int', { default: 15 })
  stepMinutes!: number;

  /** Wall-clock HH:mm in the edition's timezone. */
  @Column('text', { default: '09:00' })
  dayStart!: string;

  @Column('text', { default: '18:00' })
  dayEnd!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
