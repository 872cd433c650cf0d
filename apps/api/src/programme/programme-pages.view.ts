import type { Locale } from '@assises/core';
import {
  Conflict,
  eventDays,
  ProgrammeSnapshot,
  SchedulingRun,
  SchedulingRunStatus,
  SnapshotSession,
  WorkingProgramme,
} from '@assises/programme';
import { DateTime } from 'luxon';

const INTL: Record<Locale, string> = { fr: 'fr', en: 'en-GB' };

function local(iso: string | Date, zone: string, lang: Locale): DateTime {
  const value = typeof iso === 'string' ? DateTime.fromISO(iso) : DateTime.fromJSDate(iso);
  return value.setZone(zone).setLocale(INTL[lang]);
}

/** A public session as the pages show it: local times, room and theme names. */
function publicSession(snapshot: ProgrammeSnapshot, session: SnapshotSession, lang: Locale) {
  const zone = snapshot.edition.timezone;
  const theme = snapshot.themes.find((t) => t.id === session.themeId);
  return {
    ...session,
    day: local(session.start, zone, lang).toISODate(),
    from: local(session.start, zone, lang).toFormat('HH:mm'),
    to: local(session.end, zone, lang).toFormat('HH:mm'),
    roomName: snapshot.rooms.find((r) => r.id === session.roomId)?.name ?? '',
    themeName: theme ? (lang === 'en' ? theme.nameEn : theme.nameFr) : '',
    speakerNames: session.speakers.map((s) => s.name).join(', '),
  };
}

export type ProgrammeGrouping = 'day' | 'room' | 'theme';

export interface ProgrammeFilters {
  by: ProgrammeGrouping;
  day?: string;
  room?: string;
  theme?: string;
}

/** The public programme grouped by day, room or theme, with the filters applied. */
export function publicProgrammeView(
  snapshot: ProgrammeSnapshot,
  filters: ProgrammeFilters,
  lang: Locale,
) {
  const zone = snapshot.edition.timezone;
  const sessions = [...snapshot.sessions]
    .sort((a, b) => a.start.localeCompare(b.start) || a.title.localeCompare(b.title))
    .map((s) => publicSession(snapshot, s, lang))
    .filter(
      (s) =>
        (!filters.day || s.day === filters.day) &&
        (!filters.room || s.roomId === filters.room) &&
        (!filters.theme || s.themeId === filters.theme),
    );
  const dayLabel = (date: string) =>
    DateTime.fromISO(date, { zone }).setLocale(INTL[lang]).toFormat('cccc d LLLL yyyy');
  let groups: { heading: string; sessions: typeof sessions }[];
  switch (filters.by) {
    case 'room':
      groups = snapshot.rooms.map((room) => ({
        heading: room.name,
        sessions: sessions.filter((s) => s.roomId === room.id),
      }));
      break;
    case 'theme':
      groups = [
        ...snapshot.themes.map((theme) => ({
          heading: lang === 'en' ? theme.nameEn : theme.nameFr,
          sessions: sessions.filter((s) => s.themeId === theme.id),
        })),
        { heading: '', sessions: sessions.filter((s) => !s.themeId) },
      ];
      break;
    case 'day':
      groups = snapshot.days.map((day) => ({
        heading: dayLabel(day.date),
        sessions: sessions.filter((s) => s.day === day.date),
      }));
      break;
    default: {
      const unknown: never = filters.by;
      throw new Error(`unknown grouping ${String(unknown)}`);
    }
  }
  return {
    groups: groups.filter((g) => g.sessions.length > 0),
    days: snapshot.days.map((d) => ({ value: d.date, label: dayLabel(d.date) })),
    rooms: snapshot.rooms,
    themes: snapshot.themes.map((t) => ({ id: t.id, name: lang === 'en' ? t.nameEn : t.nameFr })),
    blocks: snapshot.blocks.map((b) => ({
      ...b,
      day: dayLabel(local(b.start, zone, lang).toISODate()!),
      from: local(b.start, zone, lang).toFormat('HH:mm'),
      to: local(b.end, zone, lang).toFormat('HH:mm'),
    })),
    count: sessions.length,
  };
}

