import type {
  Conflict,
  FixedBlock,
  ProgrammeGrid,
  Room,
  ScheduleVersion,
  SchedulingRun,
  SessionDetails,
  WorkingProgramme,
} from '@assises/programme';

export function roomJson(room: Room) {
  return {
    id: room.id,
    name: room.name,
    capacity: room.capacity,
    accessNotes: room.accessNotes,
    stepFree: room.stepFree,
    equipment: room.equipment,
    availability: room.availability,
    position: room.position,
  };
}

export function gridJson(grid: Pick<ProgrammeGrid, 'stepMinutes' | 'dayStart' | 'dayEnd'>) {
  return { stepMinutes: grid.stepMinutes, dayStart: grid.dayStart, dayEnd: grid.dayEnd };
}

export function blockJson(block: FixedBlock) {
  return {
    id: block.id,
    kind: block.kind,
    title: block.title,
    startsAt: block.startsAt.toISOString(),
    endsAt: block.endsAt.toISOString(),
  };
}

/** A session of the working schedule, as organisers see it (speakers' emails included). */
export function sessionJson({ session, speakers, room }: SessionDetails) {
  return {
    id: session.id,
    proposalId: session.proposalId,
    title: session.title,
    abstract: session.abstract,
    kind: session.kind,
    language: session.language,
    themeId: session.themeId,
    durationMinutes: session.durationMinutes,
    /** Its own capacity, else its room's. */
    capacity: session.capacity ?? room?.capacity ?? null,
    ownCapacity: session.capacity,
    expectedAudience: session.expectedAudience,
    estimatedDemand: session.estimatedDemand,
    availability: session.availability,
    roomId: session.roomId,
    startsAt: session.startsAt ? session.startsAt.toISOString() : null,
    endsAt: session.startsAt
      ? new Date(session.startsAt.getTime() + session.durationMinutes * 60_000).toISOString()
      : null,
    version: session.version,
    speakers: speakers.map((s) => ({
      name: s.name,
      email: s.email,
      organisation: s.organisation,
      bio: s.bio,
      locale: s.locale,
    })),
  };
}

export function conflictJson(conflict: Conflict) {
  return { ...conflict };
}

export function workingJson({ rows, conflicts }: WorkingProgramme) {
  const rooms = new Map(rows.rooms.map((room) => [room.id, room]));
  return {
    grid: gridJson(rows.grid),
    rooms: rows.rooms.map(roomJson),
    blocks: rows.blocks.map(blockJson),
    sessions: rows.sessions.map((session) =>
      sessionJson({
        session,
        speakers: rows.speakers.get(session.id) ?? [],
        room: session.roomId ? (rooms.get(session.roomId) ?? null) : null,
      }),
    ),
    conflicts: conflicts.map(conflictJson),
  };
}

export function versionJson(version: ScheduleVersion) {
  return {
    id: version.id,
    number: version.number,
    name: version.name,
    publishedAt: version.publishedAt.toISOString(),
    sessions: version.snapshot.sessions.length,
    changelog: version.changelog,
  };
}

export function runJson(run: SchedulingRun) {
  return {
    id: run.id,
    mode: run.mode,
    status: run.status,
    progress: run.progress,
    result: run.result,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
  };
}
