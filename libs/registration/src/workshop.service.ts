import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, hashSecret, Locale, safeEqual } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import { MailOutbox, StagedMail, StageMail } from '@assises/mail';
import {
  InterestSets,
  InterestSource,
  ProgrammeNotPublishedError,
  programmeIcal,
  ProgrammeSession,
  PublicationListener,
  PublishedVersion,
  ScheduleVersion,
  SnapshotSession,
} from '@assises/programme';
import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { formatInstant } from './registration-mail';
import { Registration, RegistrationState } from './registration.entity';
import {
  InvalidInterestsError,
  RegistrationNotFoundError,
  WorkshopClashError,
  WorkshopNotConfirmedError,
  WorkshopNotFoundError,
  WorkshopSignupNotFoundError,
} from './registration.errors';
import { SessionInterest, WorkshopSignup, WorkshopSignupState } from './workshop.entities';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIVE = [RegistrationState.Confirmed, RegistrationState.Waiting, RegistrationState.Offered];

/** A session of the working programme, with whether the attendee marked it. */
export interface InterestChoice {
  id: string;
  title: string;
  kind: string;
  marked: boolean;
}

/** A workshop of the published programme as one attendee sees it. */
export interface WorkshopChoice {
  id: string;
  title: string;
  start: string;
  end: string;
  roomName: string;
  capacity: number;
  seatsLeft: number;
  /** The attendee's place: null when not signed up. */
  status: WorkshopSignupState | null;
  /** 1 = next, when waiting. */
  position: number | null;
}

/** One line of an attendee's personal agenda. */
export interface AgendaItem {
  id: string;
  title: string;
  kind: string;
  start: string;
  end: string;
  roomName: string;
  /** `everyone` for plenaries and keynotes; else the attendee's place in the workshop. */
  place: 'everyone' | WorkshopSignupState;
}

/** Sessions every attendee is expected at, on everyone's agenda. */
const FOR_EVERYONE = ['keynote', 'plenary'];

/** The answer to a sign-up: a seat, or a place in the workshop's waiting list. */
export interface WorkshopOutcome {
  sessionId: string;
  status: WorkshopSignupState;
  position?: number;
}

interface LockedRegistration {
  id: string;
  edition_id: string;
  state: RegistrationState;
}

/**
 * Interest marks and workshop sign-ups of a registration (behind its manage token).
 *
 * Marks are demand for the programme's scheduler and conflict detection: this service is the
 * programme's `InterestSource` (registered by the module). Sign-ups are to the workshops of the
 * latest published version. Seats are decided in PostgreSQL: `workshop_seats.seats_left` is taken
 * by an atomic conditional UPDATE; joining a workshop's waiting list and promoting from it run
 * under that row's lock, so a seat is never free while someone waits for it. Every change of a
 * registration's sign-ups first locks the registration row, so the clash check cannot race.
 */
@Injectable()
export class WorkshopService implements InterestSource, PublicationListener {
  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly outbox: MailOutbox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The programme's demand: the sessions each live registration marked. */
  async interestsOf(em: EntityManager, editionId: string): Promise<InterestSets> {
    const rows = await em.query<{ registration_id: string; session_id: string }[]>(
      `SELECT i.registration_id, i.session_id FROM session_interests i
         JOIN registrations r ON r.id = i.registration_id
        WHERE i.edition_id = $1 AND r.state = ANY($2::text[])
        ORDER BY i.registration_id, i.session_id`,
      [editionId, LIVE],
    );
    const sets: InterestSets = {};
    for (const row of rows) (sets[row.registration_id] ??= []).push(row.session_id);
    return sets;
  }

