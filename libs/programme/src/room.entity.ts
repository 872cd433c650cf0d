import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A time window as stored: ISO 8601 instants, the end excluded. */
export interface StoredWindow {
  start: string;
  end: string;
}

/**
 * A room of an edition's venue. Rooms are not copied to a new edition (the venue changes). An
 * empty availability means the room is open whenever the event runs.
 */
@Entity('rooms')
export class Room {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('text')
  name!: string;

  /** Seats; sessions default to it. */
  @Column('int')
  capacity!: number;

  /** How to get there, what to know (plain text). */
  @Column('text', { default: '' })
  accessNotes!: string;

  @Column('boolean', { default: true })
  stepFree!: boolean;

  @Column('jsonb', { default: () => "'[]'" })
  equipment!: string[];

  @Column('jsonb', { default: () => "'[]'" })
  availability!: StoredWindow[];

  /** Column order on the grid. */
  @Column('int', { default: 0 })
  position!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