export function publicSessionView(snapshot: ProgrammeSnapshot, id: string, lang: Locale) {
  const session = snapshot.sessions.find((s) => s.id === id);
  if (!session) return null;
  const view = publicSession(snapshot, session, lang);
  return {
    ...view,
    dayLabel: local(session.start, snapshot.edition.timezone, lang).toFormat('cccc d LLLL yyyy'),
  };
}

/**
 * The schedule editor: for each day, one row per grid step and one column per room, each cell
 * holding the sessions that start in it; the unscheduled sessions; the conflicts by session;
 * and the starts a session may be given (every step of every day).
 */
export function editorView(working: WorkingProgramme, lang: Locale, run: SchedulingRun | null) {
  const { rows, conflicts } = working;
  const { edition, grid } = rows;
  const zone = edition.timezone;
  const step = grid.stepMinutes * 60_000;
  const titles = new Map(rows.sessions.map((s) => [s.id, s.title]));
  const conflictsOf = new Map<string, Conflict[]>();
  for (const conflict of conflicts)
    for (const id of conflict.sessionIds)
      conflictsOf.set(id, [...(conflictsOf.get(id) ?? []), conflict]);
  const describe = (conflict: Conflict) => ({
    code: conflict.code,
    titles: conflict.sessionIds.map((id) => titles.get(id) ?? id).join(' / '),
    speaker: conflict.speaker,
    amount: conflict.amount,
  });
  const sessionItem = (id: string) => {
    const session = rows.sessions.find((s) => s.id === id)!;
    return {
      id: session.id,
      title: session.title,
      kind: session.kind,
      durationMinutes: session.durationMinutes,
      version: session.version,
      roomId: session.roomId,
      start: session.startsAt
        ? local(session.startsAt, zone, lang).toFormat("yyyy-MM-dd'T'HH:mm")
        : '',
      speakers: (rows.speakers.get(session.id) ?? []).map((s) => s.name).join(', '),
      conflicted: conflictsOf.has(session.id),
      conflicts: (conflictsOf.get(session.id) ?? []).map(describe),
    };
  };
  const days = eventDays(edition.startsAt, edition.endsAt, zone, grid.dayStart, grid.dayEnd);
  const starts: { value: string; label: string }[] = [];
  const tables = days.map((day) => {
    const slots = [];
    for (let t = day.start; t < day.end; t += step) {
      const at = DateTime.fromMillis(t, { zone }).setLocale(INTL[lang]);
      const value = at.toFormat("yyyy-MM-dd'T'HH:mm");
      starts.push({ value, label: at.toFormat('ccc d LLL HH:mm') });
      const block = rows.blocks.find((b) => b.startsAt.getTime() <= t && t < b.endsAt.getTime());
      slots.push({
        time: at.toFormat('HH:mm'),
        block: block ? block.title : null,
        cells: rows.rooms.map((room) => ({
          // Where a session dropped on this cell goes (the editor's drag and drop).
          roomId: room.id,
          roomName: room.name,
          start: value,
          label: `${room.name}, ${at.toFormat('ccc d LLL HH:mm')}`,
          sessions: rows.sessions
            .filter(
              (s) =>
                s.roomId === room.id &&
                s.startsAt &&
                s.startsAt.getTime() >= t &&
                s.startsAt.getTime() < t + step,
            )
            .map((s) => sessionItem(s.id)),
        })),
      });
    }
    return {
      label: DateTime.fromMillis(day.start, { zone })
        .setLocale(INTL[lang])
        .toFormat('cccc d LLLL yyyy'),
      slots,
    };
  });
  return {
    rooms: rows.rooms,
    tables,
    starts,
    sessions: rows.sessions.map((s) => sessionItem(s.id)),
    unscheduled: rows.sessions.filter((s) => !s.roomId).map((s) => sessionItem(s.id)),
    conflicts: conflicts.map(describe),
    grid,
    run: run
      ? {
          ...run,
          unplaced: (run.result?.unplaced ?? []).map((u) => ({
            title: titles.get(u.sessionId) ?? u.sessionId,
            reason: u.reason,
          })),
          placements: run.result?.placements.length ?? 0,
          done: run.status === SchedulingRunStatus.Done,
        }
      : null,
  };
}
