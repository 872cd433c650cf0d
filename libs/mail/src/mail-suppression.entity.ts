import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An address that unsubscribed from bulk mail; transactional mail still reaches it. */
@Entity('mail_suppressions')
export class MailSuppression {
  /** Lower-cased address. */
  @PrimaryColumn('text')
  email!: string;

  @Column('text', { default: 'unsubscribe' })
  reason!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
