import { changelog, ProgrammeSnapshot, SnapshotSession } from './snapshot';

function snapshot(sessions: Partial<SnapshotSession>[]): ProgrammeSnapshot {
  return {
    edition: {
      slug: 'x',
      title: 'X',
      hostCity: 'Lyon',
      venueName: '',
      venueAddress: '',
      timezone: 'Europe/Paris',
      startsAt: '2027-02-04T08:00:00.000Z',
      endsAt: '2027-02-04T17:00:00.000Z',
      defaultLocale: 'fr',
    },
    rooms: [
      { id: 'a', name: 'Amphi', capacity: 200, stepFree: true, accessNotes: '' },
      { id: 'b', name: 'Salle B', capacity: 30, stepFree: true, accessNotes: '' },
    ],
    themes: [],
    blocks: [],
    days: [],
    stepMinutes: 15,
    sessions: sessions.map((s) => ({
      id: 's',
      title: 'S',
      abstract: '',
      kind: 'talk',
      language: 'fr',
      themeId: null,
      roomId: 'a',
      start: '2027-02-04T08:00:00.000Z',
      end: '2027-02-04T09:00:00.000Z',
      durationMinutes: 60,
      capacity: 200,
      speakers: [],
      ...s,
    })),
  };
}

describe('changelog', () => {
  it('lists every session as new in the first version', () => {
    expect(changelog(null, snapshot([{ id: 's1', title: 'One' }]))).toEqual({
      added: [{ sessionId: 's1', title: 'One' }],
      moved: [],
      cancelled: [],
    });
  });

  it('finds new, moved and cancelled sessions, and ignores unchanged ones', () => {
    const before = snapshot([
      { id: 'kept', title: 'Kept' },
      { id: 'moved', title: 'Moved', roomId: 'a' },
      { id: 'gone', title: 'Gone' },
    ]);
    const after = snapshot([
      { id: 'kept', title: 'Kept' },
      { id: 'moved', title: 'Moved', roomId: 'b', start: '2027-02-04T10:00:00.000Z' },
      { id: 'new', title: 'New' },
    ]);
    expect(changelog(before, after)).toEqual({
      added: [{ sessionId: 'new', title: 'New' }],
      moved: [
        {
          sessionId: 'moved',
          title: 'Moved',
          from: { roomId: 'a', roomName: 'Amphi', start: '2027-02-04T08:00:00.000Z' },
          to: { roomId: 'b', roomName: 'Salle B', start: '2027-02-04T10:00:00.000Z' },
        },
      ],
      cancelled: [{ sessionId: 'gone', title: 'Gone' }],
    });
  });
});
