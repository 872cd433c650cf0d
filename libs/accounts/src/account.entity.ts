import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A person who signs in: organiser, reviewer, volunteer or platform admin. Knows no edition. */
@Entity('accounts')
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased; unique (index `uq_accounts_email` on lower(email)). */
  @Column('text')
  email!: string;

  @Column('text')
  name!: string;

  /** argon2id hash; null until the person sets a password (invited, not yet accepted). */
  @Column('text', { nullable: true, select: false })
  passwordHash!: string | null;

  @Column('text', { default: 'fr' })
  locale!: string;

  /** Where the person works: a reviewer never reviews a proposal from their own organisation. */
  @Column('text', { default: '' })
  organisation!: string;

  /** Runs the whole platform: every edition, the queue dashboard, the outbox. */
  @Column('boolean', { default: false })
  isPlatformAdmin!: boolean;

  @Column('timestamptz', { nullable: true })
  disabledAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
