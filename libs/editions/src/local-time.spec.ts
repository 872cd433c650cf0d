import { toInstant, toLocalInput } from './local-time';

describe('toInstant', () => {
  it('reads a local time in the edition timezone (winter, UTC+1)', () => {
    expect(toInstant('2017-02-03T09:00', 'Europe/Paris')?.toISOString()).toBe(
      '2017-02-03T08:00:00.000Z',
    );
  });

  it('reads a local time in summer (UTC+2)', () => {
    expect(toInstant('2027-06-10T09:00', 'Europe/Paris')?.toISOString()).toBe(
      '2027-06-10T07:00:00.000Z',
    );
  });

  it('keeps an explicit offset', () => {
    expect(toInstant('2027-02-04T09:00:00Z', 'Europe/Paris')?.toISOString()).toBe(
      '2027-02-04T09:00:00.000Z',
    );
  });

  it('refuses a date that does not exist', () => {
    expect(toInstant('2027-02-31T09:00', 'Europe/Paris')).toBeNull();
  });

  it('gives back the wall-clock time for a form', () => {
    expect(toLocalInput(new Date('2017-02-03T08:00:00Z'), 'Europe/Paris')).toBe('2017-02-03T09:00');
  });
});
