import { GridModel, MINUTE, ProgrammeModel, RoomModel, SessionModel } from './model';

/** 2027-02-04 09:00 UTC, the first event day of the test models. */
export const DAY1 = Date.UTC(2027, 1, 4, 9, 0);
export const HOUR = 60 * MINUTE;
export const at = (hours: number, day = 0) => DAY1 + day * 24 * HOUR + hours * HOUR;

export function room(id: string, capacity = 50, overrides: Partial<RoomModel> = {}): RoomModel {
  return { id, name: `Room ${id}`, capacity, availability: [], ...overrides };
}

export function session(id: string, overrides: Partial<SessionModel> = {}): SessionModel {
  return {
    id,
    title: `Session ${id}`,
    durationMinutes: 60,
    speakers: [`${id}@example.org`],
    availability: [],
    expectedAudience: null,
    estimatedDemand: null,
    roomId: null,
    start: null,
    ...overrides,
  };
}

/** Two days of 09:00–17:00 (UTC), a 15-minute step, lunch 12:00–13:00 each day. */
export function grid(overrides: Partial<GridModel> = {}): GridModel {
  return {
    days: [0, 1].map((d) => ({ start: at(0, d), end: at(8, d) })),
    stepMinutes: 15,
    blocks: [0, 1].map((d) => ({ start: at(3, d), end: at(4, d) })),
    ...overrides,
  };
}

export function model(overrides: Partial<ProgrammeModel> = {}): ProgrammeModel {
  return { rooms: [room('a'), room('b')], sessions: [], grid: grid(), ...overrides };
}
