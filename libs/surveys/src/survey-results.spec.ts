import { npsOf, stats } from './survey-results.service';

describe('stats', () => {
  it('gives mean and median of a distribution', () => {
    expect(
      stats([
        [1, 1],
        [2, 0],
        [3, 1],
        [4, 0],
        [5, 2],
      ]),
    ).toEqual({ mean: 3.5, median: 4 });
    expect(
      stats([
        [1, 1],
        [5, 1],
      ]),
    ).toEqual({ mean: 3, median: 3 });
    expect(stats([[1, 0]])).toEqual({ mean: null, median: null });
  });
});

describe('npsOf', () => {
  it('subtracts the share of detractors (0–6) from that of promoters (9–10)', () => {
    const pairs: [number, number][] = [
      [0, 1],
      [6, 1],
      [7, 1],
      [8, 1],
      [9, 3],
      [10, 3],
    ];
    expect(npsOf(pairs)).toEqual({ score: 40, promoters: 6, passives: 2, detractors: 2 });
    expect(npsOf([[10, 0]])).toBeNull();
  });
});
