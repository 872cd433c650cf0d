import {
  demandOf,
  interestCounts,
  MINUTE,
  overlaps,
  ProgrammeModel,
  sharedInterests,
  Window,
  within,
} from './model';

/**
 * `unscheduled`: place the sessions without a room and start, leave the others where they are.
 * `all`: place every session from scratch. `reoptimise`: start from the current schedule and
 * improve it, moving as few sessions as possible.
 */
export type ScheduleMode = 'all' | 'reoptimise' | 'unscheduled';
export const SCHEDULE_MODES: readonly ScheduleMode[] = ['all', 'reoptimise', 'unscheduled'];

/** Why a session could not be placed. */
export type UnplacedReason =
  /** No free time of the grid (between fixed blocks, within a day) is long enough. */
  | 'longer_than_any_slot'
  /** Its speakers are available at no time it would fit. */
  | 'speakers_unavailable'
  /** No room is available at any time it would fit. */
  | 'no_room_available'
  /** Every place it could go is taken (by other sessions or by its speakers' other sessions). */
  | 'no_free_slot';

export interface Placement {
  sessionId: string;
  roomId: string;
  start: number;
}

/** What the scheduler minimises, in this order. */
export interface ScheduleCost {
  /** Expected attendees above their room's capacity, summed over sessions. */
  overflow: number;
  /** Attendees interested in two parallel sessions, summed over pairs. */
  overlap: number;
  /** Sessions moved from where they were. */
  moves: number;
}

export interface ScheduleResult {
  /** Every placed session (kept or moved), by session id. */
  placements: Placement[];
  unplaced: { sessionId: string; reason: UnplacedReason }[];
  cost: ScheduleCost;
}

export interface ScheduleOptions {
  mode: ScheduleMode;
  /** Called with a fraction in [0, 1] as the work advances. */
  onProgress?: (fraction: number) => void;
  /** Local-search passes at most (each pass tries every move and swap once). */
  maxPasses?: number;
}

interface Spot extends Window {
  room: number;
}

type Cost = [number, number, number];

const ZERO: Cost = [0, 0, 0];
const add = (a: Cost, b: Cost): Cost => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
function compare(a: Cost, b: Cost): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Places sessions in rooms and times. Hard constraints are never broken: no speaker in two
 * places, speakers' and rooms' availability, one session per room at a time, nothing during a
 * fixed block, every session within one day on the grid's step. Among schedules that keep them
 * it minimises, lexicographically, demand above capacity, then interest overlap between parallel
 * sessions, then moves. A greedy construction (most constrained first, then largest demand) is
 * improved by local search (moves and swaps) until no step helps. Deterministic: the same input
 * gives the same answer.
 */
export function schedule(model: ProgrammeModel, options: ScheduleOptions): ScheduleResult {
  const steps = scheduleSteps(model, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    options.onProgress?.(step.value);
  }
}

/**
 * The same work as `schedule`, yielding its progress (a fraction in [0, 1]) between steps, so a
 * caller can report it (the worker writes it to the database) without a thread.
 */
