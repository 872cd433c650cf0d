import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A kind of session a contributor can propose (atelier, table ronde…), with its speaker bounds. */
@Entity('call_formats')
export class CallFormat {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  /** Stable identifier within the edition, e.g. `atelier`; kept when an edition is cloned. */
  @Column('text')
  key!: string;

  @Column('text')
  nameFr!: string;

  @Column('text')
  nameEn!: string;

  @Column('int')
  defaultDurationMinutes!: number;

  @Column('int', { default: 1 })
  minSpeakers!: number;

  @Column('int')
  maxSpeakers!: number;

  /** A deadline earlier (or later) than the call's closing, for this format only. */
  @Column('timestamptz', { nullable: true })
  deadline!: Date | null;

  @Column('int', { default: 0 })
  position!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
