import { Actor } from '@assises/accounts';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Edition, EditionPermission, EditionService, previousEdition } from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { EditionReport } from './edition-report.entity';
import {
  ContributionsRecord,
  ContributionsRecordSource,
  ProgrammeRecord,
  ProgrammeRecordSource,
} from './edition-record.port';
import { SurveyAudience } from './survey-audience.port';
import { SurveyResults, SurveyResultsService } from './survey-results.service';
import { Survey } from './survey.entity';

export interface CountRow {
  key: string;
  count: number;
}

/** Attendance as registration reports it through the SurveyAudience port. */
export interface Attendance {
  /** Confirmed attendees known to registration; 0 until registration is wired. */
  confirmed: number;
  checkedIn: number;
  byStakeholder: CountRow[];
  byTerritory: CountRow[];
}

/** One edition's part of the report. */
export interface ReportPart {
  edition: Edition;
  attendance: Attendance;
  programme: ProgrammeRecord;
  contributions: ContributionsRecord;
  /** Null when the edition had no survey. */
  survey: SurveyResults | null;
}

export interface EditionReportView {
  current: ReportPart;
  previous: ReportPart | null;
  body: string;
}

/**
 * The edition report (the "capitalisation" booklet for the next host city): attendance, the
 * published programme, the call for contributions, survey results and the organisers' own
 * text, beside the previous edition's. Registration, programme and contributions are read
 * through ports this lib owns.
 */
@Injectable()
export class EditionReportService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly editions: EditionService,
    private readonly results: SurveyResultsService,
    private readonly audience: SurveyAudience,
    private readonly programme: ProgrammeRecordSource,
    private readonly contributions: ContributionsRecordSource,
  ) {}

  async view(actor: Actor, slug: string): Promise<EditionReportView> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const report = await this.db.manager.findOneBy(EditionReport, { editionId: edition.id });
    const previous = await previousEdition(this.db.manager, edition);
    return {
      current: await this.part(edition),
      previous: previous ? await this.part(previous) : null,
      body: report?.body ?? '',
    };
  }

  async saveText(actor: Actor, slug: string, body: string): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      await em.query(
        `INSERT INTO edition_reports (edition_id, body) VALUES ($1, $2)
         ON CONFLICT (edition_id) DO UPDATE SET body = excluded.body, updated_at = now()`,
        [edition.id, body],
      );
      await this.audit.record(em, {
        subjectType: 'edition_report',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'update',
      });
    });
  }

  private async part(edition: Edition): Promise<ReportPart> {
    const hasSurvey = await this.db.manager.exists(Survey, { where: { editionId: edition.id } });
    return {
      edition,
      attendance: await this.attendance(edition.id),
      programme: await this.programme.programmeOf(edition.id),
      contributions: await this.contributions.contributionsOf(edition.id),
      survey: hasSurvey ? await this.results.resultsOf(edition) : null,
    };
  }

  private async attendance(editionId: string): Promise<Attendance> {
    const attendees = await this.audience.attendeesOf(editionId);
    const anyCheckedIn = attendees.some((a) => a.checkedIn);
    const present = anyCheckedIn ? attendees.filter((a) => a.checkedIn) : attendees;
    const count = (key: (a: (typeof present)[number]) => string): CountRow[] => {
      const map = new Map<string, number>();
      for (const a of present) map.set(key(a), (map.get(key(a)) ?? 0) + 1);
      return [...map.entries()]
        .map(([k, n]) => ({ key: k, count: n }))
        .sort((x, y) => y.count - x.count || x.key.localeCompare(y.key));
    };
    return {
      confirmed: attendees.length,
      checkedIn: attendees.filter((a) => a.checkedIn).length,
      byStakeholder: count((a) => a.stakeholderType),
      byTerritory: count((a) => a.territoryType),
    };
  }
}
