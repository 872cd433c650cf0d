/** A reminder to schedule: how many days before the event, and when it leaves. */
export interface ReminderPlan {
  days: number;
  sendAt: Date;
}

const DAY = 86_400_000;

/**
 * When the reminders of an event go: `days` before its start, skipping those already past
 * (a registration a day before the event gets no "one week to go" mail). Sorted, no duplicates.
 */
export function reminderPlan(startsAt: Date, reminderDays: number[], now: Date): ReminderPlan[] {
  return [...new Set(reminderDays)]
    .filter((days) => Number.isInteger(days) && days > 0)
    .sort((a, b) => b - a)
    .map((days) => ({ days, sendAt: new Date(startsAt.getTime() - days * DAY) }))
    .filter((plan) => plan.sendAt > now);
}

/** The outbox purpose of a registration's reminder; `d` ends it so `:1d` is no prefix of `:14d`. */
export function reminderPurpose(registrationId: string, days: number): string {
  return `registration-reminder:${registrationId}:${days}d`;
}
