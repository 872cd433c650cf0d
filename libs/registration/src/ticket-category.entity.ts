import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A kind of ticket (participant, speaker, volunteer, organiser, press) with an optional quota
 * inside the edition's capacity. Hidden categories are reachable only with an invitation code.
 * `seatsLeft` is the category's own counter (null without a quota).
 */
@Entity('ticket_categories')
export class TicketCategory {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  editionId!: string;

  @Column('text')
  key!: string;

  @Column('text')
  nameFr!: string;

  @Column('text')
  nameEn!: string;

  @Column('int', { nullable: true })
  quota!: number | null;

  @Column('int', { nullable: true })
  seatsLeft!: number | null;

  @Column('boolean', { default: false })
  hidden!: boolean;

  @Column('int', { default: 0 })
  position!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
