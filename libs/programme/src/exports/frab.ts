import { DateTime } from 'luxon';
import type { SnapshotSession } from '../core/snapshot';
import { clean, PublishedProgramme, sessionUrl } from './published';

/**
 * The frab schedule format (schedule.xml and schedule.json, as pretalx and frab export them and
 * conference apps read them; schemas from voc/schedule). Built from one published version.
 */

/** The acronym frab wants: lower-case letters, digits and underscores, 4 or more. */
function acronymOf(slug: string): string {
  const acronym = slug.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return acronym.length >= 4 ? acronym : acronym.padEnd(4, '_');
}

function slugify(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/g, '');
  return ascii.length >= 4 ? ascii : `session${ascii ? `-${ascii}` : ''}`;
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

interface FrabEvent {
  session: SnapshotSession;
  id: number;
  slug: string;
  room: string;
  track: string;
  date: string;
  start: string;
  end: string;
  duration: string;
  url: string;
}

interface FrabDay {
  index: number;
  date: string;
  start: string;
  end: string;
  rooms: { name: string; guid: string; events: FrabEvent[] }[];
}

/** Days, rooms and events in frab's shape (times with the edition's offset). */
function frabModel(published: PublishedProgramme, baseUrl: string) {
  const { snapshot } = published;
  const zone = snapshot.edition.timezone;
  const acronym = acronymOf(snapshot.edition.slug);
  const iso = (value: string) =>
    DateTime.fromISO(value, { zone }).toISO({ suppressMilliseconds: true })!;
  const themes = new Map(snapshot.themes.map((t) => [t.id, t.nameFr]));
  const usedIds = new Set<number>();
  const events: FrabEvent[] = [...snapshot.sessions]
    .sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id))
    .map((session) => {
      // A stable positive id from the uuid, unique within the document.
      let id = parseInt(session.id.replace(/-/g, '').slice(0, 7), 16) + 1;
      while (usedIds.has(id)) id += 1;
      usedIds.add(id);
      const start = DateTime.fromISO(session.start, { zone });
      return {
        session,
        id,
        slug: `${acronym}-${id}-${slugify(session.title)}`,
        room: clean(snapshot.rooms.find((r) => r.id === session.roomId)?.name ?? ''),
        track: clean(session.themeId ? (themes.get(session.themeId) ?? '') : ''),
        date: iso(session.start),
        start: start.toFormat('HH:mm'),
        end: iso(session.end),
        duration: hhmm(session.durationMinutes),
        url: sessionUrl(baseUrl, snapshot.edition.slug, session.id),
      };
    });
  const days: FrabDay[] = snapshot.days.map((day, i) => ({
    index: i + 1,
    date: day.date,
    start: iso(day.start),
    end: iso(day.end),
    rooms: snapshot.rooms.map((room) => ({
      name: clean(room.name),
      guid: room.id,
      events: events.filter(
        (e) =>
          e.session.roomId === room.id &&
          DateTime.fromISO(e.session.start, { zone }).toISODate() === day.date,
      ),
    })),
  }));
  const first =
    snapshot.days[0]?.date ?? DateTime.fromISO(snapshot.edition.startsAt, { zone }).toISODate()!;
  const last =
    snapshot.days[snapshot.days.length - 1]?.date ??
    DateTime.fromISO(snapshot.edition.endsAt, { zone }).toISODate()!;
  return { acronym, days, first, last, zone };
}

const GENERATOR = { name: 'assises', version: '1.0' };

/** Async only to load xmlbuilder2 on the first XML export, not in every api process at boot. */
export async function frabXml(published: PublishedProgramme, baseUrl: string): Promise<string> {
  const { create } = await import('xmlbuilder2');
  const { snapshot } = published;
  const { acronym, days, first, last, zone } = frabModel(published, baseUrl);
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('schedule');
  root.ele('generator', GENERATOR);
  root
    .ele('url')
    .txt(`${baseUrl}/e/${encodeURIComponent(snapshot.edition.slug)}/programme/schedule.xml`);
  root.ele('version').txt(clean(`${published.number} ${published.name}`));
  const conference = root.ele('conference');
  conference.ele('acronym').txt(acronym);
  conference.ele('title').txt(clean(snapshot.edition.title));
  conference.ele('start').txt(first);
  conference.ele('end').txt(last);
  conference.ele('days').txt(String(days.length));
  conference.ele('timeslot_duration').txt(hhmm(snapshot.stepMinutes));
  conference.ele('base_url').txt(`${baseUrl}/`);
  conference.ele('time_zone_name').txt(zone);
  for (const theme of snapshot.themes) conference.ele('track', { name: clean(theme.nameFr) });
  for (const day of days) {
    const dayEl = root.ele('day', {
      index: day.index,
      date: day.date,
      start: day.start,
      end: day.end,
    });
    for (const room of day.rooms) {
      const roomEl = dayEl.ele('room', { name: room.name, guid: room.guid });
      for (const event of room.events) {
        const e = roomEl.ele('event', { id: event.id, guid: event.session.id });
        e.ele('room').txt(event.room);
        e.ele('title').txt(clean(event.session.title));
        e.ele('subtitle').txt('');
        e.ele('type').txt(event.session.kind);
        e.ele('date').txt(event.date);
        e.ele('start').txt(event.start);
        e.ele('duration').txt(event.duration);
        e.ele('abstract').txt(clean(event.session.abstract));
        e.ele('slug').txt(event.slug);
        e.ele('track').txt(event.track);
        const persons = e.ele('persons');
        for (const speaker of event.session.speakers)
          persons.ele('person').txt(clean(speaker.name));
        e.ele('language').txt(event.session.language);
        e.ele('description').txt('');
        e.ele('links');
        e.ele('url').txt(event.url);
      }
    }
  }
  return root.end({ prettyPrint: true });
}

export function frabJson(published: PublishedProgramme, baseUrl: string) {
  const { snapshot } = published;
  const { acronym, days, first, last, zone } = frabModel(published, baseUrl);
  return {
    $schema: 'https://c3voc.de/schedule/schema.json',
    generator: GENERATOR,
    schedule: {
      version: clean(`${published.number} ${published.name}`),
      base_url: `${baseUrl}/`,
      conference: {
        acronym,
        title: clean(snapshot.edition.title),
        start: first,
        end: last,
        daysCount: days.length,
        timeslot_duration: hhmm(snapshot.stepMinutes),
        time_zone_name: zone,
        url: `${baseUrl}/e/${encodeURIComponent(snapshot.edition.slug)}/programme`,
        tracks: snapshot.themes.map((t) => ({ name: clean(t.nameFr) })),
        rooms: snapshot.rooms.map((room) => ({
          name: clean(room.name),
          guid: room.id,
          capacity: room.capacity,
          description: clean(room.accessNotes),
        })),
        days: days.map((day) => ({
          index: day.index,
          date: day.date,
          day_start: day.start,
          day_end: day.end,
          rooms: Object.fromEntries(
            day.rooms.map((room) => [
              room.name,
              room.events.map((event) => ({
                guid: event.session.id,
                id: event.id,
                date: event.date,
                start: event.start,
                end: event.end,
                duration: event.duration,
                room: event.room,
                slug: event.slug,
                url: event.url,
                title: clean(event.session.title),
                subtitle: '',
                track: event.track || null,
                type: event.session.kind,
                language: event.session.language,
                abstract: clean(event.session.abstract),
                description: '',
                persons: event.session.speakers.map((s) => ({
                  name: clean(s.name),
                  biography: clean(s.bio) || null,
                })),
                links: [],
              })),
            ]),
          ),
        })),
      },
    },
  };
}
