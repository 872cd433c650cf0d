import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, hashSecret, isLocale, Locale } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Edition } from '@assises/editions';
import { MailCategory, MailOutbox, StageMail } from '@assises/mail';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { SurveyAudience, SurveyAttendee } from './survey-audience.port';
import { SurveyInvitation } from './survey-invitation.entity';
import { surveyToken } from './survey-token';
import { Survey } from './survey.entity';

export interface SweepOutcome {
  invited: number;
  reminded: number;
}

const REMINDER_BATCH = 500;

/** A day between two reminders at least, even when the sweep was down for a while. */
const MIN_REMINDER_GAP_MS = 86_400_000;

/**
 * Invitations and reminders, as outbox rows. After an edition's end plus the survey's delay,
 * everyone checked in (or every confirmed attendee when nobody was checked in) is invited once,
 * and while the survey is open those who join that audience later are invited at the next sweep;
 * those who have not answered are reminded at the survey's offsets, at most N times. Each mail
 * has a unique purpose and each step is an atomic conditional change, so two workers sweeping
 * at once send nothing twice.
 */
@Injectable()
export class SurveyMailingService {
  private readonly logger = new Logger(SurveyMailingService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly outbox: MailOutbox,
    private readonly audience: SurveyAudience,
  ) {}

  async sweep(now: Date = this.clock.now()): Promise<SweepOutcome> {
    const due = await this.db.manager.query<{ id: string }[]>(
      `SELECT s.id FROM surveys s JOIN editions e ON e.id = s.edition_id
        WHERE e.ends_at + make_interval(hours => s.invitation_delay_hours) <= $1::timestamptz
          AND s.opens_at <= $1::timestamptz AND s.closes_at > $1::timestamptz`,
      [now],
    );
    let invited = 0;
    for (const { id } of due) invited += await this.invite(id, now);
    let reminded = 0;
    for (;;) {
      const batch = await this.remind(now);
      reminded += batch;
      if (batch < REMINDER_BATCH) break;
    }
    return { invited, reminded };
  }

  /**
   * Invites a survey's audience: everyone the first time, then, at each sweep while the survey
   * is open, whoever joined the audience since (checked in late at the desk, or confirmed late
   * when nobody was checked in). The survey row is locked (a second worker skips it) and an
   * invitation is unique per registration, so nobody is invited twice.
   */
  async invite(surveyId: string, now: Date): Promise<number> {
    const mailIds = await this.db.run(async (em) => {
      const survey = await em
        .createQueryBuilder(Survey, 's')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .where('s.id = :surveyId', { surveyId })
        .getOne();
      if (!survey) return [];
      const late = survey.invitationsCreatedAt !== null;
      const edition = await em.findOneByOrFail(Edition, { id: survey.editionId });
      const attendees = await this.audience.attendeesOf(edition.id);
      const anyCheckedIn = attendees.some((a) => a.checkedIn);
      const audience = attendees.filter((a) => !anyCheckedIn || a.checkedIn);
      const invited = late
        ? new Set(
            (
              await em.query<{ registration_id: string }[]>(
                'SELECT registration_id FROM survey_invitations WHERE survey_id = $1',
                [survey.id],
              )
            ).map((r) => r.registration_id),
          )
        : new Set<string>();
      const newcomers = audience.filter((a) => !invited.has(a.registrationId));
      const invitees = newcomers.filter((a) => isEmail(a.email.trim()));
      // Said once: such attendees stay among the newcomers of every later sweep.
      if (!late && invitees.length < newcomers.length)
        this.logger.warn(`survey ${surveyId}: attendees without a valid email were not invited`);
      const staged: string[] = [];
      for (let i = 0; i < invitees.length; i += 500) {
        staged.push(
          ...(await this.insertInvitations(em, survey, edition, invitees.slice(i, i + 500), now)),
        );
      }
      if (!late) {
        const workshops = await this.audience.workshopsOf(edition.id);
        await em.update(
          Survey,
          { id: survey.id },
          { invitationsCreatedAt: now, workshops: workshops.map((w) => ({ ...w })) },
        );
      }
      if (!late || staged.length > 0)
        await this.audit.record(em, {
          subjectType: 'survey',
          subjectId: survey.id,
          editionId: edition.id,
          action: 'invite',
          data: { invitations: staged.length, checkedInOnly: anyCheckedIn, late },
        });
      return staged;
    });
    await this.outbox.dispatch(mailIds);
    return mailIds.length;
  }

