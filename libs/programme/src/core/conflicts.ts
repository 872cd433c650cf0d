import {
  demandOf,
  interestCounts,
  MINUTE,
  overlaps,
  ProgrammeModel,
  RoomModel,
  sharedInterests,
  SessionModel,
  Window,
  within,
} from './model';

/** What can be wrong with a schedule. The first six are hard: the scheduler never breaks them. */
export type ConflictCode =
  | 'fixed_block'
  | 'outside_grid'
  | 'room_overlap'
  | 'room_unavailable'
  | 'speaker_clash'
  | 'speaker_unavailable'
  | 'over_capacity'
  | 'interest_overlap';

export const HARD_CONSTRAINTS: readonly ConflictCode[] = [
  'fixed_block',
  'outside_grid',
  'room_overlap',
  'room_unavailable',
  'speaker_clash',
  'speaker_unavailable',
];

export interface Conflict {
  code: ConflictCode;
  /** The sessions involved, sorted. */
  sessionIds: string[];
  roomId?: string;
  /** The speaker in two places at once. */
  speaker?: string;
  /** Over capacity: attendees above the room's seats; interest overlap: attendees shared. */
  amount?: number;
}

export interface ConflictOptions {
  /** Two parallel sessions conflict when at least this many attendees marked both. */
  sharedInterestThreshold?: number;
}

function windowOf(session: SessionModel, start: number): Window {
  return { start, end: start + session.durationMinutes * MINUTE };
}

/** True when the start is on the grid's step and the whole session fits in one event day. */
export function fitsGrid(model: ProgrammeModel, window: Window): boolean {
  const step = model.grid.stepMinutes * MINUTE;
  return model.grid.days.some(
    (day) =>
      day.start <= window.start && window.end <= day.end && (window.start - day.start) % step === 0,
  );
}

/**
 * The hard constraints a placement of `session` in `room` at `start` would break, given where
 * the other sessions are now. Empty: the placement is allowed.
 */
export function placementViolations(
  model: ProgrammeModel,
  session: SessionModel,
  room: RoomModel,
  start: number,
): ConflictCode[] {
  const window = windowOf(session, start);
  const codes = new Set<ConflictCode>();
  if (!fitsGrid(model, window)) codes.add('outside_grid');
  if (model.grid.blocks.some((block) => overlaps(block, window))) codes.add('fixed_block');
  if (room.availability.length > 0 && !within(window, room.availability))
    codes.add('room_unavailable');
  if (session.availability.length > 0 && !within(window, session.availability))
    codes.add('speaker_unavailable');
  const speakers = new Set(session.speakers);
  for (const other of model.sessions) {
    if (other.id === session.id || other.start === null || other.roomId === null) continue;
    if (!overlaps(window, windowOf(other, other.start))) continue;
    if (other.roomId === room.id) codes.add('room_overlap');
    if (other.speakers.some((s) => speakers.has(s))) codes.add('speaker_clash');
  }
  return HARD_CONSTRAINTS.filter((code) => codes.has(code));
}

/**
 * Every conflict of the scheduled sessions, each with its code and the sessions involved,
 * in a stable order (by code, then sessions).
 */
export function detectConflicts(model: ProgrammeModel, options: ConflictOptions = {}): Conflict[] {
  const threshold = options.sharedInterestThreshold ?? 5;
  const rooms = new Map(model.rooms.map((room) => [room.id, room]));
  const placed = model.sessions
    .filter((s) => s.start !== null && s.roomId !== null && rooms.has(s.roomId))
    .sort((a, b) => a.start! - b.start! || a.id.localeCompare(b.id));
  const marks = interestCounts(model.interests);
  const shared = sharedInterests(model.interests);
  const conflicts: Conflict[] = [];

  for (const session of placed) {
    const room = rooms.get(session.roomId!)!;
    const window = windowOf(session, session.start!);
    if (!fitsGrid(model, window))
      conflicts.push({ code: 'outside_grid', sessionIds: [session.id] });
    if (model.grid.blocks.some((block) => overlaps(block, window)))
      conflicts.push({ code: 'fixed_block', sessionIds: [session.id] });
    if (room.availability.length > 0 && !within(window, room.availability))
      conflicts.push({ code: 'room_unavailable', sessionIds: [session.id], roomId: room.id });
    if (session.availability.length > 0 && !within(window, session.availability))
      conflicts.push({ code: 'speaker_unavailable', sessionIds: [session.id] });
    const demand = demandOf(session, marks);
    if (demand > room.capacity)
      conflicts.push({
        code: 'over_capacity',
        sessionIds: [session.id],
        roomId: room.id,
        amount: demand - room.capacity,
      });
  }

  for (let i = 0; i < placed.length; i += 1) {
    const a = placed[i];
    const aWindow = windowOf(a, a.start!);
    for (let j = i + 1; j < placed.length; j += 1) {
      const b = placed[j];
      if (b.start! >= aWindow.end) break;
      if (!overlaps(aWindow, windowOf(b, b.start!))) continue;
      const pair = [a.id, b.id].sort();
      if (a.roomId === b.roomId)
        conflicts.push({ code: 'room_overlap', sessionIds: pair, roomId: a.roomId! });
      const bSpeakers = new Set(b.speakers);
      for (const speaker of [...new Set(a.speakers)].sort())
        if (bSpeakers.has(speaker))
          conflicts.push({ code: 'speaker_clash', sessionIds: pair, speaker });
      const common = shared.get(a.id)?.get(b.id) ?? 0;
      if (common >= threshold && a.roomId !== b.roomId)
        conflicts.push({ code: 'interest_overlap', sessionIds: pair, amount: common });
    }
  }
  const order = (c: Conflict) => `${c.code}|${c.sessionIds.join(',')}|${c.speaker ?? ''}`;
  return conflicts.sort((x, y) => order(x).localeCompare(order(y)));
}
