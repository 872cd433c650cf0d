/**
 * A published programme, frozen: what the public pages and every export read. It carries no
 * email address. Times are ISO 8601 instants.
 */
export interface ProgrammeSnapshot {
  edition: {
    slug: string;
    title: string;
    hostCity: string;
    venueName: string;
    venueAddress: string;
    timezone: string;
    startsAt: string;
    endsAt: string;
    defaultLocale: string;
  };
  rooms: { id: string; name: string; capacity: number; stepFree: boolean; accessNotes: string }[];
  themes: { id: string; nameFr: string; nameEn: string }[];
  blocks: { kind: string; title: string; start: string; end: string }[];
  /** The event days of the grid (local date, first and last minute usable). */
  days: { date: string; start: string; end: string }[];
  /** The grid step, in minutes. */
  stepMinutes: number;
  sessions: SnapshotSession[];
}

export interface SnapshotSession {
  id: string;
  title: string;
  abstract: string;
  kind: string;
  language: string;
  themeId: string | null;
  roomId: string;
  start: string;
  end: string;
  durationMinutes: number;
  capacity: number;
  speakers: { name: string; organisation: string; bio: string }[];
}

export interface ChangelogEntry {
  sessionId: string;
  title: string;
}

export interface MovedEntry extends ChangelogEntry {
  from: { roomId: string; roomName: string; start: string };
  to: { roomId: string; roomName: string; start: string };
}

/** What changed from one published version to the next. */
export interface Changelog {
  added: ChangelogEntry[];
  moved: MovedEntry[];
  cancelled: ChangelogEntry[];
}

/**
 * The changes between two published snapshots: sessions new in `next`, sessions whose room or
 * start changed, sessions no longer in it. With no previous version, every session is new.
 */
export function changelog(previous: ProgrammeSnapshot | null, next: ProgrammeSnapshot): Changelog {
  const before = new Map((previous?.sessions ?? []).map((s) => [s.id, s]));
  const after = new Map(next.sessions.map((s) => [s.id, s]));
  const roomName = (snapshot: ProgrammeSnapshot | null, id: string) =>
    snapshot?.rooms.find((room) => room.id === id)?.name ?? '';
  const byTitle = (a: ChangelogEntry, b: ChangelogEntry) =>
    a.title.localeCompare(b.title) || a.sessionId.localeCompare(b.sessionId);
  const added: ChangelogEntry[] = [];
  const moved: MovedEntry[] = [];
  for (const session of after.values()) {
    const was = before.get(session.id);
    if (!was) added.push({ sessionId: session.id, title: session.title });
    else if (was.roomId !== session.roomId || Date.parse(was.start) !== Date.parse(session.start))
      moved.push({
        sessionId: session.id,
        title: session.title,
        from: { roomId: was.roomId, roomName: roomName(previous, was.roomId), start: was.start },
        to: {
          roomId: session.roomId,
          roomName: roomName(next, session.roomId),
          start: session.start,
        },
      });
  }
  const cancelled = [...before.values()]
    .filter((s) => !after.has(s.id))
    .map((s) => ({ sessionId: s.id, title: s.title }));
  return {
    added: added.sort(byTitle),
    moved: moved.sort(byTitle),
    cancelled: cancelled.sort(byTitle),
  };
}
