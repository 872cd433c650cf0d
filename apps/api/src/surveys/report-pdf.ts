import type { Locale } from '@assises/core';
import { SurveyQuestionKind as K } from '@assises/surveys';
import { dirname, join } from 'node:path';
import type PDFDocument from 'pdfkit';
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
/** The report's fonts (see pdf-text.ts), registered on each document under these names. */
const REGULAR = 'DejaVuSans';
const BOLD = 'DejaVuSans-Bold';
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
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

type Doc = InstanceType<typeof PDFDocument>;
type Scale = readonly [number, number];
interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
  gap?: number;
}

/**
 * Drawing on the report's pages: every text through `pdfText` and pdfkit's own
 * wrapping, which carries long text onto new pages and cuts words longer than a line; tables and
 * charts check the room left on the page before they draw a row.
 */
class ReportCanvas {
  readonly left = MARGIN;
  readonly width: number;

  constructor(
    readonly doc: Doc,
    private readonly t: Translate,
  ) {
    this.width = doc.page.width - 2 * MARGIN;
  }

  private get bottom(): number {
    return this.doc.page.maxY();
  }

  /** A new page when fewer than `height` points are left on this one. */
  room(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  write(text: string, style: TextStyle = {}): void {
    this.doc
      .font(style.bold ? BOLD : REGULAR)
      .fontSize(style.size ?? 10)
      .fillColor(style.color ?? INK)
      .text(pdfText(text), this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(style.gap ?? 0.3);
  }

  heading(text: string, size = 15): void {
    this.doc.moveDown(0.6);
    this.room(KEEP_WITH_HEADING);
    this.write(text, { size, bold: true, color: size > 12 ? GREEN : INK, gap: 0.4 });
  }

  note(text: string): void {
    this.write(text, { color: GREY });
  }

  line(x1: number, y1: number, x2: number, y2: number, width: number, color: string): void {
    this.doc.moveTo(x1, y1).lineTo(x2, y2).lineWidth(width).strokeColor(color).stroke();
  }

  /**
   * One line of text at a given place, never wrapped: centred on `x` in a box `centre` wide
   * when given (cut with an ellipsis if longer), else starting at `x`.
   */
  label(text: string, x: number, y: number, color: string, centre?: number): void {
    const options = centre
      ? {
          width: centre,
          align: 'center' as const,
          height: this.doc.currentLineHeight(true) + 1,
          ellipsis: true,
        }
      : { lineBreak: false };
    this.doc.fillColor(color).text(pdfText(text), centre ? x - centre / 2 : x, y, options);
  }

  /**
   * A table: columns share the width by `weights`; each row as tall as its tallest cell, moved
   * whole onto the next page (its header again) when it does not fit. A cell taller than a page
   * is cut with an ellipsis rather than run off it.
   */
  table(headers: string[], rows: string[][], weights: number[]): void {
    const { doc } = this;
    const total = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((w) => (w / total) * this.width);
    const cap = this.bottom - doc.page.margins.top - 20;
    const measure = (cells: string[], bold: boolean) => {
      doc.font(bold ? BOLD : REGULAR).fontSize(9);
      const texts = cells.map((c) => pdfText(c));
      const tallest = Math.max(
        ...texts.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i] - 6 })),
      );
      return { texts, bold, height: Math.min(cap, tallest) + 4 };
    };
    const draw = (row: ReturnType<typeof measure>) => {
      const y = doc.y;
      let x = this.left;
      doc.font(row.bold ? BOLD : REGULAR).fontSize(9);
      row.texts.forEach((text, i) => {
        doc
          .fillColor(row.bold ? GREEN : INK)
          .text(text, x, y + 2, { width: widths[i] - 6, height: row.height, ellipsis: true });
        x += widths[i];
      });
      const under = y + row.height;
      this.line(this.left, under, this.left + this.width, under, 0.5, PALE);
      doc.x = this.left;
      doc.y = under;
    };
    const head = measure(headers, true);
    this.room(head.height + 16);
    draw(head);
    for (const cells of rows) {
      const row = measure(cells, false);
      if (doc.y + row.height > this.bottom) {
        doc.addPage();
        draw(head);
      }
      draw(row);
    }
    doc.moveDown(0.8);
  }

  /** One horizontal bar per option: label, the bar on its pale track, count and share. */
  bars(list: Bars, number: (n: number) => string): void {
    const { doc, left } = this;
    const labelWidth = this.width * 0.4;
    const track = this.width * 0.4;
    const figureX = left + labelWidth + track + 8;
    for (const bar of list) {
      const label = pdfText(bar.label);
      doc.font(REGULAR).fontSize(9);
      const height = Math.max(12, doc.heightOfString(label, { width: labelWidth - 8 })) + 3;
      this.room(height);
      const y = doc.y;
      doc.fillColor(INK).text(label, left, y, { width: labelWidth - 8 });
      doc
        .rect(left + labelWidth, y + 1, track, 8)
        .fill(PALE)
        .rect(left + labelWidth, y + 1, barWidth(bar.pct, track), 8)
        .fill(GREEN);
      this.label(`${bar.count} · ${number(bar.pct)} %`, figureX, y, INK);
      doc.x = left;
      doc.y = y + height;
    }
  }

  /** The NPS on its −100…100 scale: detractors' side, promoters' side, a mark at the score. */
  npsScale(score: number): void {
    const { doc, left } = this;
    this.room(34);
    const y = doc.y + 4;
    const scaleWidth = this.width * 0.6;
    doc.rect(left, y, scaleWidth / 2, 8).fill('#f1dcd7');
    doc.rect(left + scaleWidth / 2, y, scaleWidth / 2, 8).fill(PALE);
    const mark = scalePosition(score, NPS_SCALE, left, scaleWidth);
    this.line(mark, y - 3, mark, y + 11, 2, GREEN);
    doc.font(REGULAR).fontSize(7);
    for (const value of [-100, 0, 100])
      this.label(
        String(value),
        scalePosition(value, NPS_SCALE, left, scaleWidth),
        y + 12,
        GREY,
        24,
      );
    doc.font(BOLD).fontSize(11);
    this.label(`${this.t('surveys.res.nps')} ${score}`, left + scaleWidth + 16, y - 1, GREEN);
    doc.x = left;
    doc.y = y + 24;
  }

  /**
   * The mean (a filled dot, labelled above) and the median (a tick, labelled below) on the
   * answers' scale, one mark per possible answer.
   */
  meanScale(scale: Scale, mean: number, median: number | null): void {
    const { doc, left } = this;
    this.room(44);
    const y = doc.y + 16;
    const scaleWidth = this.width * 0.6;
    const at = (value: number) => scalePosition(value, scale, left, scaleWidth);
    this.line(left, y, left + scaleWidth, y, 1, PALE);
    doc.font(REGULAR).fontSize(7);
    for (let v = scale[0]; v <= scale[1]; v += 1) {
      this.line(at(v), y - 2, at(v), y + 2, 0.5, GREY);
      this.label(String(v), at(v), y + 4, GREY, 10);
    }
    doc.circle(at(mean), y, 3.5).fill(GREEN);
    this.label(this.t('surveys.res.mean'), at(mean), y - 13, GREEN, 60);
    if (median !== null) {
      this.line(at(median), y - 6, at(median), y + 6, 1.5, INK);
      this.label(this.t('surveys.res.median'), at(median), y + 12, INK, 60);
    }
    doc.x = left;
    doc.y = y + 26;
  }

  /** The edition and `n / N` at the foot of every page, in the bottom margin. */
  footers(title: string): void {
    const { doc } = this;
    const pages = doc.bufferedPageRange();
    for (let i = pages.start; i < pages.start + pages.count; i += 1) {
      doc.switchToPage(i);
      const margin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.font(REGULAR).fontSize(8);
      this.label(
        `${title} · ${i + 1} / ${pages.count}`,
        this.left + this.width / 2,
        doc.page.height - 36,
        GREY,
        this.width,
      );
      doc.page.margins.bottom = margin;
    }
  }
}