  private async insertInvitations(
    em: EntityManager,
    survey: Survey,
    edition: Edition,
    invitees: SurveyAttendee[],
    now: Date,
  ): Promise<string[]> {
    const rows = invitees.map((a) => {
      const id = randomUUID();
      return {
        id,
        surveyId: survey.id,
        editionId: edition.id,
        registrationId: a.registrationId,
        name: a.name,
        email: a.email.trim().toLowerCase(),
        locale: isLocale(a.locale) ? a.locale : edition.defaultLocale,
        stakeholderType: a.stakeholderType,
        territoryType: a.territoryType,
        workshopIds: a.workshopIds ?? [],
        checkedIn: a.checkedIn,
        tokenHash: hashSecret(surveyToken(this.config.session.secret, id)),
        createdAt: now,
      };
    });
    const result = await em
      .createQueryBuilder()
      .insert()
      .into(SurveyInvitation)
      .values(rows)
      .orIgnore()
      .returning(['id'])
      .execute();
    const created = new Set((result.raw as { id: string }[]).map((r) => r.id));
    const mails = rows
      .filter((row) => created.has(row.id))
      .map((row) =>
        this.mail(survey, edition, row, 'survey-invitation', `survey-invitation:${row.id}`),
      );
    return this.outbox.stage(em, mails);
  }

  /** One batch of due reminders: counted on the invitation and staged in the same transaction. */
  private async remind(now: Date): Promise<number> {
    const mailIds = await this.db.run(async (em) => {
      const [rows] = await em.query<[ReminderRow[], number]>(
        `WITH due AS (
           SELECT i.id FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id
            WHERE NOT i.answered
              AND s.opens_at <= $1::timestamptz AND s.closes_at > $1::timestamptz
              AND i.reminders_sent < LEAST(s.max_reminders, cardinality(s.reminder_days))
              AND i.created_at + make_interval(days => s.reminder_days[i.reminders_sent + 1]) <= $1::timestamptz
              AND (i.last_reminded_at IS NULL OR i.last_reminded_at <= $1::timestamptz - make_interval(secs => $2::int))
            ORDER BY i.created_at
            LIMIT $3::int
            FOR UPDATE OF i SKIP LOCKED)
         UPDATE survey_invitations i
            SET reminders_sent = i.reminders_sent + 1, last_reminded_at = $1::timestamptz
           FROM due WHERE i.id = due.id AND NOT i.answered
         RETURNING i.id, i.survey_id, i.name, i.email, i.locale, i.reminders_sent`,
        [now, MIN_REMINDER_GAP_MS / 1000, REMINDER_BATCH],
      );
      if (rows.length === 0) return [];
      const surveys = new Map<string, { survey: Survey; edition: Edition }>();
      const mails: StageMail[] = [];
      for (const row of rows) {
        let known = surveys.get(row.survey_id);
        if (!known) {
          const survey = await em.findOneByOrFail(Survey, { id: row.survey_id });
          const edition = await em.findOneByOrFail(Edition, { id: survey.editionId });
          known = { survey, edition };
          surveys.set(row.survey_id, known);
        }
        mails.push(
          this.mail(
            known.survey,
            known.edition,
            { id: row.id, name: row.name, email: row.email, locale: row.locale },
            'survey-reminder',
            `survey-reminder:${row.id}:${row.reminders_sent}`,
          ),
        );
      }
      return this.outbox.stage(em, mails);
    });
    await this.outbox.dispatch(mailIds);
    return mailIds.length;
  }

  private mail(
    survey: Survey,
    edition: Edition,
    invitee: { id: string; name: string; email: string; locale: string },
    template: 'survey-invitation' | 'survey-reminder',
    purpose: string,
  ): StageMail {
    const locale: Locale = isLocale(invitee.locale) ? invitee.locale : 'fr';
    const token = surveyToken(this.config.session.secret, invitee.id);
    return {
      to: invitee.email,
      name: invitee.name,
      template,
      locale,
      purpose,
      category: MailCategory.Bulk,
      editionId: edition.id,
      data: {
        name: invitee.name,
        editionTitle: edition.title,
        hostCity: edition.hostCity,
        closesOn: DateTime.fromJSDate(survey.closesAt, { zone: edition.timezone })
          .setLocale(locale)
          .toLocaleString(DateTime.DATE_FULL),
        surveyUrl: `${this.config.publicUrl}/s/${invitee.id}?token=${token}&lang=${locale}`,
      },
    };
  }
}

interface ReminderRow {
  id: string;
  survey_id: string;
  name: string;
  email: string;
  locale: string;
  reminders_sent: number;
}
