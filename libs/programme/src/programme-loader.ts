import { Edition } from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { availabilityWindows, eventDays, ProgrammeModel, SessionModel } from './core/model';
import { FixedBlock } from './fixed-block.entity';
import { InterestRegistry } from './interest.port';
import { ProgrammeGrid } from './programme-grid.entity';
import { ProgrammeSession } from './programme-session.entity';
import { Room } from './room.entity';
import { SessionSpeaker } from './session-speaker.entity';

/** The rows of an edition's working programme. */
export interface ProgrammeRows {
  edition: Edition;
  grid: Pick<ProgrammeGrid, 'stepMinutes' | 'dayStart' | 'dayEnd'>;
  rooms: Room[];
  blocks: FixedBlock[];
  sessions: ProgrammeSession[];
  speakers: Map<string, SessionSpeaker[]>;
}

export const DEFAULT_GRID = { stepMinutes: 15, dayStart: '09:00', dayEnd: '18:00' };

/** One key per person: the lower-cased email, else the name. */
export function speakerKey(speaker: Pick<SessionSpeaker, 'email' | 'name'>): string {
  return speaker.email ? speaker.email.toLowerCase() : `name:${speaker.name.trim().toLowerCase()}`;
}

/** Reads an edition's programme rows and turns them into the pure core's model. */
@Injectable()
export class ProgrammeLoader {
  constructor(private readonly interests: InterestRegistry) {}

  async rows(em: EntityManager, edition: Edition): Promise<ProgrammeRows> {
    const grid = (await em.findOne(ProgrammeGrid, { where: { editionId: edition.id } })) ?? {
      ...DEFAULT_GRID,
    };
    const rooms = await em.find(Room, {
      where: { editionId: edition.id },
      order: { position: 'ASC', name: 'ASC' },
    });
    const blocks = await em.find(FixedBlock, {
      where: { editionId: edition.id },
      order: { startsAt: 'ASC' },
    });
    const sessions = await em.find(ProgrammeSession, {
      where: { editionId: edition.id },
      order: { startsAt: 'ASC', title: 'ASC', id: 'ASC' },
    });
    const speakerRows = sessions.length
      ? await em.find(SessionSpeaker, {
          where: { sessionId: In(sessions.map((s) => s.id)) },
          order: { position: 'ASC' },
        })
      : [];
    const speakers = new Map<string, SessionSpeaker[]>();
    for (const row of speakerRows) {
      const list = speakers.get(row.sessionId) ?? [];
      list.push(row);
      speakers.set(row.sessionId, list);
    }
    return { edition, grid, rooms, blocks, sessions, speakers };
  }

  sessionModel(rows: ProgrammeRows, session: ProgrammeSession): SessionModel {
    return {
      id: session.id,
      title: session.title,
      durationMinutes: session.durationMinutes,
      speakers: (rows.speakers.get(session.id) ?? []).map(speakerKey),
      availability: availabilityWindows(session.availability, rows.edition.timezone),
      expectedAudience: session.expectedAudience,
      estimatedDemand: session.estimatedDemand,
      roomId: session.roomId,
      start: session.startsAt ? session.startsAt.getTime() : null,
    };
  }

  async model(em: EntityManager, rows: ProgrammeRows): Promise<ProgrammeModel> {
    const { edition, grid } = rows;
    return {
      rooms: rows.rooms.map((room) => ({
        id: room.id,
        name: room.name,
        capacity: room.capacity,
        availability: room.availability.map((w) => ({
          start: Date.parse(w.start),
          end: Date.parse(w.end),
        })),
      })),
      sessions: rows.sessions.map((s) => this.sessionModel(rows, s)),
      grid: {
        days: eventDays(
          edition.startsAt,
          edition.endsAt,
          edition.timezone,
          grid.dayStart,
          grid.dayEnd,
        ),
        stepMinutes: grid.stepMinutes,
        blocks: rows.blocks.map((b) => ({ start: b.startsAt.getTime(), end: b.endsAt.getTime() })),
      },
      interests: await this.interests.interestsOf(em, edition.id),
    };
  }
}
