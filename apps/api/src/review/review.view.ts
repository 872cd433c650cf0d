import type {
  ProposalDetail,
  ProposalListPage,
  ReviewCriterion,
  ReviewerView,
  ReviewView,
} from '@assises/contributions';

export function criterionJson(c: ReviewCriterion) {
  return {
    id: c.id,
    key: c.key,
    nameFr: c.nameFr,
    nameEn: c.nameEn,
    descriptionFr: c.descriptionFr,
    descriptionEn: c.descriptionEn,
    weight: Number(c.weight),
    position: c.position,
  };
}

export function reviewJson(r: ReviewView) {
  return {
    id: r.id,
    reviewer: { id: r.reviewerId, name: r.reviewerName },
    scores: r.scores,
    score: r.score,
    comment: r.comment,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** The list as JSON: rows, the number matching, counts per state, and where this page is. */
export function proposalListJson(page: ProposalListPage) {
  return {
    total: page.total,
    byState: page.byState,
    page: page.filters.page,
    perPage: page.filters.perPage,
    pages: page.pages,
    sort: page.filters.sort,
    dir: page.filters.dir,
    blindReview: page.context.hideSpeakers,
    items: page.rows,
  };
}

/** A proposal for the back office; in blind review nothing names or places a speaker. */
export function proposalDetailJson(d: ProposalDetail) {
  const p = d.proposal;
  return {
    id: p.id,
    state: p.state,
    pendingDecision: d.context.isOrganiser ? p.pendingDecision : null,
    title: p.title,
    abstract: p.abstract,
    description: p.description,
    language: p.language,
    expectedAudience: p.expectedAudience,
    needs: p.needs,
    availability: p.availability,
    submittedAt: p.submittedAt,
    format: { key: d.format.key, nameFr: d.format.nameFr, nameEn: d.format.nameEn },
    theme: d.theme ? { id: d.theme.id, nameFr: d.theme.nameFr, nameEn: d.theme.nameEn } : null,
    answers: d.answers,
    blindReview: d.context.hideSpeakers,
    speakers:
      d.speakers?.map((s) => ({
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
      })) ?? null,
    history: d.history,
    criteria: d.criteria.map(criterionJson),
    reviewCount: d.reviewCount,
    mean: d.mean,
    spread: d.spread,
    myReview: d.myReview ? reviewJson(d.myReview) : null,
    reviews: d.reviews.map(reviewJson),
    othersHidden: d.othersHidden,
    assignedToMe: d.assignedToMe,
    assignees: d.context.isOrganiser ? d.assignees : undefined,
  };
}

export function reviewerJson(r: ReviewerView) {
  return r;
}
