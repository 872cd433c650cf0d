import { Actor } from '@assises/accounts';
import { ProposalState } from '@assises/contributions';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Edition, EditionPermission, EditionService, toInstant } from '@assises/editions';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Conflict, detectConflicts, placementViolations } from './core/conflicts';
import {
  CreateSessionDto,
  ScheduleSessionDto,
  SessionSpeakerDto,
  UpdateSessionDto,
} from './dto/programme.dto';
import { ProgrammeLoader, ProgrammeRows } from './programme-loader';
import {
  InvalidProgrammeInputError,
  RoomNotFoundError,
  ScheduleConstraintError,
  SessionNotFoundError,
  StaleScheduleError,
} from './programme.errors';
import { ProgrammeSession } from './programme-session.entity';
import { Room } from './room.entity';
import { SessionSpeaker } from './session-speaker.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A session with its speakers and room, as the API and pages show it. */
export interface SessionDetails {
  session: ProgrammeSession;
  speakers: SessionSpeaker[];
  room: Room | null;
}

/** The working programme: rooms, sessions, conflicts, as organisers see it. */
export interface WorkingProgramme {
  rows: ProgrammeRows;
  conflicts: Conflict[];
}

/** Which session kind a call format becomes (by its stable key). */
const KIND_OF_FORMAT = `CASE f.key WHEN 'atelier' THEN 'workshop' WHEN 'table-ronde' THEN 'round_table'
  WHEN 'conference' THEN 'talk' WHEN 'temoignage' THEN 'talk' ELSE 'other' END`;

