import { Actor } from '@assises/accounts';
import { TransactionRunner } from '@assises/database';
import { Edition, EditionPermission, EditionService } from '@assises/editions';
import { ScheduleVersion, SnapshotSession } from '@assises/programme';
import { Injectable } from '@nestjs/common';
import { WorkshopNotFoundError } from './registration.errors';
import { WorkshopSignupState } from './workshop.entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A published workshop with its numbers, for the organisers' dashboard. */
export interface WorkshopCounts {
  id: string;
  title: string;
  start: string;
  end: string;
  roomName: string;
  capacity: number;
  confirmed: number;
  waiting: number;
  seatsLeft: number;
}

/** Someone in a workshop: seated, or waiting at `position` (1 = next). */
export interface WorkshopAttendee {
  registrationId: string;
  name: string;
  email: string;
  organisation: string;
  categoryKey: string;
  state: WorkshopSignupState;
  position: number | null;
  /** When they got their seat, or joined the waiting list. */
  since: Date;
  checkedInAt: Date | null;
}

export interface WorkshopDetail {
  edition: Edition;
  workshop: WorkshopCounts;
  confirmed: WorkshopAttendee[];
  waiting: WorkshopAttendee[];
}

/** A confirmed workshop seat of an attendee, as the check-in desk shows it. */
export interface AttendeeWorkshop {
  title: string;
  start: string;
  roomName: string;
}

/**
 * The organisers' side of workshop sign-ups: counts per workshop of the published programme,
 * who is in each and who waits (in order), and what the check-in desk shows of a person.
 * Reads only: seats are taken and given back by `WorkshopService`.
 */
@Injectable()
export class WorkshopAdminService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly editions: EditionService,
  ) {}

  /** Every workshop of the latest published version, in time order, with its numbers. */
  async overview(actor: Actor, slug: string): Promise<WorkshopCounts[]> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    return this.countsOf(edition.id);
  }

  async detail(actor: Actor, slug: string, sessionId: string): Promise<WorkshopDetail> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    if (!UUID.test(sessionId)) throw new WorkshopNotFoundError();
    const workshop = (await this.countsOf(edition.id, sessionId))[0];
    if (!workshop) throw new WorkshopNotFoundError();
    const rows = await this.db.manager.query<
      {
        registration_id: string;
        name: string;
        email: string;
        organisation: string;
        category_key: string;
        state: WorkshopSignupState;
        position: number | null;
        since: Date;
        checked_in_at: Date | null;
      }[]
    >(
      `SELECT s.registration_id, r.name, r.email, r.organisation, c.key AS category_key, s.state,
              CASE WHEN s.state = 'waiting'
                   THEN row_number() OVER (PARTITION BY s.state ORDER BY s.seq)::int END AS position,
              coalesce(s.confirmed_at, s.created_at) AS since, r.checked_in_at
         FROM workshop_signups s
         JOIN registrations r ON r.id = s.registration_id
         JOIN ticket_categories c ON c.id = r.category_id
        WHERE s.session_id = $1 AND s.edition_id = $2
        ORDER BY s.state, s.seq`,
      [sessionId, edition.id],
    );
    const people = rows.map((r): WorkshopAttendee => ({
      registrationId: r.registration_id,
      name: r.name,
      email: r.email,
      organisation: r.organisation,
      categoryKey: r.category_key,
      state: r.state,
      position: r.position,
      since: r.since,
      checkedInAt: r.checked_in_at,
    }));
    return {
      edition,
      workshop,
      confirmed: people.filter((p) => p.state === WorkshopSignupState.Confirmed),
      waiting: people.filter((p) => p.state === WorkshopSignupState.Waiting),
    };
  }

  /** The workshops each registration has a seat in (for the check-in desk), in time order. */
  async seatsOf(
    editionId: string,
    registrationIds: string[],
  ): Promise<Map<string, AttendeeWorkshop[]>> {
    const out = new Map<string, AttendeeWorkshop[]>();
    if (registrationIds.length === 0) return out;
    const version = await this.latestVersion(editionId);
    const rows = await this.db.manager.query<{ registration_id: string; session_id: string }[]>(
      `SELECT registration_id, session_id FROM workshop_signups
        WHERE edition_id = $1 AND registration_id = ANY($2::uuid[]) AND state = 'confirmed'`,
      [editionId, registrationIds],
    );
    const rooms = new Map((version?.snapshot.rooms ?? []).map((r) => [r.id, r.name]));
    for (const row of rows) {
      const session = version?.snapshot.sessions.find((s) => s.id === row.session_id);
      if (!session) continue;
      const list = out.get(row.registration_id) ?? [];
      list.push({
        title: session.title,
        start: session.start,
        roomName: rooms.get(session.roomId) ?? '',
      });
      out.set(row.registration_id, list);
    }
    for (const list of out.values()) list.sort((a, b) => a.start.localeCompare(b.start));
    return out;
  }

  private async countsOf(editionId: string, only?: string): Promise<WorkshopCounts[]> {
    const version = await this.latestVersion(editionId);
    const workshops = (version?.snapshot.sessions ?? []).filter(
      (s: SnapshotSession) => s.kind === 'workshop' && (!only || s.id === only),
    );
    if (workshops.length === 0) return [];
    const ids = workshops.map((w) => w.id);
    const seats = await this.db.manager.query<
      { session_id: string; capacity: number; seats_left: number }[]
    >(
      'SELECT session_id, capacity, seats_left FROM workshop_seats WHERE session_id = ANY($1::uuid[])',
      [ids],
    );
    const counts = await this.db.manager.query<
      { session_id: string; confirmed: number; waiting: number }[]
    >(
      `SELECT session_id, count(*) FILTER (WHERE state = 'confirmed')::int AS confirmed,
              count(*) FILTER (WHERE state = 'waiting')::int AS waiting
         FROM workshop_signups WHERE session_id = ANY($1::uuid[]) GROUP BY session_id`,
      [ids],
    );
    const rooms = new Map(version!.snapshot.rooms.map((r) => [r.id, r.name]));
    return workshops
      .map((w) => {
        const seat = seats.find((s) => s.session_id === w.id);
        const count = counts.find((c) => c.session_id === w.id);
        return {
          id: w.id,
          title: w.title,
          start: w.start,
          end: w.end,
          roomName: rooms.get(w.roomId) ?? '',
          capacity: seat?.capacity ?? w.capacity,
          confirmed: count?.confirmed ?? 0,
          waiting: count?.waiting ?? 0,
          seatsLeft: seat?.seats_left ?? w.capacity,
        };
      })
      .sort((a, b) => a.start.localeCompare(b.start) || a.title.localeCompare(b.title));
  }

  private latestVersion(editionId: string): Promise<ScheduleVersion | null> {
    return this.db.manager.findOne(ScheduleVersion, {
      where: { editionId },
      order: { number: 'DESC' },
    });
  }
}
