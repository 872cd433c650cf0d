import { parseProposalFilters, proposalListQuery } from './proposal-list.query';

describe('parseProposalFilters', () => {
  it('defaults to the newest submissions first, 50 a page', () => {
    expect(parseProposalFilters({})).toEqual({
      filters: { sort: 'submitted', dir: 'desc', page: 1, perPage: 50 },
      errors: {},
    });
  });

  it('reads every filter of the query string', () => {
    const { filters, errors } = parseProposalFilters({
      state: 'submitted',
      format: 'atelier',
      stakeholder: 'local_authority',
      territory: 'rural',
      scoreMin: '2.5',
      scoreMax: '5',
      reviewed: 'no',
      assigned: 'me',
      q: ' tiers-lieux ',
      sort: 'title',
      page: '3',
    });
    expect(errors).toEqual({});
    expect(filters).toMatchObject({
      state: 'submitted',
      scoreMin: 2.5,
      scoreMax: 5,
      q: 'tiers-lieux',
      sort: 'title',
      dir: 'asc',
      page: 3,
    });
  });

  it('names each bad value instead of ignoring it', () => {
    const { errors } = parseProposalFilters({
      state: 'draft',
      scoreMin: '9',
      sort: 'random',
      theme: 'x',
      page: '0',
      reviewed: 'maybe',
    });
    expect(Object.keys(errors).sort()).toEqual([
      'page',
      'reviewed',
      'scoreMin',
      'sort',
      'state',
      'theme',
    ]);
  });
});

describe('proposalListQuery', () => {
  const base = parseProposalFilters({ q: '50%_off' }).filters;

  it('searches speakers only when names may be seen, with wildcards escaped', () => {
    const open = proposalListQuery('e', 'me', base, { searchSpeakers: true });
    const blind = proposalListQuery('e', 'me', base, { searchSpeakers: false });
    expect(open.sql).toContain('s.name ILIKE');
    expect(blind.sql).not.toContain('s.name ILIKE');
    expect(open.params).toContain('%50\\%\\_off%');
  });

  it('keeps every value out of the SQL text', () => {
    const { filters } = parseProposalFilters({ format: "x'; DROP TABLE proposals; --" });
    const query = proposalListQuery('e', 'me', filters, { searchSpeakers: true });
    expect(query.sql).not.toContain('DROP');
    expect(query.params).toContain("x'; DROP TABLE proposals; --");
  });
});