/**
 * The sessions of the working schedule: created by organisers or imported from confirmed
 * proposals, placed by hand (with optimistic concurrency) or by the scheduler.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly editions: EditionService,
    private readonly loader: ProgrammeLoader,
  ) {}

  /** Everything the schedule editor shows, with the conflicts of the working schedule. */
  async working(actor: Actor, slug: string): Promise<WorkingProgramme> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    return this.workingOf(edition);
  }

  async workingOf(edition: Edition): Promise<WorkingProgramme> {
    const rows = await this.loader.rows(this.db.manager, edition);
    const model = await this.loader.model(this.db.manager, rows);
    return { rows, conflicts: detectConflicts(model) };
  }

  async get(actor: Actor, slug: string, id: string): Promise<SessionDetails> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    return this.details(this.db.manager, edition.id, id);
  }

  async create(actor: Actor, slug: string, input: CreateSessionDto): Promise<SessionDetails> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      await this.assertTheme(em, edition.id, input.themeId);
      const inserted = await em.insert(ProgrammeSession, {
        editionId: edition.id,
        title: input.title,
        abstract: input.abstract ?? '',
        kind: input.kind,
        language: input.language ?? (edition.defaultLocale === 'en' ? 'en' : 'fr'),
        durationMinutes: input.durationMinutes,
        capacity: input.capacity ?? null,
        estimatedDemand: input.estimatedDemand ?? null,
        availability: input.availability ?? [],
        themeId: input.themeId ?? null,
      });
      const id = (inserted.identifiers[0] as { id: string }).id;
      await this.saveSpeakers(em, id, input.speakers ?? []);
      await this.audit.record(em, {
        subjectType: 'session',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'create',
        data: { kind: input.kind, durationMinutes: input.durationMinutes },
      });
      return this.details(em, edition.id, id);
    });
  }

  /** Changes a session's details; the version read must still be current. */
  async update(
    actor: Actor,
    slug: string,
    id: string,
    input: UpdateSessionDto,
  ): Promise<SessionDetails> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      await this.sessionForUpdate(em, edition.id, id, input.version);
      if (input.themeId !== undefined) await this.assertTheme(em, edition.id, input.themeId);
      const changes: Partial<ProgrammeSession> = {};
      for (const key of [
        'abstract',
        'availability',
        'capacity',
        'durationMinutes',
        'estimatedDemand',
        'kind',
        'language',
        'themeId',
        'title',
      ] as const)
        if (input[key] !== undefined) (changes as Record<string, unknown>)[key] = input[key];
      await em.update(ProgrammeSession, { id }, { ...changes, version: () => 'version + 1' });
      if (input.speakers !== undefined) {
        await em.delete(SessionSpeaker, { sessionId: id });
        await this.saveSpeakers(em, id, input.speakers);
      }
      await this.audit.record(em, {
        subjectType: 'session',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'update',
        data: {
          fields: [...Object.keys(changes), ...(input.speakers ? ['speakers'] : [])].sort(),
        },
      });
      return this.details(em, edition.id, id);
    });
  }

  async delete(actor: Actor, slug: string, id: string): Promise<void> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    await this.db.run(async (em) => {
      const session = await this.sessionForUpdate(em, edition.id, id);
      await em.delete(ProgrammeSession, { id });
      await this.audit.record(em, {
        subjectType: 'session',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'delete',
        data: { title: session.title },
      });
    });
  }

  /**
   * One session per confirmed proposal not yet imported: duration and kind from its format,
   * speakers from the proposal. Safe to repeat and to run twice at once (unique proposal id).
   */
  async importConfirmed(actor: Actor, slug: string): Promise<{ imported: number }> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      const rows = await em.query<{ id: string; proposal_id: string }[]>(
        `INSERT INTO programme_sessions (edition_id, proposal_id, theme_id, title, abstract, kind,
           language, duration_minutes, expected_audience, availability)
         SELECT p.edition_id, p.id, p.theme_id, p.title, p.abstract, ${KIND_OF_FORMAT}, p.language,
           f.default_duration_minutes, p.expected_audience, p.availability
         FROM proposals p JOIN call_formats f ON f.id = p.format_id
         WHERE p.edition_id = $1 AND p.state = $2
         ORDER BY p.submitted_at, p.id
         ON CONFLICT (proposal_id) DO NOTHING
         RETURNING id, proposal_id`,
        [edition.id, ProposalState.Confirmed],
      );
      if (rows.length > 0) {
        await em.query(
          `INSERT INTO programme_session_speakers (session_id, name, email, organisation, bio,
             locale, position)
           SELECT s.id, ps.name, ps.email, ps.organisation, ps.bio, p.submitter_locale, ps.position
           FROM programme_sessions s
           JOIN proposals p ON p.id = s.proposal_id
           JOIN proposal_speakers ps ON ps.proposal_id = p.id
           WHERE s.id = ANY($1::uuid[])`,
          [rows.map((r) => r.id)],
        );
      }
      await this.audit.record(em, {
        subjectType: 'programme',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'import_confirmed',
        data: { imported: rows.length },
      });
      return { imported: rows.length };
    });
  }

  /**
   * Places a session in a room at a start (or takes it off the grid). The placement must keep
   * every hard constraint unless the organiser forces it; the version read must be current.
   * Placements of one edition are serialised (edition row lock), so two organisers cannot both
   * put a session in the same free spot.
   */
  async schedule(
    actor: Actor,
    slug: string,
    id: string,
    input: ScheduleSessionDto,
  ): Promise<SessionDetails> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    if ((input.roomId === null) !== (input.startsAt === null))
      throw new InvalidProgrammeInputError({
        roomId: ['roomId and startsAt are both set, or both null'],
      });
    const startsAt = input.startsAt === null ? null : toInstant(input.startsAt, edition.timezone);
    if (input.startsAt !== null && !startsAt)
      throw new InvalidProgrammeInputError({ startsAt: ['startsAt is not a real date'] });
    return this.db.run(async (em) => {
      await em.query('SELECT id FROM editions WHERE id = $1 FOR UPDATE', [edition.id]);
      const session = await this.sessionForUpdate(em, edition.id, id, input.version);
      if (input.roomId !== null && startsAt) {
        const rows = await this.loader.rows(em, edition);
        const room = rows.rooms.find((r) => r.id === input.roomId);
        if (!room) throw new RoomNotFoundError();
        const model = await this.loader.model(em, rows);
        const violations = placementViolations(
          model,
          this.loader.sessionModel(rows, session),
          model.rooms.find((r) => r.id === room.id)!,
          startsAt.getTime(),
        );
        if (violations.length > 0 && !input.force) throw new ScheduleConstraintError(violations);
      }
      await em.update(
        ProgrammeSession,
        { id },
        { roomId: input.roomId, startsAt, version: () => 'version + 1' },
      );
      await this.audit.record(em, {
        subjectType: 'session',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: input.roomId ? 'schedule' : 'unschedule',
        data: {
          from: session.startsAt
            ? { roomId: session.roomId, startsAt: session.startsAt.toISOString() }
            : null,
          to: startsAt ? { roomId: input.roomId, startsAt: startsAt.toISOString() } : null,
          forced: Boolean(input.force),
        },
      });
      return this.details(em, edition.id, id);
    });
  }

  async details(em: EntityManager, editionId: string, id: string): Promise<SessionDetails> {
    if (!UUID.test(id)) throw new SessionNotFoundError();
    const session = await em.findOne(ProgrammeSession, { where: { id, editionId } });
    if (!session) throw new SessionNotFoundError();
    const speakers = await em.find(SessionSpeaker, {
      where: { sessionId: id },
      order: { position: 'ASC' },
    });
    const room = session.roomId ? await em.findOne(Room, { where: { id: session.roomId } }) : null;
    return { session, speakers, room };
  }

  /** Locks the session; with `version`, refuses a stale one. */
  private async sessionForUpdate(
    em: EntityManager,
    editionId: string,
    id: string,
    version?: number,
  ): Promise<ProgrammeSession> {
    if (!UUID.test(id)) throw new SessionNotFoundError();
    const session = await em
      .createQueryBuilder(ProgrammeSession, 's')
      .setLock('pessimistic_write')
      .where('s.id = :id AND s.edition_id = :editionId', { id, editionId })
      .getOne();
    if (!session) throw new SessionNotFoundError();
    if (version !== undefined && session.version !== version) throw new StaleScheduleError();
    return session;
  }

  private async saveSpeakers(em: EntityManager, sessionId: string, speakers: SessionSpeakerDto[]) {
    if (speakers.length === 0) return;
    await em.insert(
      SessionSpeaker,
      speakers.map((s, position) => ({
        sessionId,
        name: s.name,
        email: (s.email ?? '').toLowerCase(),
        organisation: s.organisation ?? '',
        bio: s.bio ?? '',
        locale: s.locale ?? 'fr',
        position,
      })),
    );
  }

  private async assertTheme(em: EntityManager, editionId: string, themeId?: string | null) {
    if (!themeId) return;
    const [found] = await em.query<unknown[]>(
      'SELECT 1 FROM call_themes WHERE id = $1 AND edition_id = $2',
      [themeId, editionId],
    );
    if (!found)
      throw new InvalidProgrammeInputError({ themeId: ['no such theme in this edition'] });
  }
}
