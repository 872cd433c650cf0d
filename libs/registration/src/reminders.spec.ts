import { reminderPlan, reminderPurpose } from './reminders';

describe('reminderPlan', () => {
  const start = new Date('2027-03-10T08:00:00Z');

  it('sends J-7 and J-1 before the event, earliest first', () => {
    const plan = reminderPlan(start, [1, 7], new Date('2027-01-01T00:00:00Z'));
    expect(plan.map((p) => [p.days, p.sendAt.toISOString()])).toEqual([
      [7, '2027-03-03T08:00:00.000Z'],
      [1, '2027-03-09T08:00:00.000Z'],
    ]);
  });

  it('skips reminders already past, and nonsense offsets', () => {
    const plan = reminderPlan(start, [7, 1, 1, 0, -3, 2.5], new Date('2027-03-05T00:00:00Z'));
    expect(plan.map((p) => p.days)).toEqual([1]);
  });
});

describe('reminderPurpose', () => {
  it('never makes one offset a prefix of another', () => {
    expect(reminderPurpose('r', 14).startsWith(reminderPurpose('r', 1))).toBe(false);
  });
});
