import { ProposalService } from '@assises/contributions';
import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { flash } from '../http/flash';

/**
 * The pages behind the emailed links: a contributor's manage page (the token in the link is the
 * credential) and a co-speaker's confirmation. Anyone else gets "not found".
 */
@ApiExcludeController()
@Controller('proposals/:id')
export class ProposalPagesController {
  constructor(private readonly proposals: ProposalService) {}

  @Get()
  async manage(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.proposals.view(id, token ?? null);
    res.render('pages/proposal', {
      title: view.proposal.title,
      rawTitle: true,
      ...view,
      token,
      withdrawable: ['draft', 'submitted'].includes(view.proposal.state),
    });
  }

  @Post('withdraw')
  async withdraw(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.proposals.withdraw(id, token ?? null);
    flash(res, 'success', 'proposals.withdrawn');
    res.redirect(303, `/proposals/${id}?token=${encodeURIComponent(token ?? '')}`);
  }

  @Get('speakers/:speakerId/confirm')
  async confirmPage(
    @Param('id') id: string,
    @Param('speakerId') speakerId: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const invitation = await this.proposals.speakerInvitation(id, speakerId, token ?? null);
    res.render('pages/speaker-confirm', { title: 'proposals.confirm_title', ...invitation });
  }

  @Post('speakers/:speakerId/confirm')
  @HttpCode(200)
  async confirm(
    @Param('id') id: string,
    @Param('speakerId') speakerId: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.proposals.confirmSpeaker(id, speakerId, token ?? null);
    const invitation = await this.proposals.speakerInvitation(id, speakerId, token ?? null);
    res.render('pages/speaker-confirm', { title: 'proposals.confirm_title', ...invitation });
  }
}
