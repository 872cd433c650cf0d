import { PublicationService } from '@assises/programme';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { sendCached } from './cached-response';

/** Public exports of the published programme: iCal, and frab-compatible XML and JSON. */
@ApiTags('programme')
@Controller('e/:slug/programme')
export class ProgrammeExportsController {
  constructor(private readonly publication: PublicationService) {}

  /** The frab schedule XML that conference apps (Giggity, ConfClerk, Fahrplan…) read. */
  @Get('schedule.xml')
  async frabXml(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response) {
    sendCached(req, res, await this.publication.rendered(slug, 'frab-xml'));
  }

  @Get('schedule.json')
  async frabJson(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response) {
    sendCached(req, res, await this.publication.rendered(slug, 'frab-json'));
  }

  /** The whole programme as an iCalendar file. */
  @Get('calendar.ics')
  async calendar(@Param('slug') slug: string, @Req() req: Request, @Res() res: Response) {
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${slug.replace(/[^\w-]/g, '')}.ics"`,
    );
    sendCached(req, res, await this.publication.rendered(slug, 'ical'));
  }

  /** One session as an iCalendar file ("add to my calendar"). */
  @Get('sessions/:session/calendar.ics')
  async sessionCalendar(
    @Param('slug') slug: string,
    @Param('session') session: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    res.setHeader('Content-Disposition', 'attachment; filename="session.ics"');
    sendCached(req, res, await this.publication.rendered(slug, 'ical', session));
  }
}
