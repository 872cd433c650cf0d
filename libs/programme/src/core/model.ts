import { DateTime } from 'luxon';

/**
 * The programme as the pure core sees it: times are epoch milliseconds, every window excludes
 * its end. No Nest, no database: the services build this from rows and read the answers back.
 */
export interface Window {
  start: number;
  end: number;
}

export interface RoomModel {
  id: string;
  name: string;
  capacity: number;
  /** When the room can be used; empty: whenever the event runs. */
  availability: Window[];
}

export interface SessionModel {
  id: string;
  title: string;
  durationMinutes: number;
  /** One key per person (the lower-cased email, else the name). */
  speakers: string[];
  /** When all its speakers can make it; empty: any time. */
  availability: Window[];
  expectedAudience: number | null;
  estimatedDemand: number | null;
  roomId: string | null;
  start: number | null;
}

export interface GridModel {
  /** Each event day's usable window. */
  days: Window[];
  stepMinutes: number;
  /** Fixed blocks (opening, breaks, lunch, closing): no session runs then, in any room. */
  blocks: Window[];
}

/** Which sessions each attendee marked as interesting (attendee id → session ids). */
export type InterestSets = Record<string, string[]>;

export interface ProgrammeModel {
  rooms: RoomModel[];
  sessions: SessionModel[];
  grid: GridModel;
  interests?: InterestSets;
}

export const MINUTE = 60_000;

export function overlaps(a: Window, b: Window): boolean {
  return a.start < b.end && b.start < a.end;
}

/** True when `inner` lies inside one window of `windows` (after joining touching ones). */
export function within(inner: Window, windows: Window[]): boolean {
  return mergeWindows(windows).some((w) => w.start <= inner.start && inner.end <= w.end);
}

/** Sorted, with touching or overlapping windows joined. */
export function mergeWindows(windows: Window[]): Window[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const merged: Window[] = [];
  for (const w of sorted) {
    const last = merged[merged.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else merged.push({ ...w });
  }
  return merged;
}

/** How many attendees marked each session. */
export function interestCounts(interests: InterestSets | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sessions of Object.values(interests ?? {}))
    for (const id of new Set(sessions)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/**
 * Expected attendees of a session: its interest marks when it has some, else what the
 * contributors expect, else the organisers' estimate, else nothing.
 */
export function demandOf(session: SessionModel, marks: Map<string, number>): number {
  const marked = marks.get(session.id) ?? 0;
  if (marked > 0) return marked;
  return session.expectedAudience ?? session.estimatedDemand ?? 0;
}

/** For each session, the sessions sharing interested attendees with it, and how many. */
export function sharedInterests(
  interests: InterestSets | undefined,
): Map<string, Map<string, number>> {
  const shared = new Map<string, Map<string, number>>();
  for (const marked of Object.values(interests ?? {})) {
    const ids = [...new Set(marked)].sort();
    for (let i = 0; i < ids.length; i += 1)
      for (let j = i + 1; j < ids.length; j += 1) {
        for (const [a, b] of [
          [ids[i], ids[j]],
          [ids[j], ids[i]],
        ]) {
          let row = shared.get(a);
          if (!row) shared.set(a, (row = new Map()));
          row.set(b, (row.get(b) ?? 0) + 1);
        }
      }
  }
  return shared;
}

/**
 * The event days between two instants in a zone, each from `dayStart` to `dayEnd` wall-clock
 * (HH:mm), clipped to the event's own start and end.
 */
export function eventDays(
  startsAt: Date,
  endsAt: Date,
  zone: string,
  dayStart: string,
  dayEnd: string,
): Window[] {
  const days: Window[] = [];
  const [sh, sm] = dayStart.split(':').map(Number);
  const [eh, em] = dayEnd.split(':').map(Number);
  let day = DateTime.fromJSDate(startsAt, { zone }).startOf('day');
  const last = DateTime.fromJSDate(endsAt, { zone }).startOf('day');
  while (day <= last && days.length < 31) {
    const start = Math.max(day.set({ hour: sh, minute: sm }).toMillis(), startsAt.getTime());
    const end = Math.min(day.set({ hour: eh, minute: em }).toMillis(), endsAt.getTime());
    if (end > start) days.push({ start, end });
    day = day.plus({ days: 1 });
  }
  return days;
}

/**
 * Speakers' availability tokens (`2027-02-04` a whole day, `2027-02-04-am` until 13:00,
 * `2027-02-04-pm` from 13:00) as windows in the edition's zone. Unreadable tokens are ignored.
 */
export function availabilityWindows(tokens: string[], zone: string): Window[] {
  const windows: Window[] = [];
  for (const token of tokens) {
    const match = /^(\d{4}-\d{2}-\d{2})(?:-(am|pm))?$/.exec(token);
    if (!match) continue;
    const day = DateTime.fromISO(match[1], { zone });
    if (!day.isValid) continue;
    const noon = day.set({ hour: 13 });
    const start = match[2] === 'pm' ? noon : day;
    const end = match[2] === 'am' ? noon : day.plus({ days: 1 });
    windows.push({ start: start.toMillis(), end: end.toMillis() });
  }
  return mergeWindows(windows);
}
