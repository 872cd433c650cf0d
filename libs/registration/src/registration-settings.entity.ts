import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export enum WaitlistMode {
  /** A freed seat goes straight to the first person waiting. */
  Auto = 'auto',
  /** The first person waiting is offered the seat and has `offerHours` to accept it. */
  Offer = 'offer',
}

/** A custom question organisers add to the form; answers are kept by `key`. */
export interface RegistrationQuestion {
  key: string;
  labelFr: string;
  labelEn: string;
  required: boolean;
}

/**
 * How an edition takes registrations. `seatsLeft` is the edition-wide seat counter: taken with
 * an atomic conditional update (`seats_left > 0`), given back on cancellation. The row is also
 * the edition's mutex for the waiting list (locked while a registration joins it or a seat is
 * handed to the next person).
 */
@Entity('registration_settings')
export class RegistrationSettings {
  @PrimaryColumn('uuid')
  editionId!: string;

  @Column('timestamptz')
  opensAt!: Date;

  @Column('timestamptz')
  closesAt!: Date;

  /** Seats for registration; null: the edition's capacity. */
  @Column('int', { nullable: true })
  capacity!: number | null;

  @Column('int')
  seatsLeft!: number;

  /** People waiting now, kept by a trigger on `registrations` (a newcomer's position). */
  @Column('int', { default: 0 })
  waitingCount!: number;

  @Column('text', { default: WaitlistMode.Auto })
  waitlistMode!: WaitlistMode;

  /** In offer mode, how long the person offered a seat has to accept it. */
  @Column('int', { default: 48 })
  offerHours!: number;

  /** Days before the event when reminders go, e.g. [7, 1]. */
  @Column('jsonb', { default: () => "'[7, 1]'" })
  reminderDays!: number[];

  /** The version of the privacy notice people consent to (recorded on each registration). */
  @Column('text', { default: '1' })
  privacyNoticeVersion!: string;

  @Column('jsonb', { default: () => "'[]'" })
  questions!: RegistrationQuestion[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