/**
 * Draws the edition report with pdfkit, section by section as the printable page has them:
 * header, the organisers' text, attendance, programme, contributions, the survey's charts as
 * vector shapes, each beside the previous edition's figures.
 */
export async function renderReportPdf(
  model: ReportModel,
  options: ReportPdfOptions,
): Promise<Buffer> {
  // Loaded on the first PDF: pdfkit and its fonts stay out of every api process's memory at boot.
  const { default: PDFKit } = await import('pdfkit');
  const { t, lang } = options;
  const { edition } = model;
  const doc = new PDFKit({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    compress: options.compress ?? true,
    lang: INTL_LOCALE[lang],
    info: { Title: `${t('surveys.report.title')} — ${edition.title}` },
  });
  doc.registerFont(REGULAR, join(FONT_DIR, `${REGULAR}.ttf`));
  doc.registerFont(BOLD, join(FONT_DIR, `${BOLD}.ttf`));
  doc.font(REGULAR);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const canvas = new ReportCanvas(doc, t);
  const text = {
    t,
    number: (n: number) => n.toLocaleString(INTL_LOCALE[lang]),
    quote: (s: string) => (lang === 'fr' ? `« ${s} »` : `“${s}”`),
    previous: (s: string) => `${t('surveys.report.previous_short')} ${s}`,
  };

  drawHeader(canvas, model, text, lang);
  canvas.heading(t('surveys.report.organisers_text'));
  if (model.reportText) canvas.write(model.reportText, { gap: 0.5 });
  else canvas.note(t('surveys.report.no_text'));
  drawAttendance(canvas, model, text);
  drawProgramme(canvas, model, text);
  drawContributions(canvas, model, text);
  drawSurvey(canvas, model, text);
  canvas.footers(edition.title);
  doc.end();
  return done;
}

