import { Actor } from '@assises/accounts';
import {
  DecisionInput,
  DecisionService,
  PROPOSAL_DECISIONS,
  ProposalDecision,
  StakeholderMixService,
} from '@assises/contributions';
import { DomainError } from '@assises/core';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentActor } from '../http/current-actor.decorator';
import { flash } from '../http/flash';

/** A submitted page form (not called `Body`: see the edition pages). */
type FormBody = Record<string, unknown>;

/** The rows of one page of the board: the form carries 2 fields a row under the 200-field limit. */
const PAGE_SIZE = 90;
const DECISION_FIELD = /^d_([0-9a-f-]{36})$/i;

/**
 * The decisions board (no JavaScript: one select and one note a row, one save button), the
 * release with its confirmation step, and the stakeholder mix.
 */
@ApiExcludeController()
@Controller('admin/editions/:slug')
export class DecisionsPagesController {
  constructor(
    private readonly decisions: DecisionService,
    private readonly mixes: StakeholderMixService,
  ) {}

  @Get('decisions')
  async board(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query('offset') offsetParam: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const offset = Math.max(0, Number.parseInt(offsetParam ?? '0', 10) || 0);
    const board = await this.decisions.board(actor, slug, { offset, limit: PAGE_SIZE });
    const warnings = await this.mixes.roundTableWarnings(board.edition.id);
    const to = Math.min(board.offset + board.rows.length, board.total);
    res.render('pages/admin/decisions', {
      title: 'decisions.title',
      ...board,
      warnings,
      from: board.total === 0 ? 0 : board.offset + 1,
      to,
      previous: board.offset > 0 ? Math.max(0, board.offset - PAGE_SIZE) : null,
      next: to < board.total ? to : null,
    });
  }

  /** Saves the board's selects and notes as pending decisions (all or nothing). */
  @Post('decisions')
  async save(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Query('offset') offsetParam: string | undefined,
    @Body() body: FormBody,
    @Res() res: Response,
  ): Promise<void> {
    const inputs: DecisionInput[] = [];
    for (const [field, value] of Object.entries(body ?? {})) {
      const id = DECISION_FIELD.exec(field)?.[1];
      if (!id) continue;
      const decision =
        typeof value === 'string' && (PROPOSAL_DECISIONS as string[]).includes(value)
          ? (value as ProposalDecision)
          : null;
      const note = body[`n_${id}`];
      inputs.push({
        proposalId: id,
        decision,
        note: typeof note === 'string' ? note.trim().slice(0, 4000) : undefined,
      });
    }
    const back = `/admin/editions/${slug}/decisions${offsetParam ? `?offset=${encodeURIComponent(offsetParam)}` : ''}`;
    try {
      await this.decisions.decide(actor, slug, inputs);
    } catch (error) {
      if (!(error instanceof DomainError) || !['conflict', 'invalid'].includes(error.kind))
        throw error;
      flash(res, 'error', 'decisions.flash.not_allowed');
      return res.redirect(303, back);
    }
    flash(res, 'success', 'decisions.flash.saved');
    res.redirect(303, back);
  }

  /** The confirmation step: what a release would send. */
  @Get('decisions/release')
  async releasePage(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const { edition, pending } = await this.decisions.pending(actor, slug);
    res.render('pages/admin/decisions-release', {
      title: 'decisions.release_title',
      edition,
      pending,
    });
  }

  @Post('decisions/release')
  async release(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const result = await this.decisions.release(actor, slug);
    flash(
      res,
      'success',
      'decisions.flash.released',
      Object.fromEntries(Object.entries(result).map(([k, v]) => [k, String(v)])),
    );
    res.redirect(303, `/admin/editions/${slug}/decisions`);
  }

  @Get('mix')
  async mix(
    @CurrentActor() actor: Actor,
    @Param('slug') slug: string,
    @Res() res: Response,
  ): Promise<void> {
    const mix = await this.mixes.mix(actor, slug);
    const table = (counts: {
      cells: Record<string, Record<string, number>>;
      byStakeholder: Record<string, number>;
      byTerritory: Record<string, number>;
      total: number;
    }) => ({
      rows: mix.stakeholderTypes.map((type) => ({
        type,
        cells: mix.territoryTypes.map((territory) => counts.cells[type][territory]),
        total: counts.byStakeholder[type],
      })),
      totals: mix.territoryTypes.map((territory) => counts.byTerritory[territory]),
      total: counts.total,
    });
    res.render('pages/admin/mix', {
      title: 'decisions.mix_title',
      edition: mix.edition,
      territoryTypes: mix.territoryTypes,
      tables: [
        {
          heading: 'decisions.submitted',
          kind: 'decisions.proposals_count',
          ...table(mix.submitted.proposals),
        },
        {
          heading: 'decisions.accepted',
          kind: 'decisions.proposals_count',
          ...table(mix.accepted.proposals),
        },
        {
          heading: 'decisions.submitted',
          kind: 'decisions.speakers_count',
          ...table(mix.submitted.speakers),
        },
        {
          heading: 'decisions.accepted',
          kind: 'decisions.speakers_count',
          ...table(mix.accepted.speakers),
        },
      ],
      missing: mix.missing,
      warnings: mix.roundTableWarnings,
    });
  }
}
