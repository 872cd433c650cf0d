import { balancedAssignments, sameOrganisation } from './auto-assign';

const proposal = (id: string, orgs: string[] = [], assigned: string[] = []) => ({
  id,
  speakerOrganisations: orgs,
  assignedReviewerIds: assigned,
});
const reviewer = (id: string, organisation = '', load = 0) => ({ id, organisation, load });

function loadsOf(assignments: { reviewerId: string }[], ids: string[]) {
  const loads = Object.fromEntries(ids.map((id) => [id, 0]));
  for (const a of assignments) loads[a.reviewerId] += 1;
  return loads;
}

describe('balancedAssignments', () => {
  it('gives every proposal k distinct reviewers with loads differing by at most one', () => {
    const proposals = Array.from({ length: 10 }, (_, i) => proposal(`p${i}`));
    const reviewers = ['a', 'b', 'c', 'd'].map((id) => reviewer(id));
    const { assignments, unfilled } = balancedAssignments(proposals, reviewers, 3);

    expect(unfilled).toEqual([]);
    for (const p of proposals) {
      const mine = assignments.filter((a) => a.proposalId === p.id).map((a) => a.reviewerId);
      expect(new Set(mine).size).toBe(3);
    }
    const loads = Object.values(loadsOf(assignments, ['a', 'b', 'c', 'd']));
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
    expect(loads.reduce((x, y) => x + y, 0)).toBe(30);
  });

  it('never gives a reviewer a proposal from their own organisation, whatever the case or spaces', () => {
    const proposals = [
      proposal('p1', ['  La  Cordée ']),
      proposal('p2', ['Other']),
      proposal('p3', ['la cordée', 'Mairie']),
    ];
    const reviewers = [
      reviewer('a', 'LA CORDÉE'),
      reviewer('b', 'mairie'),
      reviewer('c'),
      reviewer('d'),
    ];
    const { assignments } = balancedAssignments(proposals, reviewers, 2);

    expect(assignments).not.toContainEqual({ proposalId: 'p1', reviewerId: 'a' });
    expect(assignments).not.toContainEqual({ proposalId: 'p3', reviewerId: 'a' });
    expect(assignments).not.toContainEqual({ proposalId: 'p3', reviewerId: 'b' });
    expect(
      assignments
        .filter((a) => a.proposalId === 'p3')
        .map((a) => a.reviewerId)
        .sort(),
    ).toEqual(['c', 'd']);
  });

  it('treats an empty organisation as matching nobody', () => {
    expect(sameOrganisation('', '')).toBe(false);
    expect(sameOrganisation('  ', '')).toBe(false);
    expect(sameOrganisation('Tiers Lieu', 'tiers  lieu')).toBe(true);
    const { assignments } = balancedAssignments([proposal('p1', ['', ''])], [reviewer('a', '')], 1);
    expect(assignments).toEqual([{ proposalId: 'p1', reviewerId: 'a' }]);
  });

  it('counts existing assignments towards k and towards the loads', () => {
    const proposals = [proposal('p1', [], ['a', 'b']), proposal('p2'), proposal('p3')];
    const reviewers = [reviewer('a', '', 5), reviewer('b', '', 1), reviewer('c'), reviewer('d')];
    const { assignments } = balancedAssignments(proposals, reviewers, 2);

    expect(assignments.filter((a) => a.proposalId === 'p1')).toEqual([]);
    // a already holds 5: the others take the new work.
    expect(assignments.map((a) => a.reviewerId)).not.toContain('a');
    expect(assignments).toHaveLength(4);
  });

  it('reports proposals too few reviewers can take', () => {
    const { assignments, unfilled } = balancedAssignments(
      [proposal('p1', ['X'])],
      [reviewer('a', 'x'), reviewer('b')],
      2,
    );
    expect(assignments).toEqual([{ proposalId: 'p1', reviewerId: 'b' }]);
    expect(unfilled).toEqual([{ proposalId: 'p1', missing: 1 }]);
  });

  it('serves the most constrained proposals first so they are not left short', () => {
    // p0 can only go to c and d (a and b are its organisation); greedy by id would fill c, d first.
    const proposals = [proposal('p0', ['Org']), proposal('p1'), proposal('p2')];
    const reviewers = [reviewer('a', 'org'), reviewer('b', 'ORG'), reviewer('c'), reviewer('d')];
    const { unfilled } = balancedAssignments(proposals, reviewers, 2);
    expect(unfilled).toEqual([]);
  });

  it('is deterministic whatever the order of its input', () => {
    const proposals = Array.from({ length: 7 }, (_, i) => proposal(`p${i}`, i % 2 ? ['A'] : []));
    const reviewers = ['r1', 'r2', 'r3', 'r4', 'r5'].map((id, i) =>
      reviewer(id, i === 0 ? 'a' : ''),
    );
    const one = balancedAssignments(proposals, reviewers, 3);
    const two = balancedAssignments([...proposals].reverse(), [...reviewers].reverse(), 3);
    const sort = (xs: { proposalId: string; reviewerId: string }[]) =>
      [...xs].sort((x, y) =>
        (x.proposalId + x.reviewerId).localeCompare(y.proposalId + y.reviewerId),
      );
    expect(sort(two.assignments)).toEqual(sort(one.assignments));
  });

  it('keeps loads within one under organisation constraints, whatever the ids', () => {
    const orgs = ['  la cordée', 'MAIRIE DE  LYON', '', 'Ellipse', 'Autre', 'la cordée'];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const id = () => random().toString(36).slice(2, 10);
    for (let run = 0; run < 200; run += 1) {
      const reviewers = [
        reviewer(id(), 'La Cordée'),
        reviewer(id(), 'Mairie de Lyon'),
        reviewer(id(), ''),
        reviewer(id(), 'Ellipse'),
      ];
      const proposals = Array.from({ length: 12 }, (_, i) =>
        proposal(id(), [orgs[i % orgs.length]], i === 4 ? [reviewers[0].id] : []),
      );
      reviewers[0].load = 1;
      const { assignments, unfilled } = balancedAssignments(proposals, reviewers, 2);
      expect(unfilled).toEqual([]);
      const loads = reviewers.map(
        (r) => r.load + assignments.filter((a) => a.reviewerId === r.id).length,
      );
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
      for (const a of assignments) {
        const p = proposals.find((x) => x.id === a.proposalId)!;
        const r = reviewers.find((x) => x.id === a.reviewerId)!;
        expect(p.speakerOrganisations.some((o) => sameOrganisation(o, r.organisation))).toBe(false);
        expect(p.assignedReviewerIds).not.toContain(r.id);
      }
      for (const p of proposals) {
        const on = assignments.filter((a) => a.proposalId === p.id).map((a) => a.reviewerId);
        expect(new Set([...on, ...p.assignedReviewerIds]).size).toBe(2);
      }
    }
  });
});
