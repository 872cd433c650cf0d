import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A speaker of a session, copied from the proposal's speakers at import (or typed by organisers).
 * The lower-cased email identifies one person across sessions for speaker clashes.
 */
@Entity('programme_session_speakers')
export class SessionSpeaker {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  sessionId!: string;

  @Column('text')
  name!: string;

  @Column('text', { default: '' })
  email!: string;

  @Column('text', { default: '' })
  organisation!: string;

  @Column('text', { default: '' })
  bio!: string;

  /** The language of their emails. */
  @Column('text', { default: 'fr' })
  locale!: string;

  @Column('int', { default: 0 })
  position!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