export function* scheduleSteps(
  model: ProgrammeModel,
  options: ScheduleOptions,
): Generator<number, ScheduleResult> {
  const maxPasses = options.maxPasses ?? 20;
  const rooms = model.rooms;
  const roomIndex = new Map(rooms.map((room, i) => [room.id, i]));
  const sessions = [...model.sessions].sort((a, b) => a.id.localeCompare(b.id));
  const n = sessions.length;
  const marks = interestCounts(model.interests);
  const demand = sessions.map((s) => demandOf(s, marks));
  const index = new Map(sessions.map((s, i) => [s.id, i]));
  const sharedById = sharedInterests(model.interests);
  const shared: [number, number][][] = sessions.map((s) =>
    [...(sharedById.get(s.id) ?? new Map<string, number>())]
      .filter(([id]) => index.has(id))
      .map(([id, count]): [number, number] => [index.get(id)!, count])
      .sort((a, b) => a[0] - b[0]),
  );
  const current: (Spot | null)[] = sessions.map((s) => {
    const room = s.roomId === null ? undefined : roomIndex.get(s.roomId);
    if (room === undefined || s.start === null) return null;
    return { room, start: s.start, end: s.start + s.durationMinutes * MINUTE };
  });

  // Every place each session may go when alone: the static hard constraints.
  const step = model.grid.stepMinutes * MINUTE;
  const staticReason: (UnplacedReason | null)[] = [];
  const spots: Spot[][] = sessions.map((session) => {
    const length = session.durationMinutes * MINUTE;
    const times: Window[] = [];
    for (const day of model.grid.days)
      for (let start = day.start; start + length <= day.end; start += step) {
        const window = { start, end: start + length };
        if (!model.grid.blocks.some((block) => overlaps(block, window))) times.push(window);
      }
    if (times.length === 0) {
      staticReason.push('longer_than_any_slot');
      return [];
    }
    const available =
      session.availability.length === 0
        ? times
        : times.filter((w) => within(w, session.availability));
    if (available.length === 0) {
      staticReason.push('speakers_unavailable');
      return [];
    }
    const result: Spot[] = [];
    for (const window of available)
      rooms.forEach((room, r) => {
        if (room.availability.length === 0 || within(window, room.availability))
          result.push({ ...window, room: r });
      });
    staticReason.push(result.length === 0 ? 'no_room_available' : null);
    return result;
  });
  const spotKey = (spot: { room: number; start: number }) => `${spot.room}|${spot.start}`;
  const spotByKey = spots.map((list) => new Map(list.map((spot) => [spotKey(spot), spot])));
  yield 0.1;

  // The state: where each session is, and who occupies each room and speaker.
  const position: (Spot | null)[] = new Array<Spot | null>(n).fill(null);
  const byRoom: Set<number>[] = rooms.map(() => new Set());
  const bySpeaker = new Map<string, Set<number>>();
  const speakers = sessions.map((s) => [...new Set(s.speakers)]);
  for (const list of speakers)
    for (const speaker of list) if (!bySpeaker.has(speaker)) bySpeaker.set(speaker, new Set());

  const place = (i: number, spot: Spot) => {
    position[i] = spot;
    byRoom[spot.room].add(i);
    for (const speaker of speakers[i]) bySpeaker.get(speaker)!.add(i);
  };
  const remove = (i: number) => {
    const spot = position[i];
    if (!spot) return;
    byRoom[spot.room].delete(i);
    for (const speaker of speakers[i]) bySpeaker.get(speaker)!.delete(i);
    position[i] = null;
  };
  /** The sessions that keep `i` from `spot`. */
  const blockers = (i: number, spot: Spot): Set<number> => {
    const found = new Set<number>();
    for (const j of byRoom[spot.room]) if (j !== i && overlaps(position[j]!, spot)) found.add(j);
    for (const speaker of speakers[i])
      for (const j of bySpeaker.get(speaker)!)
        if (j !== i && overlaps(position[j]!, spot)) found.add(j);
    return found;
  };
  const free = (i: number, spot: Spot): boolean => {
    for (const j of byRoom[spot.room]) if (j !== i && overlaps(position[j]!, spot)) return false;
    for (const speaker of speakers[i])
      for (const j of bySpeaker.get(speaker)!)
        if (j !== i && overlaps(position[j]!, spot)) return false;
    return true;
  };
  /** What `i` at `spot` costs, given the others where they are. */
  const costOf = (i: number, spot: Spot): Cost => {
    const overflow = Math.max(0, demand[i] - rooms[spot.room].capacity);
    let overlap = 0;
    for (const [j, count] of shared[i]) {
      const other = position[j];
      if (j !== i && other && overlaps(other, spot)) overlap += count;
    }
    const was = current[i];
    const moved = was && (was.room !== spot.room || was.start !== spot.start) ? 1 : 0;
    return [overflow, overlap, moved];
  };
  /** The cheapest free spot for `i`; ties go to the snuggest room, then the earliest time. */
  const bestSpot = (i: number): Spot | null => {
    let best: Spot | null = null;
    let bestCost: Cost = ZERO;
    let bestWaste = 0;
    for (const spot of spots[i]) {
      if (!free(i, spot)) continue;
      const cost = costOf(i, spot);
      const waste = Math.abs(rooms[spot.room].capacity - demand[i]);
      const order = best ? compare(cost, bestCost) || waste - bestWaste : -1;
      if (order < 0) {
        best = spot;
        bestCost = cost;
        bestWaste = waste;
      }
    }
    return best;
  };

  // Construction.
  const movable = sessions.map((_, i) => !(options.mode === 'unscheduled' && current[i]));
  for (let i = 0; i < n; i += 1) {
    const was = current[i];
    if (!was) continue;
    if (!movable[i]) place(i, was);
    else if (options.mode === 'reoptimise') {
      const spot = spotByKey[i].get(spotKey(was));
      if (spot && free(i, spot)) place(i, spot);
    }
  }
  const queue = sessions
    .map((_, i) => i)
    .filter((i) => movable[i] && !position[i])
    .sort(
      (a, b) =>
        spots[a].length - spots[b].length ||
        demand[b] - demand[a] ||
        sessions[a].id.localeCompare(sessions[b].id),
    );
  for (const i of queue) {
    const spot = bestSpot(i);
    if (spot) place(i, spot);
  }
  yield 0.4;

  // Repair: an unplaced session takes a spot held by a single session that can go elsewhere.
  for (const i of queue) {
    if (position[i]) continue;
    for (const spot of spots[i]) {
      const blocking = [...blockers(i, spot)];
      if (blocking.length !== 1 || !movable[blocking[0]]) continue;
      const j = blocking[0];
      const was = position[j]!;
      remove(j);
      place(i, spot);
      const elsewhere = bestSpot(j);
      if (elsewhere) {
        place(j, elsewhere);
        break;
      }
      remove(i);
      place(j, was);
    }
  }
  yield 0.5;

  // Local search: move one session, or swap two, while it lowers the cost.
  const placedMovable = () => sessions.map((_, i) => i).filter((i) => movable[i] && position[i]);
  for (let pass = 0; pass < maxPasses; pass += 1) {
    let improved = false;
    for (const i of placedMovable()) {
      const was = position[i]!;
      remove(i);
      const before = costOf(i, was);
      const best = bestSpot(i);
      if (best && compare(costOf(i, best), before) < 0) {
        place(i, best);
        improved = true;
      } else place(i, was);
    }
    const candidates = placedMovable();
    for (let a = 0; a < candidates.length; a += 1) {
      const i = candidates[a];
      for (let b = a + 1; b < candidates.length; b += 1) {
        const j = candidates[b];
        const oi = position[i]!;
        const oj = position[j]!;
        if (oi.room === oj.room && oi.start === oj.start) continue;
        const ni = spotByKey[i].get(spotKey(oj));
        const nj = spotByKey[j].get(spotKey(oi));
        if (!ni || !nj) continue;
        remove(i);
        remove(j);
        const oldI = costOf(i, oi);
        place(i, oi);
        const old = add(oldI, costOf(j, oj));
        remove(i);
        let next: Cost | null = null;
        if (free(i, ni)) {
          const newI = costOf(i, ni);
          place(i, ni);
          if (free(j, nj)) next = add(newI, costOf(j, nj));
          remove(i);
        }
        if (next && compare(next, old) < 0) {
          place(i, ni);
          place(j, nj);
          improved = true;
        } else {
          place(i, oi);
          place(j, oj);
        }
      }
    }
    yield 0.5 + (0.5 * (pass + 1)) / maxPasses;
    if (!improved) break;
  }
  yield 1;

  // The answer, with its cost counted from scratch.
  let total: Cost = ZERO;
  const placements: Placement[] = [];
  const unplaced: ScheduleResult['unplaced'] = [];
  for (let i = 0; i < n; i += 1) {
    const spot = position[i];
    if (!spot) {
      unplaced.push({ sessionId: sessions[i].id, reason: staticReason[i] ?? 'no_free_slot' });
      continue;
    }
    placements.push({ sessionId: sessions[i].id, roomId: rooms[spot.room].id, start: spot.start });
    const [overflow, overlap, moved] = costOf(i, spot);
    total = add(total, [overflow, overlap / 2, moved]);
  }
  for (let i = 0; i < n; i += 1) if (current[i] && !position[i]) total = add(total, [0, 0, 1]);
  return {
    placements,
    unplaced,
    cost: { overflow: total[0], overlap: total[1], moves: total[2] },
  };
}
