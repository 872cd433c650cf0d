import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export enum OutboxStatus {
  Pending = 'pending',
  Sending = 'sending',
  Sent = 'sent',
  Failed = 'failed',
  Cancelled = 'cancelled',
}

/** Transactional mail answers the person's own action; bulk mail (reminders, invitations) can be unsubscribed from. */
export enum MailCategory {
  Transactional = 'transactional',
  Bulk = 'bulk',
}

/** An event for calendars, stored as data and written as an iCal file at send time. */
export interface CalendarEvent {
  /** The calendar's name (shown by some clients). */
  calendarName: string;
  uid: string;
  /** ISO 8601 instants. */
  start: string;
  end: string;
  summary: string;
  location: string;
  description: string;
  url: string;
}

/**
 * A file sent with a message; `cid` makes it an inline image (`<img src="cid:…">`). Either its
 * bytes, or what the worker draws when it sends the message: the text of a QR code (a PNG),
 * an event (an iCal file). Drawing costs milliseconds of CPU: not something a request should
 * wait for, least of all while it holds a seat lock.
 */
export interface MailAttachment {
  filename: string;
  contentType: string;
  /** The bytes, base64. */
  content?: string;
  /** The text a PNG QR code encodes, drawn at send time. */
  qrCode?: string;
  /** The event an iCal file describes, written at send time. */
  calendar?: CalendarEvent;
  cid?: string;
}

/**
 * An email as a row before it is a message: written in the same transaction as the business
 * change that causes it, delivered later by the worker. `purpose` is unique per recipient, so
 * the same reminder or confirmation can never be queued twice.
 */
@Entity('outbox_messages')
export class OutboxMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Lower-cased address. */
  @Column('text')
  recipient!: string;

  @Column('text', { nullable: true })
  recipientName!: string | null;

  /** Template name, e.g. `password-reset`. */
  @Column('text')
  template!: string;

  @Column('text')
  locale!: string;

  /** The template's variables; rendered at send time, strictly. */
  @Column('jsonb')
  data!: Record<string, unknown>;

  /** Why this mail exists, unique per recipient: `password-reset:<id>`, `reminder-j7:<registration>`. */
  @Column('text')
  purpose!: string;

  @Column('text', { default: MailCategory.Transactional })
  category!: MailCategory;

  @Column('uuid', { nullable: true })
  editionId!: string | null;

  /** Not sent before this time: scheduled reminders are rows, not delayed jobs. */
  @Column('timestamptz', { default: () => 'now()' })
  notBefore!: Date;

  @Column('text', { default: OutboxStatus.Pending })
  status!: OutboxStatus;

  @Column('int', { default: 0 })
  attempts!: number;

  /** While `sending`, the time after which another worker may take the row over (a crashed worker). */
  @Column('timestamptz', { nullable: true })
  lockedUntil!: Date | null;

  @Column('text', { nullable: true })
  lastError!: string | null;

  /** Files sent with the message (small: an iCal event, a QR code). */
  @Column('jsonb', { default: () => "'[]'" })
  attachments!: MailAttachment[];

  /** Filled when rendered, so lists show what people received. */
  @Column('text', { nullable: true })
  subject!: string | null;

  @Column('text', { nullable: true })
  messageId!: string | null;

  @Column('timestamptz', { nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
