import { Actor } from '@assises/accounts';
import { TransactionRunner } from '@assises/database';
import { Edition, EditionPermission, EditionService } from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ProposalState } from '../proposal.entity';
import { StakeholderType, TerritoryType } from '../proposal-speaker.entity';
import {
  MixSpeakerRow,
  RoundTableWarning,
  StakeholderMix,
  stakeholderMix,
} from './stakeholder-mix';

/** Whose voice the call hears: the stakeholder mix of an edition, for its organisers. */
@Injectable()
export class StakeholderMixService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly editions: EditionService,
  ) {}

  async mix(actor: Actor, slug: string): Promise<StakeholderMix & { edition: Edition }> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return { ...(await this.mixOf(edition.id)), edition };
  }

  /** The round tables whose speakers all share one stakeholder type (for the decisions page). */
  async roundTableWarnings(editionId: string): Promise<RoundTableWarning[]> {
    return (await this.mixOf(editionId)).roundTableWarnings;
  }

  private mixOf(editionId: string): Promise<StakeholderMix> {
    return stakeholderMixOf(this.db.manager, editionId);
  }
}

/**
 * The stakeholder mix of an edition read from the database, for this service and for readers
 * above contributions (the edition report).
 */
export async function stakeholderMixOf(
  em: EntityManager,
  editionId: string,
): Promise<StakeholderMix> {
  const rows = await em.query<
    {
      proposal_id: string;
      title: string;
      state: ProposalState;
      format_key: string;
      email: string;
      stakeholder_type: StakeholderType | null;
      territory_type: TerritoryType | null;
    }[]
  >(
    `SELECT p.id AS proposal_id, p.title, p.state, f.key AS format_key, s.email,
            s.stakeholder_type, s.territory_type
       FROM proposals p
       JOIN call_formats f ON f.id = p.format_id
       JOIN proposal_speakers s ON s.proposal_id = p.id
      WHERE p.edition_id = $1 AND p.state NOT IN ('draft', 'withdrawn')
      ORDER BY p.id, s.position`,
    [editionId],
  );
  return stakeholderMix(
    rows.map((r): MixSpeakerRow => ({
      proposalId: r.proposal_id,
      title: r.title,
      state: r.state,
      formatKey: r.format_key,
      email: r.email,
      stakeholderType: r.stakeholder_type,
      territoryType: r.territory_type,
    })),
  );
}