/** What the sections need to word their figures. */
interface Wording {
  t: Translate;
  number: (n: number) => string;
  quote: (text: string) => string;
  previous: (text: string) => string;
}

function drawHeader(c: ReportCanvas, model: ReportModel, w: Wording, lang: Locale): void {
  const { edition } = model;
  c.write(w.t('surveys.report.title'), { color: GREY, gap: 0 });
  c.write(edition.title, { size: 22, bold: true, color: GREEN, gap: 0.2 });
  const dates = editionDates(edition.startsAt, edition.endsAt, edition.timezone, lang);
  c.write([edition.hostCity, edition.hostOrganisation, dates].filter(Boolean).join(' · '), {
    size: 12,
  });
  if (model.previousEdition)
    c.note(w.t('surveys.report.compared_with', { title: model.previousEdition.title }));
  c.line(c.left, c.doc.y + 4, c.left + c.width, c.doc.y + 4, 1, GREEN);
  c.doc.moveDown(0.5);
}

function drawAttendance(c: ReportCanvas, model: ReportModel, w: Wording): void {
  const { attendance, previousAttendance } = model;
  const { t } = w;
  c.heading(t('surveys.report.attendance'));
  if (!attendance.known) {
    if (attendance.declared) c.write(t('home.attendance', { count: attendance.declared }));
    c.note(t('surveys.report.attendance_placeholder'));
    return;
  }
  const before = previousAttendance?.known ? previousAttendance : null;
  c.write(
    t('surveys.report.attendance_counts', {
      confirmed: attendance.confirmed,
      checkedIn: attendance.checkedIn,
    }) + (before ? ` · ${w.previous(`${before.confirmed} / ${before.checkedIn}`)}` : ''),
  );
  const counts = (title: string, rows: typeof attendance.byStakeholder) =>
    c.table(
      [title, '#', ...(before ? [t('surveys.report.previous_column')] : [])],
      rows.map((r) => [t(r.labelKey), String(r.count), ...(before ? [String(r.previous)] : [])]),
      before ? [3, 1, 1] : [4, 1],
    );
  counts(t('surveys.res.by_stakeholder'), attendance.byStakeholder);
  counts(t('surveys.res.by_territory'), attendance.byTerritory);
}

