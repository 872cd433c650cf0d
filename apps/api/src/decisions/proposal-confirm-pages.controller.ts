import { DecisionService, ProposalState } from '@assises/contributions';
import { Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { flash } from '../http/flash';

/**
 * The page behind the acceptance email: the link's token is the credential. Accepted speakers
 * confirm their participation or decline; anyone else gets "not found".
 */
@ApiExcludeController()
@Controller('proposals/:id')
export class ProposalConfirmPagesController {
  constructor(private readonly decisions: DecisionService) {}

  @Get('confirm')
  async page(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.decisions.confirmation(id, token ?? null);
    res.render('pages/proposal-confirm', {
      title: 'decisions.confirm_title',
      ...view,
      token,
      open: view.proposal.state === ProposalState.Accepted,
      confirmed: view.proposal.state === ProposalState.Confirmed,
      declined: view.proposal.state === ProposalState.Withdrawn,
    });
  }

  @Post('confirm')
  async confirm(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.decisions.confirm(id, token ?? null);
    flash(res, 'success', 'decisions.flash.confirmed');
    res.redirect(303, `/proposals/${id}/confirm?token=${encodeURIComponent(token ?? '')}`);
  }

  @Post('decline')
  async decline(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.decisions.decline(id, token ?? null);
    flash(res, 'success', 'decisions.flash.declined');
    res.redirect(303, `/proposals/${id}/confirm?token=${encodeURIComponent(token ?? '')}`);
  }
}
