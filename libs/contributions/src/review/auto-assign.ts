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
        .sort()
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
  rebalance(result.assignments, proposals, eligible, loads);
  return result;
}

/**
 * Greedy choices can leave loads two apart (a constrained proposal took the last free hands).
 * Looks for a chain of moves of new assignments — the most loaded reviewer hands one proposal
 * to someone who may take it, who hands another on, … — ending at a reviewer at least two
 * below, and applies it; until loads differ by at most one or no chain exists. Existing
 * assignments never move; each step keeps k distinct, eligible reviewers per proposal.
 */
function rebalance(
  assignments: { proposalId: string; reviewerId: string }[],
  proposals: readonly AssignableProposal[],
  eligible: Map<string, string[]>,
  loads: Map<string, number>,
): void {
  const holders = new Map(proposals.map((p) => [p.id, new Set(p.assignedReviewerIds)]));
  for (const a of assignments) holders.get(a.proposalId)!.add(a.reviewerId);
  const ids = [...loads.keys()];
  const chainFrom = (high: string) => {
    const target = loads.get(high)! - 2;
    const via = new Map<string, { from: string; assignment: (typeof assignments)[number] }>();
    const queue = [high];
    const seen = new Set([high]);
    while (queue.length > 0) {
      const u = queue.shift()!;
      for (const assignment of assignments.filter((a) => a.reviewerId === u)) {
        for (const v of eligible.get(assignment.proposalId)!) {
          if (seen.has(v) || holders.get(assignment.proposalId)!.has(v)) continue;
          seen.add(v);
          via.set(v, { from: u, assignment });
          if (loads.get(v)! <= target) return { end: v, via };
          queue.push(v);
        }
      }
    }
    return null;
  };
  for (let guard = 0; guard < assignments.length * ids.length; guard += 1) {
    const order = [...ids].sort(byLoadThenId(loads)).reverse();
    const lowest = loads.get(order[order.length - 1])!;
    let chain: ReturnType<typeof chainFrom> = null;
    let start = '';
    for (const high of order) {
      if (loads.get(high)! - lowest < 2) break;
      chain = chainFrom(high);
      if (chain) {
        start = high;
        break;
      }
    }
    if (!chain) return;
    for (let node = chain.end; node !== start;) {
      const step = chain.via.get(node)!;
      holders.get(step.assignment.proposalId)!.delete(step.from);
      holders.get(step.assignment.proposalId)!.add(node);
      step.assignment.reviewerId = node;
      node = step.from;
    }
    loads.set(start, loads.get(start)! - 1);
    loads.set(chain.end, loads.get(chain.end)! + 1);
  }
}
