import { detectConflicts, placementViolations } from './conflicts';
import { at, model, room, session } from './fixtures.spec-helper';
import { availabilityWindows, eventDays } from './model';

describe('detectConflicts', () => {
  it('finds nothing in a clean schedule', () => {
    const m = model({
      sessions: [
        session('s1', { roomId: 'a', start: at(0) }),
        session('s2', { roomId: 'b', start: at(0) }),
        session('s3', { roomId: 'a', start: at(1) }),
      ],
    });
    expect(detectConflicts(m)).toEqual([]);
  });

  it('finds a speaker in two places at once', () => {
    const m = model({
      sessions: [
        session('s1', { roomId: 'a', start: at(0), speakers: ['camille@example.org'] }),
        session('s2', {
          roomId: 'b',
          start: at(0.5),
          speakers: ['camille@example.org', 'x@example.org'],
        }),
      ],
    });
    expect(detectConflicts(m)).toEqual([
      { code: 'speaker_clash', sessionIds: ['s1', 's2'], speaker: 'camille@example.org' },
    ]);
  });

  it('finds a speaker outside their availability', () => {
    const m = model({
      sessions: [
        session('s1', {
          roomId: 'a',
          start: at(0),
          availability: [{ start: at(0, 1), end: at(8, 1) }],
        }),
      ],
    });
    expect(detectConflicts(m)).toEqual([{ code: 'speaker_unavailable', sessionIds: ['s1'] }]);
  });

  it('finds two sessions overlapping in a room', () => {
    const m = model({
      sessions: [
        session('s2', { roomId: 'a', start: at(0.75) }),
        session('s1', { roomId: 'a', start: at(0) }),
      ],
    });
    expect(detectConflicts(m)).toEqual([
      { code: 'room_overlap', sessionIds: ['s1', 's2'], roomId: 'a' },
    ]);
  });

  it('finds a session outside its room availability', () => {
    const m = model({
      rooms: [room('a', 50, { availability: [{ start: at(4), end: at(8) }] })],
      sessions: [session('s1', { roomId: 'a', start: at(0) })],
    });
    expect(detectConflicts(m)).toEqual([
      { code: 'room_unavailable', sessionIds: ['s1'], roomId: 'a' },
    ]);
  });

  it('finds demand above capacity, from interest marks before the expected audience', () => {
    const m = model({
      rooms: [room('a', 2), room('b', 100)],
      sessions: [
        session('s1', { roomId: 'a', start: at(0), expectedAudience: 1 }),
        session('s2', { roomId: 'b', start: at(0), expectedAudience: 120 }),
        session('s3', { roomId: 'b', start: at(1), estimatedDemand: 101 }),
      ],
      interests: { p1: ['s1'], p2: ['s1'], p3: ['s1'], p4: ['s1'] },
    });
    expect(detectConflicts(m)).toEqual([
      { code: 'over_capacity', sessionIds: ['s1'], roomId: 'a', amount: 2 },
      { code: 'over_capacity', sessionIds: ['s2'], roomId: 'b', amount: 20 },
      { code: 'over_capacity', sessionIds: ['s3'], roomId: 'b', amount: 1 },
    ]);
  });

  it('finds parallel sessions sharing many interested attendees, not a few', () => {
    const interests: Record<string, string[]> = {};
    for (let i = 0; i < 6; i += 1) interests[`p${i}`] = ['s1', 's2'];
    interests.q = ['s1', 's3'];
    const m = model({
      sessions: [
        session('s1', { roomId: 'a', start: at(0) }),
        session('s2', { roomId: 'b', start: at(0) }),
        session('s3', { roomId: 'b', start: at(0.5), durationMinutes: 15 }),
      ],
      rooms: [room('a'), room('b'), room('c')],
      interests,
    });
    const conflicts = detectConflicts(m, { sharedInterestThreshold: 5 });
    expect(conflicts).toContainEqual({
      code: 'interest_overlap',
      sessionIds: ['s1', 's2'],
      amount: 6,
    });
    expect(
      conflicts.filter((c) => c.sessionIds.includes('s3') && c.code === 'interest_overlap'),
    ).toEqual([]);
  });

  it('finds sessions during a fixed block or off the grid', () => {
    const m = model({
      sessions: [
        session('s1', { roomId: 'a', start: at(2.5) }),
        session('s2', { roomId: 'b', start: at(0.1) }),
        session('s3', { roomId: 'b', start: at(7.5) }),
      ],
    });
    expect(detectConflicts(m).map((c) => [c.code, c.sessionIds[0]])).toEqual([
      ['fixed_block', 's1'],
      ['outside_grid', 's2'],
      ['outside_grid', 's3'],
    ]);
  });
});

describe('placementViolations', () => {
  it('names every hard constraint a placement breaks', () => {
    const m = model({
      sessions: [
        session('s1', { roomId: 'a', start: at(0), speakers: ['x'] }),
        session('s2', { speakers: ['x'], availability: [{ start: at(0, 1), end: at(8, 1) }] }),
      ],
    });
    expect(placementViolations(m, m.sessions[1], m.rooms[0], at(0))).toEqual([
      'room_overlap',
      'speaker_clash',
      'speaker_unavailable',
    ]);
    expect(placementViolations(m, m.sessions[1], m.rooms[1], at(0, 1))).toEqual([]);
  });
});

describe('eventDays and availabilityWindows', () => {
  it('cuts the edition into local days on the grid hours', () => {
    const days = eventDays(
      new Date('2027-02-04T08:00:00Z'),
      new Date('2027-02-05T16:00:00Z'),
      'Europe/Paris',
      '09:00',
      '18:00',
    );
    expect(
      days.map((d) => [new Date(d.start).toISOString(), new Date(d.end).toISOString()]),
    ).toEqual([
      ['2027-02-04T08:00:00.000Z', '2027-02-04T17:00:00.000Z'],
      ['2027-02-05T08:00:00.000Z', '2027-02-05T16:00:00.000Z'],
    ]);
  });

  it('reads days and half-days in the edition zone, joining touching ones', () => {
    const windows = availabilityWindows(
      ['2027-02-04-am', '2027-02-04-pm', 'nonsense'],
      'Europe/Paris',
    );
    expect(windows.map((w) => new Date(w.start).toISOString())).toEqual([
      '2027-02-03T23:00:00.000Z',
    ]);
    expect(new Date(windows[0].end).toISOString()).toBe('2027-02-04T23:00:00.000Z');
  });
});
