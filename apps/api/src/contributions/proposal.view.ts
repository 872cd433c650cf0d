import type { ProposalView } from '@assises/contributions';

/** A proposal as its manage link shows it: everything the contributor wrote, never a token. */
export function proposalJson({ proposal, speakers, format, deadline }: ProposalView) {
  return {
    id: proposal.id,
    state: proposal.state,
    title: proposal.title,
    abstract: proposal.abstract,
    description: proposal.description,
    language: proposal.language,
    expectedAudience: proposal.expectedAudience,
    needs: proposal.needs,
    availability: proposal.availability,
    answers: proposal.answers,
    format: { id: format.id, key: format.key, nameFr: format.nameFr, nameEn: format.nameEn },
    themeId: proposal.themeId,
    submittedAt: proposal.submittedAt ? proposal.submittedAt.toISOString() : null,
    editableUntil: deadline.toISOString(),
    speakers: speakers.map((s) => ({
      name: s.name,
      email: s.email,
      organisation: s.organisation,
      role: s.role,
      stakeholderType: s.stakeholderType,
      territoryType: s.territoryType,
      cityOrRegion: s.cityOrRegion,
      bio: s.bio,
      isSubmitter: s.isSubmitter,
      confirmed: s.confirmedAt !== null,
    })),
  };
}
