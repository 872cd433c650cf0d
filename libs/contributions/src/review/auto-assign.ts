/** A proposal to cover, with its speakers' organisations and who already reviews it. */
export interface AssignableProposal {
  id: string;
  speakerOrganisations: readonly string[];
  assignedReviewerIds: readonly string[];
}

/** A reviewer of the edition and how many proposals they already hold in it. */
export interface AssignableReviewer {
  id: string;
  organisation: string;
  load: number;
}

export interface BalancedAssignment {
  /** New pairs to insert; existing assignments are never moved. */
  assignments: { proposalId: string; reviewerId: string }[];
  /** Proposals left with fewer than k reviewers, because too few could review them. */
  unfilled: { proposalId: string; missing: number }[];
}

/**
 * Organisation names compared as people type them: case and spaces do not matter
 * ("Tiers-Lieu  Le Bocal" = "tiers-lieu le bocal"). An empty organisation matches nothing.
 */
export function sameOrganisation(a: string, b: string): boolean {
  const na = normaliseOrganisation(a);
  return na !== '' && na === normaliseOrganisation(b);
}

export function normaliseOrganisation(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

const byLoadThenId = (loads: Map<string, number>) => (a: string, b: string) =>
  loads.get(a)! - loads.get(b)! || (a < b ? -1 : a > b ? 1 : 0);

/**
 * Gives each proposal k reviewers, counting those already assigned. Nobody reviews a proposal
 * one of whose speakers shares their organisation. Proposals with the fewest possible reviewers
 * are served first (so constraints do not leave them short), and each takes the least loaded
 * reviewers (ties by id): loads end as even as the constraints allow. Deterministic: the same
 * input gives the same output, whatever its order.
 */
export function balancedAssignments(
  proposals: readonly AssignableProposal[],
  reviewers: readonly AssignableReviewer[],
  k: number,
): BalancedAssignment {
  const loads = new Map(reviewers.map((r) => [r.id, r.load]));
  const organisations = new Map(
    reviewers.map((r) => [r.id, normaliseOrganisation(r.organisation)]),
  );
  const eligible = new Map(
    proposals.map((p) => {
      const speakerOrgs = new Set(p.speakerOrganisations.map(normaliseOrganisation));
      const assigned = new Set(p.assignedReviewerIds);
      const ids = reviewers
        .map((r) => r.id)
        .filter((id) => !assigned.has(id))
        .filter((id) => {
          const org = organisations.get(id)!;
          return org === '' || !speakerOrgs.has(org);
        });
      return [p.id, ids];
    }),
  );
  const needOf = (p: AssignableProposal) => Math.max(0, k - new Set(p.assignedReviewerIds).size);
  const order = [...proposals]
    .filter((p) => needOf(p) > 0)
    .sort(
      (a, b) =>
        eligible.get(a.id)!.length - needOf(a) - (eligible.get(b.id)!.length - needOf(b)) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );

  const result: BalancedAssignment = { assignments: [], unfilled: [] };
  for (const proposal of order) {
    const need = needOf(proposal);
    const chosen = [...eligible.get(proposal.id)!].sort(byLoadThenId(loads)).slice(0, need);
    for (const reviewerId of chosen) {
      loads.set(reviewerId, loads.get(reviewerId)! + 1);
      result.assignments.push({ proposalId: proposal.id, reviewerId });
    }
    if (chosen.length < need)
      result.unfilled.push({ proposalId: proposal.id, missing: need - chosen.length });
  }
  return result;
}
