import type { Locale } from '@assises/core';
import { SurveyQuestionKind as K } from '@assises/surveys';
import PDFDocument from 'pdfkit';
import { INTL_LOCALE } from '../http/views';
import type { reportModel } from './edition-report.view';
import { barWidth, pdfText, scalePosition } from './pdf-text';

export type ReportModel = ReturnType<typeof reportModel>;
type Question = NonNullable<ReportModel['survey']>['questions'][number];
type Bars = Question['bars'];

/** A translation in the report's language (the same keys as the page). */
export type Translate = (key: string, args?: Record<string, unknown>) => string;

export interface ReportPdfOptions {
  lang: Locale;
  t: Translate;
  /** Deflate the page contents (the default); tests read them either way. */
  compress?: boolean;
}

const GREEN = '#1d6f5f';
const PALE = '#e8efe9';
const GREY = '#555555';
const INK = '#1a1a1a';
const MARGIN = 56;
const NPS_SCALE = [-100, 100] as const;
/** The answers' scale of the questions whose mean and median are marked on it. */
const SCALES: Partial<Record<K, readonly [number, number]>> = {
  [K.Nps]: [0, 10],
  [K.Rating]: [1, 5],
};
/** Room kept free under a heading so that it never ends a page alone. */
const KEEP_WITH_HEADING = 60;

/** The edition's dates as people read them ("10–11 mars 2027"), in its own time zone. */
export function editionDates(
  startsAt: Date | string,
  endsAt: Date | string,
  zone: string,
  lang: Locale,
): string {
  const format = new Intl.DateTimeFormat(INTL_LOCALE[lang], {
    dateStyle: 'long',
    timeZone: zone || 'Europe/Paris',
  });
  return format.formatRange(new Date(startsAt), new Date(endsAt));
}

/**
 * Draws the edition report with pdfkit, section by section as the printable page has them:
 * header, the organisers' text, attendance, programme, contributions, the survey's charts as
 * vector shapes. Text goes through `pdfText` (WinAnsi) and pdfkit's own wrapping, which carries
 * long text onto new pages and cuts words longer than a line; tables and charts check the room
 * left before they draw a row.
 */
