import { ProposalState } from '../proposal.entity';
import { StakeholderType as S, TerritoryType as T } from '../proposal-speaker.entity';
import { MixSpeakerRow, stakeholderMix } from './stakeholder-mix';

const row = (over: Partial<MixSpeakerRow>): MixSpeakerRow => ({
  proposalId: 'p1',
  title: 'Proposal',
  state: ProposalState.Submitted,
  formatKey: 'atelier',
  email: 'a@example.org',
  stakeholderType: S.CoworkingOperator,
  territoryType: T.Rural,
  ...over,
});

describe('stakeholderMix', () => {
  it('counts proposals and speakers by stakeholder × territory, submitted vs accepted', () => {
    const mix = stakeholderMix([
      row({ proposalId: 'p1', email: 'a@example.org' }),
      row({
        proposalId: 'p1',
        email: 'b@example.org',
        stakeholderType: S.AcademicResearcher,
        territoryType: T.Urban,
      }),
      row({ proposalId: 'p2', email: 'A@example.org', state: ProposalState.Accepted }),
      row({
        proposalId: 'p3',
        email: 'c@example.org',
        state: ProposalState.Confirmed,
        territoryType: T.Periurban,
      }),
    ]);
    expect(mix.submitted.proposals.total).toBe(3);
    expect(mix.submitted.proposals.cells.coworking_operator).toEqual({
      urban: 0,
      periurban: 1,
      rural: 2,
    });
    expect(mix.submitted.proposals.cells.academic_researcher.urban).toBe(1);
    // a@ and A@ are one person.
    expect(mix.submitted.speakers.total).toBe(3);
    expect(mix.submitted.speakers.byStakeholder.coworking_operator).toBe(2);
    expect(mix.accepted.proposals.total).toBe(2);
    expect(mix.accepted.speakers.byTerritory).toEqual({ urban: 0, periurban: 1, rural: 1 });
    expect(mix.missing.accepted).toContain(S.AcademicResearcher);
    expect(mix.missing.submitted).not.toContain(S.AcademicResearcher);
    expect(mix.missing.submitted).toContain(S.LocalAuthority);
  });

  it('leaves out drafts and withdrawn proposals, and counts rejected ones as submitted only', () => {
    const mix = stakeholderMix([
      row({ proposalId: 'd', state: ProposalState.Draft }),
      row({ proposalId: 'w', state: ProposalState.Withdrawn }),
      row({ proposalId: 'r', state: ProposalState.Rejected }),
    ]);
    expect(mix.submitted.proposals.total).toBe(1);
    expect(mix.accepted.proposals.total).toBe(0);
  });

  it('warns about a live round table whose speakers all share one stakeholder type', () => {
    const table = (id: string, types: S[], state = ProposalState.Submitted) =>
      types.map((stakeholderType, i) =>
        row({
          proposalId: id,
          title: id,
          formatKey: 'table-ronde',
          email: `${id}${i}@x.org`,
          stakeholderType,
          state,
        }),
      );
    const mix = stakeholderMix([
      ...table('same', [S.Company, S.Company, S.Company]),
      ...table('mixed', [S.Company, S.LocalAuthority, S.Company]),
      ...table('rejected', [S.Other, S.Other, S.Other], ProposalState.Rejected),
      row({ proposalId: 'workshop', stakeholderType: S.Company }),
    ]);
    expect(mix.roundTableWarnings).toEqual([
      {
        proposalId: 'same',
        title: 'same',
        state: 'submitted',
        stakeholderType: 'company',
        speakers: 3,
      },
    ]);
  });
});
