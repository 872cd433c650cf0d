import { DateTime } from 'luxon';

/** The Assises traditionally open on the first Thursday of February. */
export function firstThursdayOfFebruary(year: number): DateTime {
  const first = DateTime.fromObject({ year, month: 2, day: 1 }, { zone: 'Europe/Paris' });
  // Luxon weekdays: Monday = 1 … Thursday = 4 … Sunday = 7.
  return first.plus({ days: (4 - first.weekday + 7) % 7 });
}

export interface DemoDates {
  year: number;
  /** Local wall-clock times in Europe/Paris, as an organiser would type them. */
  startsAt: string;
  endsAt: string;
}

/** The next demo edition: next year's first Thursday of February and the Friday after, 09:00–18:00. */
export function upcomingEditionDates(today: Date): DemoDates {
  const year = DateTime.fromJSDate(today, { zone: 'Europe/Paris' }).year + 1;
  const thursday = firstThursdayOfFebruary(year);
  return {
    year,
    startsAt: `${thursday.toISODate()}T09:00`,
    endsAt: `${thursday.plus({ days: 1 }).toISODate()}T18:00`,
  };
}
