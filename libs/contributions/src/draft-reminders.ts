import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, Locale } from '@assises/core';
import { toLocalInput } from '@assises/editions';
import { MailOutbox } from '@assises/mail';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

const DAY_MS = 86_400_000;
/** The mark of a reminder whose time had passed: it comes back if the deadline moves later. */
const TOO_LATE = 'reminder-too-late';

/** When a draft's one reminder is due: N days before the deadline that applies to it. */
export function draftReminderAt(deadline: Date, days: number): Date {
  return new Date(deadline.getTime() - days * DAY_MS);
}

/** The purpose of a draft's reminder row (one per draft). */
export const draftReminderPurpose = (proposalId: string) => `draft-reminder:${proposalId}`;

export interface DraftReminderInput {
  proposalId: string;
  editionId: string;
  editionTitle: string;
  timezone: string;
  title: string;
  submitterEmail: string;
  submitterName: string;
  locale: Locale;
  deadline: Date;
  days: number;
  manageUrl: string;
}

/**
 * The one reminder an unfinished draft gets: an outbox row with `not_before`, staged when the
 * draft is saved, cancelled when it is submitted or withdrawn, moved when the deadline moves. A
 * reminder whose time has already passed is kept cancelled (marked), so a later deadline can
 * bring it back: the manage link it carries cannot be made again (the token is stored hashed).
 */
@Injectable()
export class DraftReminders {
  constructor(
    private readonly clock: Clock,
    private readonly outbox: MailOutbox,
    @Inject(APP_CONFIG) readonly config: AppConfig,
  ) {}

  async stage(em: EntityManager, input: DraftReminderInput): Promise<void> {
    const at = draftReminderAt(input.deadline, input.days);
    const [id] = await this.outbox.stage(em, [
      {
        to: input.submitterEmail,
        name: input.submitterName,
        template: 'proposal-draft-reminder',
        locale: input.locale,
        purpose: draftReminderPurpose(input.proposalId),
        editionId: input.editionId,
        notBefore: at,
        data: {
          submitterName: input.submitterName,
          proposalTitle: input.title,
          editionTitle: input.editionTitle,
          deadline: toLocalInput(input.deadline, input.timezone).replace('T', ' '),
          manageUrl: input.manageUrl,
        },
      },
    ]);
    if (id && at <= this.clock.now())
      await em.query(
        `UPDATE outbox_messages SET status = 'cancelled', last_error = $2 WHERE id = $1`,
        [id, TOO_LATE],
      );
  }

  /** The draft was submitted or withdrawn: no reminder. */
  async cancel(em: EntityManager, proposalId: string): Promise<void> {
    await this.outbox.cancel(em, draftReminderPurpose(proposalId));
  }

  /**
   * Recomputes the reminders of an edition's drafts (or of one draft) from the current deadlines,
   * reminder days and titles: called when the call's closing date, a format's deadline or the
   * draft itself changes.
   */
  async refresh(em: EntityManager, editionId: string, proposalId?: string): Promise<void> {
    const rows = await em.query<
      {
        message_id: string;
        deadline: Date;
        days: number;
        title: string;
        timezone: string;
        email: string;
        name: string;
      }[]
    >(
      `SELECT m.id AS message_id, coalesce(f.deadline, c.closes_at) AS deadline,
              c.draft_reminder_days AS days, p.title, e.timezone, s.email, s.name
         FROM proposals p
         JOIN call_formats f ON f.id = p.format_id
         JOIN calls c ON c.edition_id = p.edition_id
         JOIN editions e ON e.id = p.edition_id
         JOIN proposal_speakers s ON s.proposal_id = p.id AND s.position = 0
         JOIN outbox_messages m ON m.purpose = 'draft-reminder:' || p.id
        WHERE p.edition_id = $1 AND p.state = 'draft' AND ($2::uuid IS NULL OR p.id = $2::uuid)
          AND (m.status = 'pending' OR (m.status = 'cancelled' AND m.last_error = $3))`,
      [editionId, proposalId ?? null, TOO_LATE],
    );
    const now = this.clock.now();
    for (const row of rows) {
      const at = draftReminderAt(new Date(row.deadline), row.days);
      const deadline = toLocalInput(new Date(row.deadline), row.timezone).replace('T', ' ');
      await em.query(
        `UPDATE outbox_messages
            SET not_before = $2, status = $3, last_error = $4, recipient = $7, recipient_name = $8,
                data = data || jsonb_build_object('deadline', $5::text, 'proposalTitle', $6::text,
                                                  'submitterName', $8::text)
          WHERE id = $1`,
        [
          row.message_id,
          at,
          at > now ? 'pending' : 'cancelled',
          at > now ? null : TOO_LATE,
          deadline,
          row.title,
          // The draft's submitter may have changed their address: the reminder follows it.
          row.email.toLowerCase(),
          row.name.replace(/[\r\n]+/g, ' '),
        ],
      );
    }
  }
}
