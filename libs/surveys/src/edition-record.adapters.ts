import {
  ACCEPTED_STATES,
  STAKEHOLDER_TYPES,
  stakeholderMixOf,
  SUBMITTED_STATES,
} from '@assises/contributions';
import { TransactionRunner } from '@assises/database';
import { ScheduleVersion } from '@assises/programme';
import { Injectable } from '@nestjs/common';
import {
  ContributionsRecord,
  ContributionsRecordSource,
  LabelledCount,
  ProgrammeRecord,
  ProgrammeRecordSource,
} from './edition-record.port';

/** Counts of `keys`, most frequent first, then by key. */
function tally(keys: string[], label: (key: string) => [string, string]): LabelledCount[] {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts.entries()]
    .map(([key, count]) => {
      const [labelFr, labelEn] = label(key);
      return { key, labelFr, labelEn, count };
    })
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** The programme of the report: the edition's latest published version (the public one). */
@Injectable()
export class PublishedProgrammeRecord extends ProgrammeRecordSource {
  constructor(private readonly db: TransactionRunner) {
    super();
  }

  async programmeOf(editionId: string): Promise<ProgrammeRecord> {
    const version = await this.db.manager.findOne(ScheduleVersion, {
      where: { editionId },
      order: { number: 'DESC' },
    });
    if (!version)
      return {
        published: false,
        versionName: '',
        sessions: 0,
        speakers: 0,
        byKind: [],
        byTheme: [],
      };
    const { sessions, themes } = version.snapshot;
    const themeOf = new Map(themes.map((t) => [t.id, t]));
    return {
      published: true,
      versionName: version.name,
      sessions: sessions.length,
      speakers: new Set(sessions.flatMap((s) => s.speakers.map((p) => p.name.trim().toLowerCase())))
        .size,
      byKind: tally(
        sessions.map((s) => s.kind),
        () => ['', ''],
      ),
      byTheme: tally(
        sessions.map((s) => (s.themeId && themeOf.has(s.themeId) ? s.themeId : '')),
        (key) => {
          const theme = themeOf.get(key);
          return theme ? [theme.nameFr, theme.nameEn] : ['', ''];
        },
      ),
    };
  }
}

/** The call for contributions of the report: proposals by format, speakers by stakeholder type. */
@Injectable()
export class CallContributionsRecord extends ContributionsRecordSource {
  constructor(private readonly db: TransactionRunner) {
    super();
  }

  async contributionsOf(editionId: string): Promise<ContributionsRecord> {
    const em = this.db.manager;
    const formats = await em.query<
      { key: string; name_fr: string; name_en: string; received: number; accepted: number }[]
    >(
      `SELECT f.key, f.name_fr, f.name_en,
              count(p.id) FILTER (WHERE p.state = ANY($2))::int AS received,
              count(p.id) FILTER (WHERE p.state = ANY($3))::int AS accepted
         FROM call_formats f LEFT JOIN proposals p ON p.format_id = f.id
        WHERE f.edition_id = $1
        GROUP BY f.id ORDER BY f.position, f.key`,
      [editionId, SUBMITTED_STATES, ACCEPTED_STATES],
    );
    const mix = await stakeholderMixOf(em, editionId);
    return {
      received: formats.reduce((sum, f) => sum + f.received, 0),
      accepted: formats.reduce((sum, f) => sum + f.accepted, 0),
      byFormat: formats.map((f) => ({
        key: f.key,
        labelFr: f.name_fr,
        labelEn: f.name_en,
        received: f.received,
        accepted: f.accepted,
      })),
      speakersByStakeholder: STAKEHOLDER_TYPES.map((key) => ({
        key,
        received: mix.submitted.speakers.byStakeholder[key],
        accepted: mix.accepted.speakers.byStakeholder[key],
      })).filter((row) => row.received > 0),
    };
  }
}
