import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum SessionKind {
  Keynote = 'keynote',
  Other = 'other',
  Plenary = 'plenary',
  RoundTable = 'round_table',
  Talk = 'talk',
  Workshop = 'workshop',
}

/**
 * A session of the working schedule: imported from a confirmed proposal or created by organisers.
 * It is scheduled when it has a room and a start. `version` grows with every change, so two
 * organisers editing at once cannot overwrite each other silently.
 */
@Entity('programme_sessions')
export class ProgrammeSession {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  /** The proposal it came from, if any (imported once). */
  @Column('uuid', { nullable: true })
  proposalId!: string | null;

  @Column('uuid', { nullable: true })
  themeId!: string | null;

  @Column('text')
  title!: string;

  @Column('text', { default: '' })
  abstract!: string;

  @Column('text')
  kind!: SessionKind;

  @Column('text', { default: 'fr' })
  language!: string;

  @Column('int')
  durationMinutes!: number;

  /** Seats; null means the room's capacity. */
  @Column('int', { nullable: true })
  capacity!: number | null;

  /** What the contributors expect (from the proposal). */
  @Column('int', { nullable: true })
  expectedAudience!: number | null;

  /** The organisers' own estimate of the demand. */
  @Column('int', { nullable: true })
  estimatedDemand!: number | null;

  /** The event days (YYYY-MM-DD) or half-days (-am, -pm) its speakers can make; empty: any. */
  @Column('jsonb', { default: () => "'[]'" })
  availability!: string[];

  @Column('uuid', { nullable: true })
  roomId!: string | null;

  @Column('timestamptz', { nullable: true })
  startsAt!: Date | null;

  @Column('int', { default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
