import { firstThursdayOfFebruary, upcomingEditionDates } from './demo-calendar';

describe(firstThursdayOfFebruary.name, () => {
  it.each([
    [2017, '2017-02-02'],
    [2027, '2027-02-04'],
    [2029, '2029-02-01'],
  ])('finds it in %i', (year, date) => {
    expect(firstThursdayOfFebruary(year).toISODate()).toBe(date);
  });
});

describe(upcomingEditionDates.name, () => {
  it('is next year, Thursday 09:00 to Friday 18:00', () => {
    expect(upcomingEditionDates(new Date('2026-11-29T12:00:00Z'))).toEqual({
      year: 2027,
      startsAt: '2027-02-04T09:00',
      endsAt: '2027-02-05T18:00',
    });
  });

  it('counts the year in Paris on New Year’s Eve', () => {
    expect(upcomingEditionDates(new Date('2026-12-31T23:30:00Z')).year).toBe(2028);
  });
});
