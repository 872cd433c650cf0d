import { Actor } from '@assises/accounts';
import { CountRow, EditionReportService, EditionReportView, ReportPart } from '@assises/surveys';
import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { flash } from '../http/flash';
import type { AppRequest } from '../http/request-context';
import { resultsView } from './survey-results.view';

type FormBody = Record<string, unknown>;

/** Free-text answers the printed report quotes per question (the results page has them all). */
const QUOTES = 10;

function reportModel(view: EditionReportView, lang: 'fr' | 'en') {
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

/**
 * The edition report: one printable page (print it or save it as PDF from the browser), also
 * downloadable as a self-contained HTML file, that the next host city receives, with the
 * organisers' own text.
 */
@ApiExcludeController()
@Controller('admin/editions/:slug/report')
export class EditionReportPagesController {
  constructor(private readonly reports: EditionReportService) {}

  @Get()
  async page(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.reports.view(actor, slug);
    res.render('pages/surveys/report', {
      title: 'surveys.report.title',
      ...reportModel(view, req.lang),
    });
  }

  /** The same report as one self-contained HTML file (styles inside), ready to print or send. */
  @Get('download.html')
  async download(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.reports.view(actor, slug);
    res.attachment(`${view.current.edition.slug}-report.html`);
    res.render('pages/surveys/report', {
      layout: 'layouts/document',
      title: 'surveys.report.title',
      document: true,
      ...reportModel(view, req.lang),
    });
  }

  @Post()
  async save(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const text = typeof body?.body === 'string' ? body.body.slice(0, 20_000) : '';
    await this.reports.saveText(actor, slug, text);
    flash(res, 'success', 'surveys.report.saved');
    res.redirect(303, `/admin/editions/${slug}/report`);
  }
}
