import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum FixedBlockKind {
  Break = 'break',
  Closing = 'closing',
  Lunch = 'lunch',
  Opening = 'opening',
  Plenary = 'plenary',
}

/** A time across all rooms where no session runs: opening plenary, breaks, lunch, closing. */
@Entity('fixed_blocks')
export class FixedBlock {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('text')
  kind!: FixedBlockKind;

  @Column('text')
  title!: string;

  @Column('timestamptz')
  startsAt!: Date;

  @Column('timestamptz')
  endsAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
