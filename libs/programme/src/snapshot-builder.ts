import { DateTime } from 'luxon';
import { eventDays } from './core/model';
import type { ProgrammeSnapshot } from './core/snapshot';
import type { ProgrammeRows } from './programme-loader';

export interface SnapshotTheme {
  id: string;
  nameFr: string;
  nameEn: string;
}

/** The frozen public view of a working schedule: placed sessions only, no email addresses. */
export function buildSnapshot(rows: ProgrammeRows, themes: SnapshotTheme[]): ProgrammeSnapshot {
  const { edition, grid } = rows;
  const rooms = new Map(rows.rooms.map((room) => [room.id, room]));
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    edition: {
      slug: edition.slug,
      title: edition.title,
      hostCity: edition.hostCity,
      venueName: edition.venueName,
      venueAddress: edition.venueAddress,
      timezone: edition.timezone,
      startsAt: edition.startsAt.toISOString(),
      endsAt: edition.endsAt.toISOString(),
      defaultLocale: edition.defaultLocale,
    },
    rooms: rows.rooms.map((room) => ({
      id: room.id,
      name: room.name,
      capacity: room.capacity,
      stepFree: room.stepFree,
      accessNotes: room.accessNotes,
    })),
    themes,
    blocks: rows.blocks.map((b) => ({
      kind: b.kind,
      title: b.title,
      start: b.startsAt.toISOString(),
      end: b.endsAt.toISOString(),
    })),
    days: eventDays(
      edition.startsAt,
      edition.endsAt,
      edition.timezone,
      grid.dayStart,
      grid.dayEnd,
    ).map((day) => ({
      date: DateTime.fromMillis(day.start, { zone: edition.timezone }).toISODate()!,
      start: iso(day.start),
      end: iso(day.end),
    })),
    stepMinutes: grid.stepMinutes,
    sessions: rows.sessions
      .filter((s) => s.startsAt && s.roomId && rooms.has(s.roomId))
      .map((s) => ({
        id: s.id,
        title: s.title,
        abstract: s.abstract,
        kind: s.kind,
        language: s.language,
        themeId: s.themeId,
        roomId: s.roomId!,
        start: s.startsAt!.toISOString(),
        end: new Date(s.startsAt!.getTime() + s.durationMinutes * 60_000).toISOString(),
        durationMinutes: s.durationMinutes,
        capacity: s.capacity ?? rooms.get(s.roomId!)!.capacity,
        speakers: (rows.speakers.get(s.id) ?? []).map((sp) => ({
          name: sp.name,
          organisation: sp.organisation,
          bio: sp.bio,
        })),
      })),
  };
}
