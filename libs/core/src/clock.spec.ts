import { FakeClock } from './clock';

describe(FakeClock.name, () => {
  it('stays where it is set and moves only when advanced', () => {
    const clock = new FakeClock(new Date('2027-02-04T08:00:00Z'));
    expect(clock.now().toISOString()).toBe('2027-02-04T08:00:00.000Z');
    clock.advance(90 * 60_000);
    expect(clock.now().toISOString()).toBe('2027-02-04T09:30:00.000Z');
    clock.set(new Date('2017-02-03T08:00:00Z'));
    expect(clock.now().getUTCFullYear()).toBe(2017);
  });

  it('hands out copies, so callers cannot move it by mutating a date', () => {
    const clock = new FakeClock(new Date('2027-02-04T08:00:00Z'));
    clock.now().setUTCFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2027);
  });
});
