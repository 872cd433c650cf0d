import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum EditionStatus {
  Draft = 'draft',
  Announced = 'announced',
  CfpOpen = 'cfp_open',
  ProgrammePublished = 'programme_published',
  RegistrationOpen = 'registration_open',
  Running = 'running',
  Closed = 'closed',
  Archived = 'archived',
}

/**
 * One edition of the Assises, hosted by a city and its local network. Dates are instants
 * (timestamptz); `timezone` says how to show them to people on site.
 */
@Entity('editions')
export class Edition {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  slug!: string;

  @Column('text')
  title!: string;

  @Column('text')
  hostCity!: string;

  /** The local network or organisation that hosts this edition. */
  @Column('text', { default: '' })
  hostOrganisation!: string;

  @Column('text', { default: '' })
  venueName!: string;

  @Column('text', { default: '' })
  venueAddress!: string;

  @Column('text', { default: '' })
  description!: string;

  /** IANA zone, e.g. Europe/Paris. */
  @Column('text', { default: 'Europe/Paris' })
  timezone!: string;

  @Column('timestamptz')
  startsAt!: Date;

  @Column('timestamptz')
  endsAt!: Date;

  @Column('text', { default: EditionStatus.Draft })
  status!: EditionStatus;

  @Column('text', { default: 'fr' })
  defaultLocale!: string;

  /** Seats for the whole event. */
  @Column('int')
  capacity!: number;

  /** People who came, recorded after the event (past editions imported by hand have only this). */
  @Column('int', { nullable: true })
  attendanceCount!: number | null;

  /** The edition this one was started from. */
  @Column('uuid', { nullable: true })
  previousEditionId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