  /**
   * Inside the publishing transaction of a new programme version: each workshop's seats follow
   * its new capacity (raising it seats the people waiting, in order, each told once; lowering it
   * never removes anyone seated but stops new seats until the count is below it), and every
   * attendee signed up to a workshop that moved or was cancelled gets one email for this
   * publication listing those workshops.
   */
  async onPublished(em: EntityManager, version: PublishedVersion): Promise<StagedMail> {
    const ids: StagedMail = [];
    const wasWorkshop = new Set(
      (version.previous?.sessions ?? []).filter((s) => s.kind === 'workshop').map((s) => s.id),
    );
    const seats = await em.query<{ session_id: string; capacity: number }[]>(
      `SELECT session_id, capacity FROM workshop_seats WHERE edition_id = $1 ORDER BY session_id`,
      [version.editionId],
    );
    const now = new Map(version.snapshot.sessions.map((s) => [s.id, s]));
    for (const row of seats) {
      const workshop = now.get(row.session_id);
      if (!workshop || workshop.kind !== 'workshop' || workshop.capacity === row.capacity) continue;
      await em.query('SELECT 1 FROM workshop_seats WHERE session_id = $1 FOR UPDATE', [
        row.session_id,
      ]);
      await em.query('UPDATE workshop_seats SET capacity = $2::int WHERE session_id = $1', [
        row.session_id,
        workshop.capacity,
      ]);
      await this.recountSeats(em, row.session_id);
      await this.audit.record(em, {
        subjectType: 'workshop_seats',
        subjectId: row.session_id,
        editionId: version.editionId,
        action: 'workshop_resize',
        data: { from: row.capacity, to: workshop.capacity, version: version.number },
      });
      ids.push(...(await this.promote(em, row.session_id, version.editionId)));
    }
    const changed = [
      ...version.changes.moved.map((m) => ({ id: m.sessionId, cancelled: false })),
      ...version.changes.cancelled.map((c) => ({ id: c.sessionId, cancelled: true })),
    ].filter((c) => wasWorkshop.has(c.id));
    if (changed.length === 0) return ids;
    // Sign-ups keep the times people were told; clash checks read them when the version lacks one.
    for (const moved of changed.filter((c) => !c.cancelled)) {
      const session = now.get(moved.id)!;
      await em.query(
        'UPDATE workshop_signups SET starts_at = $2, ends_at = $3, updated_at = now() WHERE session_id = $1',
        [moved.id, session.start, session.end],
      );
    }
    const signups = await em.find(WorkshopSignup, {
      where: { sessionId: In(changed.map((c) => c.id)) },
      order: { registrationId: 'ASC', sessionId: 'ASC' },
    });
    const registrations = signups.length
      ? await em.find(Registration, {
          where: {
            id: In([...new Set(signups.map((s) => s.registrationId))]),
            state: In(LIVE),
          },
        })
      : [];
    const before = new Map((version.previous?.sessions ?? []).map((s) => [s.id, s]));
    const roomName = (id: string) => version.snapshot.rooms.find((r) => r.id === id)?.name ?? '';
    const zone = version.snapshot.edition.timezone;
    const mails: StageMail[] = registrations.map((registration) => {
      const locale = registration.locale as Locale;
      const workshops = signups
        .filter((s) => s.registrationId === registration.id)
        .sort(
          (x, y) =>
            Date.parse(before.get(x.sessionId)!.start) - Date.parse(before.get(y.sessionId)!.start),
        )
        .map((signup) => {
          const was = before.get(signup.sessionId)!;
          const is = changed.find((c) => c.id === signup.sessionId)!.cancelled
            ? null
            : now.get(signup.sessionId)!;
          return {
            title: (is ?? was).title,
            cancelled: is === null,
            waiting: signup.state === WorkshopSignupState.Waiting,
            before: formatInstant(new Date(was.start), zone, locale),
            after: is ? formatInstant(new Date(is.start), zone, locale) : '',
            room: is ? roomName(is.roomId) : '',
          };
        });
      return {
        to: registration.email,
        name: registration.name,
        template: 'workshops-changed',
        locale,
        purpose: `workshops-changed:${version.editionId}:v${version.number}`,
        editionId: registration.editionId,
        data: {
          name: registration.name,
          editionTitle: version.snapshot.edition.title,
          workshops,
          manageUrl: this.manageUrl(registration.id),
        },
      };
    });
    ids.push(...(await this.outbox.stage(em, mails)));
    return ids;
  }

  /** The working programme's sessions, with the attendee's marks. */
  async interests(id: string, token: string | null): Promise<InterestChoice[]> {
    const registration = await this.byToken(id, token);
    return this.interestChoices(this.db.manager, registration);
  }

