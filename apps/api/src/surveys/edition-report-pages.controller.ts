import { Actor } from '@assises/accounts';
import { EditionReportService } from '@assises/surveys';
import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { I18nService } from 'nestjs-i18n';
import { CurrentActor } from '../http/current-actor.decorator';
import { flash } from '../http/flash';
import type { AppRequest } from '../http/request-context';
import { reportModel } from './edition-report.view';
import { renderReportPdf } from './report-pdf';

type FormBody = Record<string, unknown>;

/**
 * The edition report: one printable page, also downloadable as a self-contained HTML file or
 * as a PDF drawn on the server, that the next host city receives, with the organisers' own
 * text.
 */
@ApiExcludeController()
@Controller('admin/editions/:slug/report')
export class EditionReportPagesController {
  constructor(
    private readonly reports: EditionReportService,
    private readonly i18n: I18nService,
  ) {}

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

  /** The same report drawn as a PDF file (pdfkit), in the page's language. */
  @Get('download.pdf')
  async pdf(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Req() req: AppRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.reports.view(actor, slug);
    const lang = req.lang;
    const file = await renderReportPdf(reportModel(view, lang), {
      lang,
      t: (key, args) => String(this.i18n.t(key, { lang, args })),
    });
    res.attachment(`${view.current.edition.slug}-report.pdf`);
    res.type('application/pdf').send(file);
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
