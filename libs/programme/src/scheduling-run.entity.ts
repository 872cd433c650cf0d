import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { ScheduleMode } from './core/scheduler';

export enum SchedulingRunStatus {
  Applied = 'applied',
  Discarded = 'discarded',
  Done = 'done',
  Failed = 'failed',
  Queued = 'queued',
  Running = 'running',
}

/** What the automatic scheduler proposes: placements, what it could not place and why, costs. */
export interface SchedulingRunResult {
  placements: { sessionId: string; roomId: string; startsAt: string; version: number }[];
  unplaced: { sessionId: string; reason: string; version: number }[];
  cost: { overflow: number; overlap: number; moves: number };
}

/**
 * One run of the automatic scheduler, computed in the worker. Its result is a proposal the
 * organiser reviews, then applies (or discards); nothing changes in the schedule before that.
 */
@Entity('scheduling_runs')
export class SchedulingRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('text')
  mode!: ScheduleMode;

  @Column('text', { default: SchedulingRunStatus.Queued })
  status!: SchedulingRunStatus;

  /** Percent. */
  @Column('int', { default: 0 })
  progress!: number;

  @Column('jsonb', { nullable: true })
  result!: SchedulingRunResult | null;

  @Column('text', { nullable: true })
  error!: string | null;

  @Column('uuid', { nullable: true })
  requestedById!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
