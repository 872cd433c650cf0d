import { Actor } from '@assises/accounts';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Edition, EditionPermission, EditionService, toInstant } from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import {
  CreateRoomDto,
  FixedBlockDto,
  GridDto,
  UpdateRoomDto,
  WindowDto,
} from './dto/programme.dto';
import { FixedBlock } from './fixed-block.entity';
import { DEFAULT_GRID } from './programme-loader';
import {
  FixedBlockNotFoundError,
  InvalidProgrammeInputError,
  RoomNotFoundError,
} from './programme.errors';
import { ProgrammeGrid } from './programme-grid.entity';
import { Room, StoredWindow } from './room.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The venue side of the programme: rooms, the time grid, fixed blocks. Organisers only. */
@Injectable()
export class ProgrammeSetupService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly editions: EditionService,
  ) {}

  async listRooms(actor: Actor, slug: string): Promise<Room[]> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    return this.db.manager.find(Room, {
      where: { editionId: edition.id },
      order: { position: 'ASC', name: 'ASC' },
    });
  }

  /**
   * The edition this one was made from, when it has rooms this one lacks (by name): what the
   * setup offers to copy. Rooms are not copied by the clone itself (the venue usually changes).
   */
  async previousRoomsOffer(
    actor: Actor,
    slug: string,
  ): Promise<{ slug: string; title: string; missing: number } | null> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    const previous = await this.previousOf(this.db.manager, edition);
    if (!previous) return null;
    const missing = await this.missingRooms(this.db.manager, previous.id, edition.id);
    return missing.length
      ? { slug: previous.slug, title: previous.title, missing: missing.length }
      : null;
  }

  /**
   * Copies the previous edition's rooms (name, capacity, access, equipment, order) into this one,
   * skipping names it already has: one click, safe to repeat. Availability windows move by the
   * number of days between the two editions' first days, at the same local times.
   */
  async copyPreviousRooms(
    actor: Actor,
    slug: string,
  ): Promise<{ copied: number; from: string | null }> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      await em.query('SELECT id FROM editions WHERE id = $1 FOR UPDATE', [edition.id]);
      const previous = await this.previousOf(em, edition);
      if (!previous) return { copied: 0, from: null };
      const rooms = await this.missingRooms(em, previous.id, edition.id);
      const dayOf = (e: Edition) =>
        DateTime.fromJSDate(e.startsAt, { zone: e.timezone }).startOf('day');
      const days = Math.round(dayOf(edition).diff(dayOf(previous), 'days').days);
      const shift = (iso: string) =>
        DateTime.fromISO(iso, { zone: previous.timezone })
          .plus({ days })
          .setZone(edition.timezone, { keepLocalTime: true })
          .toUTC()
          .toISO()!;
      for (const room of rooms)
        await em.insert(Room, {
          editionId: edition.id,
          name: room.name,
          capacity: room.capacity,
          accessNotes: room.accessNotes,
          stepFree: room.stepFree,
          equipment: room.equipment,
          availability: room.availability.map((w) => ({
            start: shift(w.start),
            end: shift(w.end),
          })),
          position: room.position,
        });
      if (rooms.length)
        await this.audit.record(em, {
          subjectType: 'edition',
          subjectId: edition.id,
          editionId: edition.id,
          actorId: actor.accountId,
          action: 'copy_rooms',
          data: { from: previous.slug, rooms: rooms.length },
        });
      return { copied: rooms.length, from: previous.slug };
    });
  }

  private async previousOf(em: EntityManager, edition: Edition): Promise<Edition | null> {
    return edition.previousEditionId
      ? em.findOne(Edition, { where: { id: edition.previousEditionId } })
      : null;
  }

  /** The rooms of `fromId` whose name `toId` does not have yet. */
  private async missingRooms(em: EntityManager, fromId: string, toId: string): Promise<Room[]> {
    const have = new Set(
      (await em.find(Room, { where: { editionId: toId }, select: { name: true } })).map(
        (r) => r.name,
      ),
    );
    return (
      await em.find(Room, { where: { editionId: fromId }, order: { position: 'ASC', name: 'ASC' } })
    ).filter((room) => !have.has(room.name));
  }

  async createRoom(actor: Actor, slug: string, input: CreateRoomDto): Promise<Room> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const availability = this.windows(input.availability ?? [], edition.timezone);
    return this.db.run(async (em) => {
      await this.assertNameFree(em, edition.id, input.name);
      const room = await em.save(
        em.create(Room, {
          editionId: edition.id,
          name: input.name,
          capacity: input.capacity,
          accessNotes: input.accessNotes ?? '',
          stepFree: input.stepFree ?? true,
          equipment: input.equipment ?? [],
          availability,
          position: input.position ?? 0,
        }),
      );
      await this.audit.record(em, {
        subjectType: 'room',
        subjectId: room.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'create',
        data: { name: room.name, capacity: room.capacity },
      });
      return room;
    });
  }

  async updateRoom(actor: Actor, slug: string, id: string, input: UpdateRoomDto): Promise<Room> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      const room = await this.roomOf(em, edition.id, id);
      if (input.name !== undefined && input.name !== room.name)
        await this.assertNameFree(em, edition.id, input.name);
      const changes: Partial<Room> = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.capacity !== undefined) changes.capacity = input.capacity;
      if (input.accessNotes !== undefined) changes.accessNotes = input.accessNotes;
      if (input.stepFree !== undefined) changes.stepFree = input.stepFree;
      if (input.equipment !== undefined) changes.equipment = input.equipment;
      if (input.position !== undefined) changes.position = input.position;
      if (input.availability !== undefined)
        changes.availability = this.windows(input.availability, edition.timezone);
      if (Object.keys(changes).length > 0) await em.update(Room, { id }, changes);
      await this.audit.record(em, {
        subjectType: 'room',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'update',
        data: { fields: Object.keys(changes).sort() },
      });
      return em.findOneOrFail(Room, { where: { id } });
    });
  }

  /** Deletes a room; its sessions go back to the unscheduled list. */
  async deleteRoom(actor: Actor, slug: string, id: string): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      const room = await this.roomOf(em, edition.id, id);
      await em.query(
        `UPDATE programme_sessions SET room_id = NULL, starts_at = NULL, version = version + 1,
         updated_at = now() WHERE room_id = $1`,
        [id],
      );
      await em.delete(Room, { id });
      await this.audit.record(em, {
        subjectType: 'room',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'delete',
        data: { name: room.name },
      });
    });
  }

  async grid(
    actor: Actor,
    slug: string,
  ): Promise<Pick<ProgrammeGrid, 'stepMinutes' | 'dayStart' | 'dayEnd'>> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    const grid = await this.db.manager.findOne(ProgrammeGrid, { where: { editionId: edition.id } });
    return grid ?? { ...DEFAULT_GRID };
  }

  async updateGrid(actor: Actor, slug: string, input: GridDto): Promise<ProgrammeGrid> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      await em.query('SELECT id FROM editions WHERE id = $1 FOR UPDATE', [edition.id]);
      const existing = await em.findOne(ProgrammeGrid, { where: { editionId: edition.id } });
      const next = {
        stepMinutes: input.stepMinutes ?? existing?.stepMinutes ?? DEFAULT_GRID.stepMinutes,
        dayStart: input.dayStart ?? existing?.dayStart ?? DEFAULT_GRID.dayStart,
        dayEnd: input.dayEnd ?? existing?.dayEnd ?? DEFAULT_GRID.dayEnd,
      };
      if (next.dayEnd <= next.dayStart)
        throw new InvalidProgrammeInputError({ dayEnd: ['dayEnd must come after dayStart'] });
      if (existing) await em.update(ProgrammeGrid, { id: existing.id }, next);
      else await em.insert(ProgrammeGrid, { ...next, editionId: edition.id });
      await this.audit.record(em, {
        subjectType: 'programme_grid',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'update',
        data: next,
      });
      return em.findOneOrFail(ProgrammeGrid, { where: { editionId: edition.id } });
    });
  }

  async listBlocks(actor: Actor, slug: string): Promise<FixedBlock[]> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    return this.db.manager.find(FixedBlock, {
      where: { editionId: edition.id },
      order: { startsAt: 'ASC' },
    });
  }

  async createBlock(actor: Actor, slug: string, input: FixedBlockDto): Promise<FixedBlock> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const startsAt = toInstant(input.startsAt, edition.timezone);
    const endsAt = toInstant(input.endsAt, edition.timezone);
    const fields: Record<string, string[]> = {};
    if (!startsAt) fields.startsAt = ['startsAt is not a real date'];
    if (!endsAt) fields.endsAt = ['endsAt is not a real date'];
    if (startsAt && endsAt && endsAt <= startsAt)
      fields.endsAt = ['endsAt must come after startsAt'];
    if (Object.keys(fields).length > 0) throw new InvalidProgrammeInputError(fields);
    return this.db.run(async (em) => {
      const block = await em.save(
        em.create(FixedBlock, {
          editionId: edition.id,
          kind: input.kind,
          title: input.title,
          startsAt: startsAt!,
          endsAt: endsAt!,
        }),
      );
      await this.audit.record(em, {
        subjectType: 'fixed_block',
        subjectId: block.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'create',
        data: {
          kind: block.kind,
          startsAt: startsAt!.toISOString(),
          endsAt: endsAt!.toISOString(),
        },
      });
      return block;
    });
  }

  async deleteBlock(actor: Actor, slug: string, id: string): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    if (!UUID.test(id)) throw new FixedBlockNotFoundError();
    await this.db.run(async (em) => {
      const result = await em.delete(FixedBlock, { id, editionId: edition.id });
      if (!result.affected) throw new FixedBlockNotFoundError();
      await this.audit.record(em, {
        subjectType: 'fixed_block',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'delete',
      });
    });
  }

  private async roomOf(em: EntityManager, editionId: string, id: string): Promise<Room> {
    if (!UUID.test(id)) throw new RoomNotFoundError();
    const room = await em.findOne(Room, { where: { id, editionId } });
    if (!room) throw new RoomNotFoundError();
    return room;
  }

  private async assertNameFree(em: EntityManager, editionId: string, name: string): Promise<void> {
    if (await em.exists(Room, { where: { editionId, name } }))
      throw new InvalidProgrammeInputError({
        name: ['a room of this edition already has this name'],
      });
  }

  private windows(input: WindowDto[], zone: string): StoredWindow[] {
    const fields: Record<string, string[]> = {};
    const windows = input.map((w, i) => {
      const start = toInstant(w.start, zone);
      const end = toInstant(w.end, zone);
      if (!start || !end || end <= start)
        fields[`availability.${i}`] = ['each window needs a real start before its end'];
      return { start: start?.toISOString() ?? '', end: end?.toISOString() ?? '' };
    });
    if (Object.keys(fields).length > 0) throw new InvalidProgrammeInputError(fields);
    return windows;
  }
}