  /** Replaces the attendee's marks; unknown sessions are a field error (nothing stored). */
  async setInterests(id: string, token: string | null, input: unknown): Promise<InterestChoice[]> {
    const registration = await this.byToken(id, token);
    if (!LIVE.includes(registration.state))
      throw new InvalidInterestsError({ _form: ['a cancelled registration cannot mark sessions'] });
    const ids = Array.isArray(input) ? input : input == null ? [] : [input];
    if (ids.length > 500 || ids.some((s) => typeof s !== 'string' || !UUID.test(s)))
      throw new InvalidInterestsError({ sessionIds: ['sessionIds must be session ids'] });
    const wanted = [...new Set((ids as string[]).map((s) => s.toLowerCase()))];
    const known = wanted.length
      ? await this.db.manager.find(ProgrammeSession, {
          where: { id: In(wanted), editionId: registration.editionId },
          select: { id: true },
        })
      : [];
    if (known.length !== wanted.length)
      throw new InvalidInterestsError({
        sessionIds: ['sessionIds must be sessions of this edition'],
      });
    return this.db.run(async (em) => {
      await em.delete(SessionInterest, { registrationId: registration.id });
      if (wanted.length)
        await em.insert(
          SessionInterest,
          wanted.map((sessionId) => ({
            registrationId: registration.id,
            sessionId,
            editionId: registration.editionId,
          })),
        );
      await this.audit.record(em, {
        subjectType: 'registration',
        subjectId: registration.id,
        editionId: registration.editionId,
        action: 'interests',
        data: { sessions: wanted.length },
      });
      return this.interestChoices(em, registration);
    });
  }

  /** The published workshops, with the attendee's place in each (none when not published). */
  async workshops(id: string, token: string | null): Promise<WorkshopChoice[]> {
    const registration = await this.byToken(id, token);
    const version = await this.latestVersion(this.db.manager, registration.editionId);
    if (!version) return [];
    const workshops = version.snapshot.sessions.filter((s) => s.kind === 'workshop');
    if (workshops.length === 0) return [];
    const ids = workshops.map((w) => w.id);
    const seats = await this.db.manager.query<{ session_id: string; seats_left: number }[]>(
      'SELECT session_id, seats_left FROM workshop_seats WHERE session_id = ANY($1::uuid[])',
      [ids],
    );
    const mine = await this.db.manager.query<
      { session_id: string; state: WorkshopSignupState; position: number }[]
    >(
      `SELECT s.session_id, s.state,
              (SELECT count(*)::int FROM workshop_signups w
                WHERE w.session_id = s.session_id AND w.state = 'waiting' AND w.seq <= s.seq)
                AS position
         FROM workshop_signups s WHERE s.registration_id = $1`,
      [registration.id],
    );
    const left = new Map(seats.map((row) => [row.session_id, row.seats_left]));
    const signed = new Map(mine.map((row) => [row.session_id, row]));
    const rooms = new Map(version.snapshot.rooms.map((room) => [room.id, room.name]));
    return workshops
      .map((w) => {
        const signup = signed.get(w.id);
        return {
          id: w.id,
          title: w.title,
          start: w.start,
          end: w.end,
          roomName: rooms.get(w.roomId) ?? '',
          capacity: w.capacity,
          seatsLeft: left.get(w.id) ?? w.capacity,
          status: signup?.state ?? null,
          position: signup?.state === WorkshopSignupState.Waiting ? signup.position : null,
        };
      })
      .sort((a, b) => a.start.localeCompare(b.start) || a.title.localeCompare(b.title));
  }

  /**
   * The attendee's personal agenda in the latest published version: the plenaries and keynotes,
   * and the workshops they signed up to (seated or waiting), in time order. Empty before the
   * programme is published.
   */
  async agenda(
    id: string,
    token: string | null,
  ): Promise<{ version: ScheduleVersion | null; items: AgendaItem[] }> {
    const registration = await this.byToken(id, token);
    const version = await this.latestVersion(this.db.manager, registration.editionId);
    if (!version) return { version: null, items: [] };
    const mine = new Map(
      (await this.db.manager.find(WorkshopSignup, { where: { registrationId: id } })).map((s) => [
        s.sessionId,
        s.state,
      ]),
    );
    const rooms = new Map(version.snapshot.rooms.map((room) => [room.id, room.name]));
    const items = version.snapshot.sessions
      .filter((s) => FOR_EVERYONE.includes(s.kind) || (s.kind === 'workshop' && mine.has(s.id)))
      .map((s) => ({
        id: s.id,
        title: s.title,
        kind: s.kind,
        start: s.start,
        end: s.end,
        roomName: rooms.get(s.roomId) ?? '',
        place: FOR_EVERYONE.includes(s.kind) ? ('everyone' as const) : mine.get(s.id)!,
      }))
      .sort((a, b) => a.start.localeCompare(b.start) || a.title.localeCompare(b.title));
    return { version, items };
  }

