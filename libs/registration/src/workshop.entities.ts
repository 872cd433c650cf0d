import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** An attendee's interest in a session of the working programme: demand for the scheduler. */
@Entity('session_interests')
export class SessionInterest {
  @PrimaryColumn('uuid')
  registrationId!: string;

  @PrimaryColumn('uuid')
  sessionId!: string;

  @Column('uuid')
  editionId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * The seats of a published workshop: created from the published snapshot on the first sign-up,
 * taken by an atomic conditional UPDATE; the row is also the mutex of its waiting list.
 */
@Entity('workshop_seats')
export class WorkshopSeats {
  @PrimaryColumn('uuid')
  sessionId!: string;

  @Column('uuid')
  editionId!: string;

  @Column('int')
  capacity!: number;

  @Column('int')
  seatsLeft!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

export enum WorkshopSignupState {
  Confirmed = 'confirmed',
  Waiting = 'waiting',
}

/** One attendee in one workshop: seated, or waiting (ordered by `seq`). Leaving deletes it. */
@Entity('workshop_signups')
export class WorkshopSignup {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', insert: false, update: false })
  @Generated('increment')
  seq!: string;

  @Column('uuid')
  editionId!: string;

  @Column('uuid')
  registrationId!: string;

  @Column('uuid')
  sessionId!: string;

  @Column('text')
  state!: WorkshopSignupState;

  /** The workshop's times in the published version, for the clash check. */
  @Column('timestamptz')
  startsAt!: Date;

  @Column('timestamptz')
  endsAt!: Date;

  @Column('timestamptz', { nullable: true })
  confirmedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