export function renderReportPdf(model: ReportModel, options: ReportPdfOptions): Promise<Buffer> {
  const { t, lang } = options;
  const { edition } = model;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    lang: INTL_LOCALE[lang],
    info: { Title: pdfText(`${t('surveys.report.title')} - ${edition.title}`) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.maxY();

  /** A new page when fewer than `height` points are left on this one. */
  const room = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const write = (
    text: string,
    style: { size?: number; bold?: boolean; color?: string; gap?: number } = {},
  ) => {
    doc
      .font(style.bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(style.size ?? 10)
      .fillColor(style.color ?? INK)
      .text(pdfText(text), left, doc.y, { width });
    doc.moveDown(style.gap ?? 0.3);
  };
  const heading = (text: string, size = 15) => {
    doc.moveDown(0.6);
    room(KEEP_WITH_HEADING);
    write(text, { size, bold: true, color: size > 12 ? GREEN : INK, gap: 0.4 });
  };
  const note = (text: string) => write(text, { color: GREY });

  /**
   * A table: columns share the width by `weights`; each row as tall as its tallest cell, moved
   * whole onto the next page (its header again) when it does not fit. A cell taller than a page
   * is cut with an ellipsis rather than run off it.
   */
  const table = (headers: string[], rows: string[][], weights: number[]) => {
    const total = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => (w / total) * width);
    const cap = bottom() - doc.page.margins.top;
    const line = (cells: string[], bold: boolean) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      const texts = cells.map(pdfText);
      const height =
        Math.min(
          cap - 20,
          Math.max(...texts.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i] - 6 }))),
        ) + 4;
      return { texts, height };
    };
    const draw = (row: { texts: string[]; height: number }, bold: boolean) => {
      const y = doc.y;
      let x = left;
      row.texts.forEach((text, i) => {
        doc
          .fillColor(bold ? GREEN : INK)
          .text(text, x, y + 2, { width: widths[i] - 6, height: row.height, ellipsis: true });
        x += widths[i];
      });
      doc
        .moveTo(left, y + row.height)
        .lineTo(left + width, y + row.height)
        .lineWidth(0.5)
        .strokeColor(PALE)
        .stroke();
      doc.x = left;
      doc.y = y + row.height;
    };
    const head = line(headers, true);
    room(head.height + 16);
    draw(head, true);
    for (const cells of rows) {
      const row = line(cells, false);
      if (doc.y + row.height > bottom()) {
        doc.addPage();
        doc.font('Helvetica-Bold').fontSize(9);
        draw(head, true);
        doc.font('Helvetica').fontSize(9);
      }
      draw(row, false);
    }
    doc.moveDown(0.8);
  };

  /** One horizontal bar per option: label, the bar on its pale track, count and share. */
  const bars = (list: Bars) => {
    const labelWidth = width * 0.4;
    const track = width * 0.4;
    const figureX = left + labelWidth + track + 8;
    for (const bar of list) {
      const label = pdfText(bar.label);
      doc.font('Helvetica').fontSize(9);
      const height = Math.max(12, doc.heightOfString(label, { width: labelWidth - 8 })) + 3;
      room(height);
      const y = doc.y;
      doc.fillColor(INK).text(label, left, y, { width: labelWidth - 8 });
      doc
        .rect(left + labelWidth, y + 1, track, 8)
        .fill(PALE)
        .rect(left + labelWidth, y + 1, barWidth(bar.pct, track), 8)
        .fill(GREEN);
      doc.fillColor(INK).text(pdfText(`${bar.count} · ${bar.pct} %`), figureX, y, {
        width: left + width - figureX,
        lineBreak: false,
      });
      doc.x = left;
      doc.y = y + height;
    }
  };

  /** The NPS on its −100…100 scale: detractors' side, promoters' side, a mark at the score. */
  const npsScale = (score: number) => {
    room(34);
    const y = doc.y + 4;
    const scaleWidth = width * 0.6;
    doc.rect(left, y, scaleWidth / 2, 8).fill('#f1dcd7');
    doc.rect(left + scaleWidth / 2, y, scaleWidth / 2, 8).fill(PALE);
    const mark = scalePosition(score, NPS_SCALE, left, scaleWidth);
    doc
      .moveTo(mark, y - 3)
      .lineTo(mark, y + 11)
      .lineWidth(2)
      .strokeColor(GREEN)
      .stroke();
    doc.font('Helvetica').fontSize(7).fillColor(GREY);
    doc.text('-100', left, y + 12, { lineBreak: false });
    doc.text('0', left + scaleWidth / 2 - 2, y + 12, { lineBreak: false });
    doc.text('100', left + scaleWidth - 12, y + 12, { lineBreak: false });
    doc.font('Helvetica-Bold').fontSize(11).fillColor(GREEN);
    doc.text(pdfText(`${t('surveys.res.nps')} ${score}`), left + scaleWidth + 12, y - 1, {
      lineBreak: false,
    });
    doc.x = left;
    doc.y = y + 24;
  };

  const number = (n: number) => n.toLocaleString(INTL_LOCALE[lang]);
  /**
   * The mean (a filled dot, labelled above) and the median (a tick, labelled below) on the
   * answers' scale, one mark per possible answer.
   */
  const meanScale = (scale: readonly [number, number], mean: number, median: number | null) => {
    room(44);
    const y = doc.y + 16;
    const scaleWidth = width * 0.6;
    doc
      .moveTo(left, y)
      .lineTo(left + scaleWidth, y)
      .lineWidth(1)
      .strokeColor(PALE)
      .stroke();
    doc.font('Helvetica').fontSize(7).fillColor(GREY);
    for (let v = scale[0]; v <= scale[1]; v += 1) {
      const x = scalePosition(v, scale, left, scaleWidth);
      doc
        .moveTo(x, y - 2)
        .lineTo(x, y + 2)
        .lineWidth(0.5)
        .strokeColor(GREY)
        .stroke();
      doc.fillColor(GREY).text(String(v), x - 5, y + 4, { width: 10, align: 'center' });
    }
    const at = scalePosition(mean, scale, left, scaleWidth);
    doc.circle(at, y, 3.5).fill(GREEN);
    doc
      .fillColor(GREEN)
      .text(pdfText(t('surveys.res.mean')), at - 30, y - 13, { width: 60, align: 'center' });
    if (median !== null) {
      const mid = scalePosition(median, scale, left, scaleWidth);
      doc
        .moveTo(mid, y - 6)
        .lineTo(mid, y + 6)
        .lineWidth(1.5)
        .strokeColor(INK)
        .stroke();
      doc
        .fillColor(INK)
        .text(pdfText(t('surveys.res.median')), mid - 30, y + 12, { width: 60, align: 'center' });
    }
    doc.x = left;
    doc.y = y + 26;
  };

  const quote = (text: string) => (lang === 'fr' ? `« ${text} »` : `“${text}”`);
  const previous = (text: string) => `${t('surveys.report.previous_short')} : ${text}`;

  // Header
  doc.font('Helvetica').fontSize(10).fillColor(GREY);
  doc.text(pdfText(t('surveys.report.title')), left, doc.y, { width });
  write(edition.title, { size: 22, bold: true, color: GREEN, gap: 0.2 });
  write(
    [
      edition.hostCity,
      edition.hostOrganisation,
      editionDates(edition.startsAt, edition.endsAt, edition.timezone, lang),
    ]
      .filter(Boolean)
      .join(' · '),
    { size: 12 },
  );
  if (model.previousEdition)
    note(t('surveys.report.compared_with', { title: model.previousEdition.title }));
  doc
    .moveTo(left, doc.y + 4)
    .lineTo(left + width, doc.y + 4)
    .lineWidth(1)
    .strokeColor(GREEN)
    .stroke();
  doc.moveDown(0.5);

  // The organisers' text
  heading(t('surveys.report.organisers_text'));
  if (model.reportText) write(model.reportText, { gap: 0.5 });
  else note(t('surveys.report.no_text'));

  // Attendance
  const { attendance, previousAttendance } = model;
  heading(t('surveys.report.attendance'));
  if (attendance.known) {
    const withPrevious = !!previousAttendance?.known;
    write(
      t('surveys.report.attendance_counts', {
        confirmed: attendance.confirmed,
        checkedIn: attendance.checkedIn,
      }) +
        (withPrevious
          ? ` · ${previous(`${previousAttendance.confirmed} / ${previousAttendance.checkedIn}`)}`
          : ''),
    );
    const counts = (title: string, rows: typeof attendance.byStakeholder) =>
      table(
        [title, '#', ...(withPrevious ? [t('surveys.report.previous_column')] : [])],
        rows.map((r) => [
          t(r.labelKey),
          String(r.count),
          ...(withPrevious ? [String(r.previous)] : []),
        ]),
        withPrevious ? [3, 1, 1] : [4, 1],
      );
    counts(t('surveys.res.by_stakeholder'), attendance.byStakeholder);
    counts(t('surveys.res.by_territory'), attendance.byTerritory);
  } else {
    if (attendance.declared) write(t('home.attendance', { count: attendance.declared }));
    note(t('surveys.report.attendance_placeholder'));
  }

  // Programme
  const { programme, previousProgramme } = model;
  heading(t('surveys.report.programme'));
  if (programme.published) {
    const withPrevious = !!previousProgramme?.published;
    write(
      t('surveys.report.programme_counts', {
        sessions: programme.sessions,
        speakers: programme.speakers,
        version: programme.versionName,
      }) + (withPrevious ? ` · ${previous(String(previousProgramme.sessions))}` : ''),
    );
    table(
      [
        t('surveys.report.by_kind'),
        t('surveys.report.sessions'),
        ...(withPrevious ? [t('surveys.report.previous_column')] : []),
      ],
      programme.byKind.map((r) => [
        t(r.labelKey),
        String(r.count),
        ...(withPrevious ? [String(r.previous)] : []),
      ]),
      withPrevious ? [3, 1, 1] : [4, 1],
    );
    table(
      [t('surveys.report.by_theme'), t('surveys.report.sessions')],
      programme.byTheme.map((r) => [r.label || t('surveys.report.no_theme'), String(r.count)]),
      [4, 1],
    );
  } else note(t('surveys.report.programme_none'));

  // Contributions
  const { contributions, previousContributions } = model;
  heading(t('surveys.report.contributions'));
  if (contributions.received) {
    write(
      t('surveys.report.contributions_counts', {
        received: contributions.received,
        accepted: contributions.accepted,
      }) +
        (previousContributions
          ? ` · ${previous(`${previousContributions.received} / ${previousContributions.accepted}`)}`
          : ''),
    );
    table(
      [
        t('surveys.report.format'),
        t('surveys.report.received'),
        t('surveys.report.accepted'),
        ...(previousContributions ? [t('surveys.report.previous_column')] : []),
      ],
      contributions.byFormat.map((r) => [
        r.label,
        String(r.received),
        String(r.accepted),
        ...(previousContributions ? [`${r.previousReceived} / ${r.previousAccepted}`] : []),
      ]),
      previousContributions ? [3, 1, 1, 1] : [3, 1, 1],
    );
    table(
      [
        t('surveys.report.speakers_mix'),
        t('surveys.report.received'),
        t('surveys.report.accepted'),
      ],
      contributions.speakers.map((r) => [t(r.labelKey), String(r.received), String(r.accepted)]),
      [3, 1, 1],
    );
  } else note(t('surveys.report.contributions_none'));

  // Survey
  const { survey, previousSurvey } = model;
  heading(t('surveys.report.survey'));
  if (survey) {
    let summary = t('surveys.res.responses', { count: survey.responses });
    if (survey.overall.pct !== null)
      summary += ` · ${t('surveys.res.rate')} ${survey.overall.pct} %`;
    if (previousSurvey)
      summary += ` · ${previous(
        t('surveys.res.responses', { count: previousSurvey.responses }) +
          (previousSurvey.pct !== null ? `, ${number(previousSurvey.pct)} %` : ''),
      )}`;
    write(summary, { gap: 0.6 });
    for (const q of survey.questions) {
      heading(q.label, 11);
      const figures = [t('surveys.res.answers_count', { count: q.answered })];
      if (q.mean)
        figures.push(
          `${t('surveys.res.mean')} ${q.mean}`,
          `${t('surveys.res.median')} ${q.median}`,
        );
      if (q.previousMean) figures.push(previous(`${t('surveys.res.mean')} ${q.previousMean}`));
      if (q.previousNps !== null)
        figures.push(previous(`${t('surveys.res.nps')} ${q.previousNps}`));
      write(figures.join(' · '), { size: 8, color: GREY });
      const scale = SCALES[q.kind];
      if (scale && q.meanValue !== null) meanScale(scale, q.meanValue, q.medianValue);
      if (q.nps) {
        npsScale(q.nps.score);
        write(t('surveys.res.nps_detail', { ...q.nps }), { size: 8, color: GREY });
      }
      bars(q.bars);
      for (const m of q.matrix)
        write(
          `${m.title} — ${m.mean ? `${t('surveys.res.mean')} ${m.mean} ` : ''}(${t(
            'surveys.res.answers_count',
            { count: m.answered },
          )})`,
          { size: 9 },
        );
      for (const text of q.texts) write(quote(text), { size: 9, gap: 0.2 });
      doc.moveDown(0.4);
    }
  } else note(t('surveys.report.no_survey'));

  // Footer on every page: the edition and the page number.
  const pages = doc.bufferedPageRange();
  for (let i = pages.start; i < pages.start + pages.count; i += 1) {
    doc.switchToPage(i);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(GREY)
      .text(pdfText(`${edition.title} · ${i + 1} / ${pages.count}`), left, doc.page.height - 36, {
        width,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}
