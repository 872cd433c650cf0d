import { detectConflicts, HARD_CONSTRAINTS } from './conflicts';
import { at, grid, HOUR, model, room, session } from './fixtures.spec-helper';
import { ProgrammeModel, SessionModel } from './model';
import { schedule, ScheduleResult } from './scheduler';

/** The model with the result's placements applied. */
function applied(m: ProgrammeModel, result: ScheduleResult): ProgrammeModel {
  const placed = new Map(result.placements.map((p) => [p.sessionId, p]));
  return {
    ...m,
    sessions: m.sessions.map((s) => {
      const p = placed.get(s.id);
      return p ? { ...s, roomId: p.roomId, start: p.start } : { ...s, roomId: null, start: null };
    }),
  };
}

function hardConflicts(m: ProgrammeModel, result: ScheduleResult) {
  return detectConflicts(applied(m, result)).filter((c) => HARD_CONSTRAINTS.includes(c.code));
}

/** A seeded generator, so the big instance is the same on every run. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('schedule', () => {
  it('places every session without breaking a hard constraint', () => {
    const sessions = ['s1', 's2', 's3', 's4', 's5'].map((id) =>
      session(id, { speakers: ['shared@example.org'] }),
    );
    const m = model({ sessions });
    const result = schedule(m, { mode: 'all' });
    expect(result.unplaced).toEqual([]);
    expect(result.placements).toHaveLength(5);
    expect(hardConflicts(m, result)).toEqual([]);
  });

  it('keeps out of fixed blocks and within availabilities', () => {
    const m = model({
      rooms: [room('a', 50, { availability: [{ start: at(4), end: at(8) }] })],
      sessions: [
        session('s1', { durationMinutes: 90 }),
        session('s2', { availability: [{ start: at(4), end: at(6) }] }),
      ],
    });
    const result = schedule(m, { mode: 'all' });
    expect(result.unplaced).toEqual([]);
    expect(hardConflicts(m, result)).toEqual([]);
    const s2 = result.placements.find((p) => p.sessionId === 's2')!;
    expect(s2.start).toBeGreaterThanOrEqual(at(4));
  });

  it('puts the largest demand in the largest room', () => {
    const m = model({
      rooms: [room('small', 20), room('big', 200)],
      grid: grid({ days: [{ start: at(0), end: at(1) }], blocks: [] }),
      sessions: [session('s1', { expectedAudience: 150 }), session('s2', { estimatedDemand: 15 })],
    });
    const result = schedule(m, { mode: 'all' });
    expect(result.placements).toEqual([
      { sessionId: 's1', roomId: 'big', start: at(0) },
      { sessionId: 's2', roomId: 'small', start: at(0) },
    ]);
    expect(result.cost.overflow).toBe(0);
  });

  it('does not run in parallel two sessions the same attendees want', () => {
    const interests: Record<string, string[]> = {};
    for (let i = 0; i < 10; i += 1) interests[`p${i}`] = ['s1', 's2'];
    for (let i = 0; i < 10; i += 1) interests[`q${i}`] = ['s3', 's4'];
    const m = model({
      grid: grid({ days: [{ start: at(0), end: at(2) }], blocks: [] }),
      sessions: ['s1', 's2', 's3', 's4'].map((id) => session(id)),
      interests,
    });
    const result = schedule(m, { mode: 'all' });
    expect(result.unplaced).toEqual([]);
    expect(result.cost.overlap).toBe(0);
    const startOf = (id: string) => result.placements.find((p) => p.sessionId === id)!.start;
    expect(startOf('s1')).not.toBe(startOf('s2'));
    expect(startOf('s3')).not.toBe(startOf('s4'));
  });

  it('reports what it cannot place, with the reason, instead of looping', () => {
    const m = model({
      rooms: [room('a', 50, { availability: [{ start: at(0, 1), end: at(8, 1) }] })],
      sessions: [
        session('too-long', { durationMinutes: 300 }),
        session('nobody', { availability: [{ start: at(-5), end: at(-4) }] }),
        session('no-room', { availability: [{ start: at(0), end: at(3) }] }),
        session('fits'),
      ],
    });
    const result = schedule(m, { mode: 'all' });
    expect(result.unplaced).toEqual([
      { sessionId: 'no-room', reason: 'no_room_available' },
      { sessionId: 'nobody', reason: 'speakers_unavailable' },
      { sessionId: 'too-long', reason: 'longer_than_any_slot' },
    ]);
    expect(result.placements.map((p) => p.sessionId)).toEqual(['fits']);
  });

  it('says when every place is taken', () => {
    const m = model({
      rooms: [room('a')],
      grid: grid({ days: [{ start: at(0), end: at(1) }], blocks: [] }),
      sessions: [session('s1'), session('s2')],
    });
    const result = schedule(m, { mode: 'all' });
    expect(result.unplaced).toEqual([{ sessionId: 's2', reason: 'no_free_slot' }]);
  });

  it('in unscheduled mode leaves placed sessions where they are, even off the grid', () => {
    const m = model({
      sessions: [
        session('kept', { roomId: 'a', start: at(0.1), speakers: ['x'] }),
        session('new', { speakers: ['x'] }),
      ],
    });
    const result = schedule(m, { mode: 'unscheduled' });
    expect(result.placements).toContainEqual({ sessionId: 'kept', roomId: 'a', start: at(0.1) });
    const placed = result.placements.find((p) => p.sessionId === 'new')!;
    expect(placed.start >= at(1.1) || placed.start + HOUR <= at(0.1)).toBe(true);
    expect(result.cost.moves).toBe(0);
  });

  it('re-optimises with as few moves as possible', () => {
    const m = model({
      sessions: [
        session('s1', { roomId: 'a', start: at(0), speakers: ['x'] }),
        session('s2', { roomId: 'b', start: at(0), speakers: ['x'] }),
        session('s3', { roomId: 'a', start: at(1) }),
        session('s4', { roomId: 'b', start: at(1) }),
      ],
    });
    const result = schedule(m, { mode: 'reoptimise' });
    expect(hardConflicts(m, result)).toEqual([]);
    expect(result.cost.moves).toBe(1);
    expect(result.unplaced).toEqual([]);
  });

  it('gives the same answer for the same input, in any order, and reports progress', () => {
    const next = random(7);
    const rooms = ['r1', 'r2', 'r3', 'r4'].map((id, i) => room(id, 20 + 30 * i));
    const sessions: SessionModel[] = [];
    for (let i = 0; i < 40; i += 1)
      sessions.push(
        session(`s${String(i).padStart(2, '0')}`, {
          durationMinutes: [45, 60, 90][Math.floor(next() * 3)],
          speakers: [`p${Math.floor(next() * 25)}`],
          expectedAudience: Math.floor(next() * 120),
        }),
      );
    const interests: Record<string, string[]> = {};
    for (let a = 0; a < 200; a += 1)
      interests[`a${a}`] = [0, 1, 2, 3].map(() => sessions[Math.floor(next() * 40)].id);
    const m = model({ rooms, sessions, interests });
    const seen: number[] = [];
    const first = schedule(m, { mode: 'all', onProgress: (f) => seen.push(f) });
    const again = schedule({ ...m, sessions: [...sessions].reverse() }, { mode: 'all' });
    expect(again).toEqual(first);
    expect(hardConflicts(m, first)).toEqual([]);
    expect(first.unplaced).toEqual([]);
    expect(seen[seen.length - 1]).toBe(1);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
  });
});