  /**
   * The agenda as an iCalendar file (the programme's own export, limited to these sessions):
   * plenaries and the workshops where the attendee has a seat, not those they wait for.
   */
  async agendaIcal(id: string, token: string | null): Promise<string> {
    const { version, items } = await this.agenda(id, token);
    if (!version) throw new ProgrammeNotPublishedError();
    const ids = items.filter((i) => i.place !== WorkshopSignupState.Waiting).map((i) => i.id);
    return programmeIcal(version, this.config.publicUrl, ids);
  }

  /**
   * Signs the attendee up to a published workshop: a seat when one is free, else the end of its
   * waiting list. Signing up again to the same workshop answers the same place.
   */
  async signUp(id: string, token: string | null, sessionId: string): Promise<WorkshopOutcome> {
    const registration = await this.byToken(id, token);
    if (!UUID.test(sessionId)) throw new WorkshopNotFoundError();
    let version = await this.latestVersion(this.db.manager, registration.editionId);
    const workshopIn = (v: ScheduleVersion | null) =>
      v?.snapshot.sessions.find((s) => s.id === sessionId && s.kind === 'workshop');
    if (!workshopIn(version)) throw new WorkshopNotFoundError();
    const { outcome, mailIds } = await this.db.run(async (em) => {
      // Publishing holds the edition row: a sign-up waits for a publication in progress (which
      // resizes the seat counters), then makes sure it read what is now the latest version.
      await em.query('SELECT 1 FROM editions WHERE id = $1 FOR SHARE', [registration.editionId]);
      const [latest] = await em.query<{ number: number }[]>(
        'SELECT number FROM schedule_versions WHERE edition_id = $1 ORDER BY number DESC LIMIT 1',
        [registration.editionId],
      );
      if (latest?.number !== version!.number)
        version = await this.latestVersion(em, registration.editionId);
      const target = workshopIn(version);
      if (!target) throw new WorkshopNotFoundError();
      const current = await this.lockRegistration(em, registration.id);
      if (current.state !== RegistrationState.Confirmed) throw new WorkshopNotConfirmedError();
      const earlier = await em.findOne(WorkshopSignup, {
        where: { registrationId: registration.id, sessionId },
      });
      if (earlier) return { outcome: await this.outcomeOf(em, earlier), mailIds: [] };
      // Times from the latest version (a workshop may have moved since the sign-up was made).
      const clash = (await em.find(WorkshopSignup, { where: { registrationId: registration.id } }))
        // A workshop the latest version cancelled takes no time.
        .filter((other) => version!.snapshot.sessions.some((s) => s.id === other.sessionId))
        .map((other) => {
          const now = version!.snapshot.sessions.find((s) => s.id === other.sessionId);
          return {
            title: now?.title ?? other.sessionId,
            start: now ? Date.parse(now.start) : other.startsAt.getTime(),
            end: now ? Date.parse(now.end) : other.endsAt.getTime(),
          };
        })
        .find(
          (other) => other.start < Date.parse(target.end) && Date.parse(target.start) < other.end,
        );
      if (clash) throw new WorkshopClashError(clash.title);
      await em.query(
        `INSERT INTO workshop_seats (session_id, edition_id, capacity, seats_left)
         VALUES ($1, $2, $3, $3) ON CONFLICT (session_id) DO NOTHING`,
        [sessionId, registration.editionId, target.capacity],
      );
      const seated = await this.takeSeatOrLock(em, sessionId);
      const state = seated ? WorkshopSignupState.Confirmed : WorkshopSignupState.Waiting;
      await em.insert(WorkshopSignup, {
        editionId: registration.editionId,
        registrationId: registration.id,
        sessionId,
        state,
        startsAt: new Date(target.start),
        endsAt: new Date(target.end),
        confirmedAt: seated ? this.clock.now() : null,
      });
      const signup = await em.findOneOrFail(WorkshopSignup, {
        where: { registrationId: registration.id, sessionId },
      });
      await this.audit.record(em, {
        subjectType: 'workshop_signup',
        subjectId: signup.id,
        editionId: registration.editionId,
        action: seated ? 'workshop_confirm' : 'workshop_wait',
        to: state,
        data: { registrationId: registration.id, sessionId },
      });
      const outcome = await this.outcomeOf(em, signup);
      // The attendee hears of their seat, or of their place in the waiting list, in one email.
      const mail = this.workshopMail(
        seated ? 'workshop-confirmed' : 'workshop-waiting',
        registration,
        signup,
        version,
        seated ? {} : { position: outcome.position },
      );
      return { outcome, mailIds: await this.outbox.stage(em, [mail]) };
    });
    await this.outbox.dispatch(mailIds);
    return outcome;
  }

