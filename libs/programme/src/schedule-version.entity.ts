import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { Changelog, ProgrammeSnapshot } from './core/snapshot';

/**
 * A published version of the schedule: a frozen snapshot (the only thing the public sees) and
 * what changed since the previous version.
 */
@Entity('schedule_versions')
export class ScheduleVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  /** 1, 2, 3… per edition. */
  @Column('int')
  number!: number;

  @Column('text')
  name!: string;

  @Column('jsonb')
  snapshot!: ProgrammeSnapshot;

  @Column('jsonb', { default: () => "'{}'" })
  changelog!: Changelog;

  @Column('uuid', { nullable: true })
  publishedById!: string | null;

  @Column('timestamptz', { default: () => 'now()' })
  publishedAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
