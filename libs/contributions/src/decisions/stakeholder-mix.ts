import { ProposalState } from '../proposal.entity';
import { StakeholderType, TerritoryType } from '../proposal-speaker.entity';

/** The order in which pages and exports list stakeholder and territory types. */
export const STAKEHOLDER_TYPES: readonly StakeholderType[] = [
  StakeholderType.CoworkingOperator,
  StakeholderType.ProjectHolder,
  StakeholderType.CoworkerIndependent,
  StakeholderType.LocalAuthority,
  StakeholderType.AcademicResearcher,
  StakeholderType.Company,
  StakeholderType.AssociationNetwork,
  StakeholderType.Other,
];
export const TERRITORY_TYPES: readonly TerritoryType[] = [
  TerritoryType.Urban,
  TerritoryType.Periurban,
  TerritoryType.Rural,
];

/** The format whose speakers should not all speak from the same place. */
export const ROUND_TABLE_FORMAT = 'table-ronde';

/** States that count as "submitted" (everything sent and not taken back) and as "accepted". */
export const SUBMITTED_STATES: readonly ProposalState[] = [
  ProposalState.Submitted,
  ProposalState.Backup,
  ProposalState.Accepted,
  ProposalState.Confirmed,
  ProposalState.Rejected,
];
export const ACCEPTED_STATES: readonly ProposalState[] = [
  ProposalState.Accepted,
  ProposalState.Confirmed,
];
/** Round tables still in the running: a warning on a rejected one helps nobody. */
const LIVE_STATES: readonly ProposalState[] = [
  ProposalState.Submitted,
  ProposalState.Backup,
  ProposalState.Accepted,
  ProposalState.Confirmed,
];

/** One speaker of one proposal, as the mix reads them. */
export interface MixSpeakerRow {
  proposalId: string;
  title: string;
  state: ProposalState;
  formatKey: string;
  email: string;
  stakeholderType: StakeholderType | null;
  territoryType: TerritoryType | null;
}

/** Counts by stakeholder type × territory type, with the totals of each line and column. */
export interface MixTable {
  cells: Record<StakeholderType, Record<TerritoryType, number>>;
  byStakeholder: Record<StakeholderType, number>;
  byTerritory: Record<TerritoryType, number>;
  total: number;
}

export interface RoundTableWarning {
  proposalId: string;
  title: string;
  state: ProposalState;
  stakeholderType: StakeholderType;
  speakers: number;
}

export interface StakeholderMix {
  stakeholderTypes: readonly StakeholderType[];
  territoryTypes: readonly TerritoryType[];
  submitted: { proposals: MixTable; speakers: MixTable };
  accepted: { proposals: MixTable; speakers: MixTable };
  /** Stakeholder types that have submitted speakers but none accepted, or none at all. */
  missing: { submitted: StakeholderType[]; accepted: StakeholderType[] };
  roundTableWarnings: RoundTableWarning[];
}

function emptyTable(): MixTable {
  const zeroes = <K extends string>(keys: readonly K[]) =>
    Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  return {
    cells: Object.fromEntries(
      STAKEHOLDER_TYPES.map((s) => [s, zeroes(TERRITORY_TYPES)]),
    ) as MixTable['cells'],
    byStakeholder: zeroes(STAKEHOLDER_TYPES),
    byTerritory: zeroes(TERRITORY_TYPES),
    total: 0,
  };
}

/**
 * Counts the distinct things of `rows` (a proposal, or a speaker by email) in each cell: a
 * proposal with a rural operator and an urban researcher counts once in each of their cells,
 * once in each line and column total, and once in the grand total.
 */
function tabulate(rows: MixSpeakerRow[], identity: (row: MixSpeakerRow) => string): MixTable {
  const table = emptyTable();
  const cells = new Set<string>();
  const lines = new Set<string>();
  const columns = new Set<string>();
  const all = new Set<string>();
  for (const row of rows) {
    const id = identity(row);
    if (!all.has(id)) {
      all.add(id);
      table.total += 1;
    }
    const s = row.stakeholderType;
    const t = row.territoryType;
    if (s && !lines.has(`${s}|${id}`)) {
      lines.add(`${s}|${id}`);
      table.byStakeholder[s] += 1;
    }
    if (t && !columns.has(`${t}|${id}`)) {
      columns.add(`${t}|${id}`);
      table.byTerritory[t] += 1;
    }
    if (s && t && !cells.has(`${s}|${t}|${id}`)) {
      cells.add(`${s}|${t}|${id}`);
      table.cells[s][t] += 1;
    }
  }
  return table;
}

/**
 * The stakeholder mix of an edition's proposals: who submitted, who was accepted, which voices
 * are missing, and the round tables whose speakers all come from one kind of stakeholder.
 * Drafts and withdrawn proposals count nowhere.
 */
export function stakeholderMix(rows: MixSpeakerRow[]): StakeholderMix {
  const submittedRows = rows.filter((r) => SUBMITTED_STATES.includes(r.state));
  const acceptedRows = rows.filter((r) => ACCEPTED_STATES.includes(r.state));
  const byProposal = (r: MixSpeakerRow) => r.proposalId;
  const bySpeaker = (r: MixSpeakerRow) => r.email.toLowerCase();
  const submitted = {
    proposals: tabulate(submittedRows, byProposal),
    speakers: tabulate(submittedRows, bySpeaker),
  };
  const accepted = {
    proposals: tabulate(acceptedRows, byProposal),
    speakers: tabulate(acceptedRows, bySpeaker),
  };

  const roundTables = new Map<string, MixSpeakerRow[]>();
  for (const row of rows) {
    if (row.formatKey !== ROUND_TABLE_FORMAT || !LIVE_STATES.includes(row.state)) continue;
    roundTables.set(row.proposalId, [...(roundTables.get(row.proposalId) ?? []), row]);
  }
  const roundTableWarnings: RoundTableWarning[] = [];
  for (const [proposalId, speakers] of roundTables) {
    const types = new Set(speakers.map((s) => s.stakeholderType));
    const [only] = [...types];
    if (types.size === 1 && only)
      roundTableWarnings.push({
        proposalId,
        title: speakers[0].title,
        state: speakers[0].state,
        stakeholderType: only,
        speakers: speakers.length,
      });
  }
  roundTableWarnings.sort((a, b) => a.title.localeCompare(b.title, 'fr'));

  return {
    stakeholderTypes: STAKEHOLDER_TYPES,
    territoryTypes: TERRITORY_TYPES,
    submitted,
    accepted,
    missing: {
      submitted: STAKEHOLDER_TYPES.filter((s) => submitted.speakers.byStakeholder[s] === 0),
      accepted: STAKEHOLDER_TYPES.filter((s) => accepted.speakers.byStakeholder[s] === 0),
    },
    roundTableWarnings,
  };
}