  /** The attendee leaves a workshop (or its waiting list); a freed seat goes to the next person. */
  async leave(id: string, token: string | null, sessionId: string): Promise<void> {
    const registration = await this.byToken(id, token);
    if (!UUID.test(sessionId)) throw new WorkshopSignupNotFoundError();
    const mailIds = await this.db.run(async (em) => {
      await this.lockRegistration(em, registration.id);
      const signup = await em.findOne(WorkshopSignup, {
        where: { registrationId: registration.id, sessionId },
      });
      if (!signup) throw new WorkshopSignupNotFoundError();
      return this.release(em, signup, 'workshop_leave');
    });
    await this.outbox.dispatch(mailIds);
  }

  /**
   * Inside a cancellation's transaction (the registration row already locked): leaves every
   * workshop of the registration, promoting the next person in each. Returns the staged mails.
   */
  async releaseAll(em: EntityManager, registrationId: string): Promise<StagedMail> {
    const signups = await em.find(WorkshopSignup, {
      where: { registrationId },
      order: { sessionId: 'ASC' },
    });
    const ids: StagedMail = [];
    for (const signup of signups) ids.push(...(await this.release(em, signup, 'workshop_cancel')));
    return ids;
  }

  private async release(
    em: EntityManager,
    signup: WorkshopSignup,
    action: string,
  ): Promise<StagedMail> {
    await em.query('SELECT 1 FROM workshop_seats WHERE session_id = $1 FOR UPDATE', [
      signup.sessionId,
    ]);
    // The state as it is now, under the workshop's lock: a promotion may have seated this
    // sign-up since it was read (its seat must then be given back).
    const [deleted] = await em.query<[{ state: WorkshopSignupState }[], number]>(
      'DELETE FROM workshop_signups WHERE id = $1 RETURNING state',
      [signup.id],
    );
    const state = deleted[0]?.state;
    if (!state) return [];
    await this.audit.record(em, {
      subjectType: 'workshop_signup',
      subjectId: signup.id,
      editionId: signup.editionId,
      action,
      from: state,
      data: { registrationId: signup.registrationId, sessionId: signup.sessionId },
    });
    if (state !== WorkshopSignupState.Confirmed) return [];
    await this.recountSeats(em, signup.sessionId);
    return this.promote(em, signup.sessionId, signup.editionId);
  }

  /**
   * Under the workshop's lock: the seats left are the capacity less the people seated, never
   * below zero (a lowered capacity may leave more people seated than seats: none is removed).
   */
  private async recountSeats(em: EntityManager, sessionId: string): Promise<void> {
    await em.query(
      `UPDATE workshop_seats SET updated_at = now(), seats_left = GREATEST(0, capacity -
         (SELECT count(*)::int FROM workshop_signups WHERE session_id = $1 AND state = 'confirmed'))
        WHERE session_id = $1`,
      [sessionId],
    );
  }

  /** Under the workshop's lock: hands free seats to the first people waiting, in order. */
  private async promote(
    em: EntityManager,
    sessionId: string,
    editionId: string,
  ): Promise<StagedMail> {
    const mails: StageMail[] = [];
    let version: ScheduleVersion | null | undefined;
    for (;;) {
      const next = await em.findOne(WorkshopSignup, {
        where: { sessionId, state: WorkshopSignupState.Waiting },
        order: { seq: 'ASC' },
      });
      if (!next || !(await this.takeSeat(em, sessionId))) break;
      await em.update(
        WorkshopSignup,
        { id: next.id },
        { state: WorkshopSignupState.Confirmed, confirmedAt: this.clock.now() },
      );
      await this.audit.record(em, {
        subjectType: 'workshop_signup',
        subjectId: next.id,
        editionId,
        action: 'workshop_promote',
        from: WorkshopSignupState.Waiting,
        to: WorkshopSignupState.Confirmed,
        data: { registrationId: next.registrationId, sessionId },
      });
      version ??= await this.latestVersion(em, editionId);
      const registration = await em.findOneOrFail(Registration, {
        where: { id: next.registrationId },
      });
      mails.push(this.workshopMail('workshop-promoted', registration, next, version));
    }
    return this.outbox.stage(em, mails);
  }

