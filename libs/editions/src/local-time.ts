import { DateTime } from 'luxon';

/**
 * Reads a date-time typed by a person: with an offset it is an instant; without one it is a
 * wall-clock time in the edition's timezone (what an organiser in Lyon means by "9:00").
 * Returns null when it is not a real date (31 February).
 */
export function toInstant(value: string, zone: string): Date | null {
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
  const parsed = DateTime.fromISO(value, hasOffset ? { setZone: true } : { zone });
  return parsed.isValid ? parsed.toJSDate() : null;
}

/** The wall-clock time of an instant in a zone, as a `datetime-local` input wants it. */
export function toLocalInput(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}
