import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A token for the JSON API, scoped to one edition and one role (never more than its owner holds).
 * Shown once at creation; stored hashed; revocable.
 */
@Entity('api_tokens')
export class ApiToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  accountId!: string;

  /** The edition the token reaches (accounts stores the id only: it knows no edition). */
  @Column('uuid')
  editionId!: string;

  @Column('text')
  role!: string;

  @Column('text')
  label!: string;

  @Column('text')
  tokenHash!: string;

  /** The first characters, to recognise a token in a list without revealing it. */
  @Column('text')
  prefix!: string;

  @Column('timestamptz', { nullable: true })
  lastUsedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