function drawProgramme(c: ReportCanvas, model: ReportModel, w: Wording): void {
  const { programme } = model;
  const { t } = w;
  c.heading(t('surveys.report.programme'));
  if (!programme.published) return c.note(t('surveys.report.programme_none'));
  const before = model.previousProgramme?.published ? model.previousProgramme : null;
  c.write(
    t('surveys.report.programme_counts', {
      sessions: programme.sessions,
      speakers: programme.speakers,
      version: programme.versionName,
    }) + (before ? ` · ${w.previous(String(before.sessions))}` : ''),
  );
  c.table(
    [
      t('surveys.report.by_kind'),
      t('surveys.report.sessions'),
      ...(before ? [t('surveys.report.previous_column')] : []),
    ],
    programme.byKind.map((r) => [
      t(r.labelKey),
      String(r.count),
      ...(before ? [String(r.previous)] : []),
    ]),
    before ? [3, 1, 1] : [4, 1],
  );
  c.table(
    [t('surveys.report.by_theme'), t('surveys.report.sessions')],
    programme.byTheme.map((r) => [r.label || t('surveys.report.no_theme'), String(r.count)]),
    [4, 1],
  );
}

function drawContributions(c: ReportCanvas, model: ReportModel, w: Wording): void {
  const { contributions, previousContributions: before } = model;
  const { t } = w;
  c.heading(t('surveys.report.contributions'));
  if (!contributions.received) return c.note(t('surveys.report.contributions_none'));
  c.write(
    t('surveys.report.contributions_counts', {
      received: contributions.received,
      accepted: contributions.accepted,
    }) + (before ? ` · ${w.previous(`${before.received} / ${before.accepted}`)}` : ''),
  );
  c.table(
    [
      t('surveys.report.format'),
      t('surveys.report.received'),
      t('surveys.report.accepted'),
      ...(before ? [t('surveys.report.previous_column')] : []),
    ],
    contributions.byFormat.map((r) => [
      r.label,
      String(r.received),
      String(r.accepted),
      ...(before ? [`${r.previousReceived} / ${r.previousAccepted}`] : []),
    ]),
    before ? [3, 1, 1, 1] : [3, 1, 1],
  );
  c.table(
    [t('surveys.report.speakers_mix'), t('surveys.report.received'), t('surveys.report.accepted')],
    contributions.speakers.map((r) => [t(r.labelKey), String(r.received), String(r.accepted)]),
    [3, 1, 1],
  );
}

function drawSurvey(c: ReportCanvas, model: ReportModel, w: Wording): void {
  const { survey, previousSurvey } = model;
  const { t } = w;
  c.heading(t('surveys.report.survey'));
  if (!survey) return c.note(t('surveys.report.no_survey'));
  let summary = t('surveys.res.responses', { count: survey.responses });
  if (survey.overall.pct !== null)
    summary += ` · ${t('surveys.res.rate')} ${w.number(survey.overall.pct)} %`;
  if (previousSurvey)
    summary += ` · ${w.previous(
      t('surveys.res.responses', { count: previousSurvey.responses }) +
        (previousSurvey.pct !== null ? `, ${w.number(previousSurvey.pct)} %` : ''),
    )}`;
  c.write(summary, { gap: 0.6 });
  for (const q of survey.questions) drawQuestion(c, q, w);
}

function drawQuestion(c: ReportCanvas, q: Question, w: Wording): void {
  const { t } = w;
  c.heading(q.label, 11);
  const figures = [t('surveys.res.answers_count', { count: q.answered })];
  if (q.mean)
    figures.push(`${t('surveys.res.mean')} ${q.mean}`, `${t('surveys.res.median')} ${q.median}`);
  if (q.previousMean) figures.push(w.previous(`${t('surveys.res.mean')} ${q.previousMean}`));
  if (q.previousNps !== null) figures.push(w.previous(`${t('surveys.res.nps')} ${q.previousNps}`));
  c.write(figures.join(' · '), { size: 8, color: GREY });
  const scale = SCALES[q.kind];
  if (scale && q.meanValue !== null) c.meanScale(scale, q.meanValue, q.medianValue);
  if (q.nps) {
    c.npsScale(q.nps.score);
    c.write(t('surveys.res.nps_detail', { ...q.nps }), { size: 8, color: GREY });
  }
  c.bars(q.bars, w.number);
  for (const m of q.matrix) {
    const mean = m.mean ? `${t('surveys.res.mean')} ${m.mean} ` : '';
    const count = t('surveys.res.answers_count', { count: m.answered });
    c.write(`${m.title} — ${mean}(${count})`, { size: 9 });
  }
  for (const text of q.texts) c.write(w.quote(text), { size: 9, gap: 0.2 });
  c.doc.moveDown(0.4);
}