  /**
   * An email about one workshop sign-up (seat, waiting list, promotion), with the workshop as
   * the latest published version shows it. `purpose` is per sign-up: one email of each kind.
   */
  private workshopMail(
    template: 'workshop-confirmed' | 'workshop-waiting' | 'workshop-promoted',
    registration: Registration,
    signup: WorkshopSignup,
    version: ScheduleVersion | null | undefined,
    extra: Record<string, unknown> = {},
  ): StageMail {
    const locale = registration.locale as Locale;
    const edition = version?.snapshot.edition;
    const zone = edition?.timezone ?? 'Europe/Paris';
    const workshop: SnapshotSession | undefined = version?.snapshot.sessions.find(
      (s) => s.id === signup.sessionId,
    );
    const room = version?.snapshot.rooms.find((r) => r.id === workshop?.roomId)?.name ?? '';
    return {
      to: registration.email,
      name: registration.name,
      template,
      locale,
      purpose: `${template}:${signup.id}`,
      editionId: registration.editionId,
      data: {
        name: registration.name,
        editionTitle: edition?.title ?? '',
        workshopTitle: workshop?.title ?? '',
        when: formatInstant(workshop ? new Date(workshop.start) : signup.startsAt, zone, locale),
        room,
        manageUrl: this.manageUrl(registration.id),
        ...extra,
      },
    };
  }

  /** A seat by conditional update; when none, takes the workshop's lock and tries once more. */
  private async takeSeatOrLock(em: EntityManager, sessionId: string): Promise<boolean> {
    if (await this.takeSeat(em, sessionId)) return true;
    await em.query('SELECT 1 FROM workshop_seats WHERE session_id = $1 FOR UPDATE', [sessionId]);
    return this.takeSeat(em, sessionId);
  }

  private async takeSeat(em: EntityManager, sessionId: string): Promise<boolean> {
    // For an UPDATE, TypeORM's query() resolves to [returned rows, affected count].
    const [rows] = await em.query<[unknown[], number]>(
      `UPDATE workshop_seats SET seats_left = seats_left - 1, updated_at = now()
        WHERE session_id = $1 AND seats_left > 0 RETURNING seats_left`,
      [sessionId],
    );
    return rows.length > 0;
  }

  private async outcomeOf(em: EntityManager, signup: WorkshopSignup): Promise<WorkshopOutcome> {
    if (signup.state === WorkshopSignupState.Confirmed)
      return { sessionId: signup.sessionId, status: signup.state };
    const [row] = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM workshop_signups
        WHERE session_id = $1 AND state = 'waiting' AND seq <= $2::bigint`,
      [signup.sessionId, signup.seq],
    );
    return { sessionId: signup.sessionId, status: signup.state, position: row.n };
  }

  private async interestChoices(
    em: EntityManager,
    registration: Registration,
  ): Promise<InterestChoice[]> {
    const sessions = await em.find(ProgrammeSession, {
      where: { editionId: registration.editionId },
      order: { title: 'ASC', id: 'ASC' },
      select: { id: true, title: true, kind: true },
    });
    const marked = new Set(
      (await em.find(SessionInterest, { where: { registrationId: registration.id } })).map(
        (row) => row.sessionId,
      ),
    );
    return sessions.map((s) => ({
      id: s.id,
      title: s.title,
      kind: s.kind,
      marked: marked.has(s.id),
    }));
  }

  private async latestVersion(em: EntityManager, editionId: string) {
    return em.findOne(ScheduleVersion, { where: { editionId }, order: { number: 'DESC' } });
  }

  private async lockRegistration(em: EntityManager, id: string): Promise<LockedRegistration> {
    const [row] = await em.query<LockedRegistration[]>(
      'SELECT id, edition_id, state FROM registrations WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (!row) throw new RegistrationNotFoundError();
    return row;
  }

  private manageUrl(id: string): string {
    const token = createHmac('sha256', this.config.session.secret)
      .update(`registration:${id}`)
      .digest('base64url');
    return `${this.config.publicUrl}/registrations/${id}?token=${token}`;
  }

  private async byToken(id: string, token: string | null): Promise<Registration> {
    if (!token || !UUID.test(id)) throw new RegistrationNotFoundError();
    const registration = await this.db.manager.findOne(Registration, { where: { id } });
    if (!registration || !safeEqual(registration.manageTokenHash, hashSecret(token)))
      throw new RegistrationNotFoundError();
    return registration;
  }
}
