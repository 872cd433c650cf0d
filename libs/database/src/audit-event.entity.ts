import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One row per state transition or sensitive action (who, when, what, from, to). Append-only:
 * the history pages of editions, proposals and registrations read it.
 */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** e.g. `edition`, `proposal`, `registration`, `account`. */
  @Column('text')
  subjectType!: string;

  @Column('uuid')
  subjectId!: string;

  /** The edition the subject belongs to, so an edition's whole history can be read at once. */
  @Column('uuid', { nullable: true })
  editionId!: string | null;

  /** Who acted; null for the system (sweeps, automatic promotion). */
  @Column('uuid', { nullable: true })
  actorId!: string | null;

  /** The named transition or action, e.g. `announce`, `password_reset`. */
  @Column('text')
  action!: string;

  @Column('text', { nullable: true })
  fromState!: string | null;

  @Column('text', { nullable: true })
  toState!: string | null;

  @Column('jsonb', { default: {} })
  data!: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
