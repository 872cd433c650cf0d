import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A code that opens a (usually hidden) category: single use (`maxUses` 1) or shared. */
@Entity('invitation_codes')
export class InvitationCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('uuid')
  categoryId!: string;

  /** Upper-case, as typed by people (compared upper-cased). */
  @Column('text')
  code!: string;

  @Column('int', { default: 1 })
  maxUses!: number;

  @Column('int', { default: 0 })
  usedCount!: number;

  @Column('text', { default: '' })
  note!: string;

  /** Set when organisers revoke the code: it opens nothing any more. */
  @Column('timestamptz', { nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
