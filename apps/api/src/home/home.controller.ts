import { CallService } from '@assises/contributions';
import { EditionService } from '@assises/editions';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';

/** The public site: the series of Assises and a page per edition. */
@ApiExcludeController()
@Controller()
export class HomeController {
  constructor(
    private readonly editions: EditionService,
    private readonly calls: CallService,
  ) {}

  @Get()
  async home(@Res() res: Response): Promise<void> {
    const series = await this.editions.series();
    res.render('pages/home', {
      title: 'home.title',
      next: series.next,
      upcoming: series.upcoming.slice(1),
      past: series.past,
    });
  }

  @Get('e/:slug')
  async edition(@Param('slug') slug: string, @Res() res: Response): Promise<void> {
    const edition = await this.editions.getPublic(slug);
    res.render('pages/edition', {
      title: edition.title,
      rawTitle: true,
      edition,
      isPast: edition.endsAt < new Date(),
      // The call for contributions, when the edition has one: its page is linked from here.
      callPhase: await this.calls
        .getPublic(slug)
        .then((view) => this.calls.phase(view.call))
        .catch(() => null),
    });
  }
}
