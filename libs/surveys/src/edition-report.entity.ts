import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The organisers' own text in the edition report (key challenges, what the day brought out). */
@Entity('edition_reports')
export class EditionReport {
  @PrimaryColumn('uuid')
  editionId!: string;

  @Column('text', { default: '' })
  body!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
