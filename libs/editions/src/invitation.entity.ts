import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { EditionRole } from './membership.entity';

/** An emailed invitation to join an edition's team with a role. Single use, expiring. */
@Entity('invitations')
export class Invitation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  /** Lower-cased address. */
  @Column('text')
  email!: string;

  @Column('text')
  role!: EditionRole;

  @Column('text')
  tokenHash!: string;

  @Column('uuid')
  invitedById!: string;

  @Column('timestamptz')
  expiresAt!: Date;

  @Column('timestamptz', { nullable: true })
  acceptedAt!: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
