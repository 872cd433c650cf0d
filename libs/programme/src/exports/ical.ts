import ical, { ICalCalendarMethod } from 'ical-generator';
import { DateTime } from 'luxon';
import { clean, PublishedProgramme, sessionUrl } from './published';

/**
 * A VTIMEZONE for `zone` covering the given years, built from the zone's real offsets: one
 * observance per transition found (RFC 5545 allows observances without a rule).
 */
export function vtimezone(zone: string, years: number[]): string {
  const offset = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const format = (minutes: number) => {
    const sign = minutes < 0 ? '-' : '+';
    const abs = Math.abs(minutes);
    return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  };
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const sorted = [...new Set(years)].sort();
  const from = DateTime.fromObject({ year: sorted[0] - 1, month: 1, day: 1 }, { zone: 'utc' });
  const to = DateTime.fromObject(
    { year: sorted[sorted.length - 1] + 1, month: 12, day: 31 },
    {
      zone: 'utc',
    },
  );
  const transitions: { at: number; before: number; after: number }[] = [];
  const DAY = 86_400_000;
  for (let t = from.toMillis(); t < to.toMillis(); t += DAY) {
    if (offset(t) === offset(t + DAY)) continue;
    let low = t;
    let high = t + DAY;
    while (high - low > 60_000) {
      const mid = low + Math.floor((high - low) / 2 / 60_000) * 60_000;
      if (offset(mid) === offset(t)) low = mid;
      else high = mid;
    }
    transitions.push({ at: high, before: offset(t), after: offset(high) });
  }
  if (transitions.length === 0) {
    const fixed = format(offset(from.toMillis()));
    lines.push(
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      `TZOFFSETFROM:${fixed}`,
      `TZOFFSETTO:${fixed}`,
      'END:STANDARD',
    );
  }
  for (const transition of transitions) {
    const kind = transition.after > transition.before ? 'DAYLIGHT' : 'STANDARD';
    const local = DateTime.fromMillis(transition.at, { zone: 'utc' })
      .plus({ minutes: transition.before })
      .toFormat("yyyyMMdd'T'HHmmss");
    lines.push(
      `BEGIN:${kind}`,
      `DTSTART:${local}`,
      `TZOFFSETFROM:${format(transition.before)}`,
      `TZOFFSETTO:${format(transition.after)}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

/**
 * The programme (or some sessions of it: one for "add to my calendar", an attendee's agenda) as
 * an RFC 5545 calendar: times in the edition's zone with its VTIMEZONE, text escaped and lines
 * folded by ical-generator.
 */
export function programmeIcal(
  published: PublishedProgramme,
  baseUrl: string,
  only?: string | readonly string[],
): string {
  const { snapshot } = published;
  const zone = snapshot.edition.timezone;
  const wanted = only === undefined ? null : new Set(typeof only === 'string' ? [only] : only);
  const sessions = wanted ? snapshot.sessions.filter((s) => wanted.has(s.id)) : snapshot.sessions;
  const years = [new Date(snapshot.edition.startsAt).getUTCFullYear()];
  const calendar = ical({
    name: clean(snapshot.edition.title),
    prodId: { company: 'assises', product: 'programme', language: 'FR' },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: zone, generator: (tz) => vtimezone(tz, years) },
  });
  const rooms = new Map(snapshot.rooms.map((room) => [room.id, room.name]));
  for (const session of sessions) {
    const speakers = session.speakers.map((s) => s.name).join(', ');
    const host = new URL(baseUrl).hostname;
    calendar.createEvent({
      id: `${session.id}@${host}`,
      sequence: published.number,
      stamp: published.publishedAt,
      start: DateTime.fromISO(session.start, { zone }),
      end: DateTime.fromISO(session.end, { zone }),
      timezone: zone,
      summary: clean(session.title),
      description: clean([speakers, session.abstract].filter(Boolean).join('\n\n')),
      location: clean(
        [rooms.get(session.roomId), snapshot.edition.venueName, snapshot.edition.venueAddress]
          .filter(Boolean)
          .join(', '),
      ),
      url: sessionUrl(baseUrl, snapshot.edition.slug, session.id),
    });
  }
  return calendar.toString();
}
