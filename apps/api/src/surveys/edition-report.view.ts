import type { CountRow, EditionReportView, ReportPart } from '@assises/surveys';
import { resultsView } from './survey-results.view';

/** Free-text answers the printed report quotes per question (the results page has them all). */
const QUOTES = 10;

/**
 * The edition report's model, section by section (the organisers' text, attendance, programme,
 * contributions, survey), each beside the previous edition's: what the printable page and the
 * HTML download render, and what a PDF rendering is to draw.
 */
export function reportModel(view: EditionReportView, lang: 'fr' | 'en') {
  const current = view.current.survey ? resultsView(view.current.survey, lang) : null;
  const previous = view.previous?.survey ? resultsView(view.previous.survey, lang) : null;
  /** This edition's counts, with the previous edition's beside (a group only it had included). */
  const beside = (rows: CountRow[], earlier: CountRow[] | undefined, prefix: string) =>
    [...rows, ...(earlier ?? []).filter((e) => !rows.some((r) => r.key === e.key))].map((r) => ({
      labelKey: `${prefix}.${r.key}`,
      count: rows.find((c) => c.key === r.key)?.count ?? 0,
      previous: earlier?.find((e) => e.key === r.key)?.count ?? 0,
    }));
  const attendance = (part: EditionReportView['current'], earlier?: ReportPart['attendance']) => ({
    known: part.attendance.confirmed > 0,
    confirmed: part.attendance.confirmed,
    checkedIn: part.attendance.checkedIn,
    byStakeholder: beside(
      part.attendance.byStakeholder,
      earlier?.byStakeholder,
      'surveys.stakeholder',
    ),
    byTerritory: beside(part.attendance.byTerritory, earlier?.byTerritory, 'surveys.territory'),
    declared: part.edition.attendanceCount,
  });
  const label = (row: { labelFr: string; labelEn: string }) =>
    lang === 'en' ? row.labelEn : row.labelFr;
  const { programme, contributions } = view.current;
  const before = view.previous;
  return {
    edition: view.current.edition,
    reportText: view.body,
    programme: {
      ...programme,
      byKind: beside(programme.byKind, before?.programme.byKind, 'surveys.report.kind'),
      byTheme: programme.byTheme.map((r) => ({ label: label(r), count: r.count })),
    },
    previousProgramme: before?.programme ?? null,
    contributions: {
      ...contributions,
      byFormat: contributions.byFormat.map((r) => {
        const then = before?.contributions.byFormat.find((p) => p.key === r.key);
        return {
          label: label(r),
          received: r.received,
          accepted: r.accepted,
          previousReceived: then?.received ?? 0,
          previousAccepted: then?.accepted ?? 0,
        };
      }),
      speakers: contributions.speakersByStakeholder.map((r) => ({
        labelKey: `surveys.stakeholder.${r.key}`,
        received: r.received,
        accepted: r.accepted,
      })),
    },
    previousContributions:
      before && before.contributions.received > 0 ? before.contributions : null,
    attendance: attendance(
      view.current,
      view.previous?.attendance.confirmed ? view.previous.attendance : undefined,
    ),
    previousEdition: view.previous?.edition ?? null,
    previousAttendance: view.previous ? attendance(view.previous) : null,
    survey: current && {
      ...current,
      questions: current.questions.map((q) => {
        const before = previous?.questions.find((p) => p.key === q.key);
        return {
          ...q,
          texts: q.texts.slice(0, QUOTES),
          previousMean: before?.mean ?? null,
          previousNps: before?.nps?.score ?? null,
        };
      }),
    },
    previousSurvey: previous && {
      responses: previous.responses,
      pct: previous.overall.pct,
    },
  };
}
