import { Actor } from '@assises/accounts';
import { Clock } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, In, Not } from 'typeorm';
import { CloneEditionDto, CreateEditionDto, UpdateEditionDto } from './dto/edition.dto';
import { EditionPermission, roleAllows, roleWithin } from './edition-access';
import { AfterCommit, EditionChangeRegistry } from './edition-change.port';
import { EditionCloneRegistry } from './edition-clone.port';
import { EditionTransition, editionStatusMachine } from './edition-status.machine';
import { Edition, EditionStatus } from './edition.entity';
import {
  EditionForbiddenError,
  EditionNotFoundError,
  InvalidEditionDatesError,
  SlugTakenError,
} from './editions.errors';
import { toInstant } from './local-time';
import { EditionRole, Membership } from './membership.entity';

export interface EditionAccessGrant {
  edition: Edition;
  role: EditionRole;
}

export interface EditionSeries {
  next: Edition | null;
  upcoming: Edition[];
  past: Edition[];
}

/** Editions: the public series, the organisers' editing, transitions, cloning, and who may do what. */
@Injectable()
export class EditionService {
  private readonly logger = new Logger(EditionService.name);

  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly cloneSteps: EditionCloneRegistry,
    private readonly changeListeners: EditionChangeRegistry,
  ) {}

  /** The public series: every edition past its draft, the next one first. */
  async series(): Promise<EditionSeries> {
    const editions = await this.db.manager.find(Edition, {
      where: { status: Not(EditionStatus.Draft) },
      order: { startsAt: 'DESC' },
    });
    const now = this.clock.now();
    const upcoming = editions.filter((e) => e.endsAt >= now).reverse();
    const past = editions.filter((e) => e.endsAt < now);
    return { next: upcoming[0] ?? null, upcoming, past };
  }

  /** A public edition; drafts do not exist for the public. */
  async getPublic(slug: string): Promise<Edition> {
    const edition = await this.db.manager.findOne(Edition, {
      where: { slug, status: Not(EditionStatus.Draft) },
    });
    if (!edition) throw new EditionNotFoundError();
    return edition;
  }

  /**
   * Checks that the actor may do `permission` in the edition. Someone with no role there gets
   * "not found", so the edition's existence is not leaked; someone whose role does not reach
   * gets "forbidden".
   */
  async access(
    actor: Actor,
    slug: string,
    permission: EditionPermission,
  ): Promise<EditionAccessGrant> {
    const edition = await this.db.manager.findOne(Edition, { where: { slug } });
    if (!edition) throw new EditionNotFoundError();
    const role = await this.roleOf(actor, edition.id);
    if (!role) throw new EditionNotFoundError();
    if (!roleAllows(role, permission)) throw new EditionForbiddenError();
    return { edition, role };
  }

  /** The actor's effective role in an edition, or null. */
  async roleOf(
    actor: Actor,
    editionId: string,
    em: EntityManager = this.db.manager,
  ): Promise<EditionRole | null> {
    if (actor.isPlatformAdmin) return EditionRole.Owner;
    if (actor.token && actor.token.editionId !== editionId) return null;
    const membership = await em.findOne(Membership, {
      where: { editionId, accountId: actor.accountId },
    });
    if (!membership) return null;
    if (actor.token) {
      const tokenRole = actor.token.role as EditionRole;
      return roleWithin(tokenRole, membership.role) ? tokenRole : null;
    }
    return membership.role;
  }

  /** The editions an actor works on, with their role, the next first. */
  async listForActor(actor: Actor): Promise<EditionAccessGrant[]> {
    if (actor.isPlatformAdmin) {
      const all = await this.db.manager.find(Edition, { order: { startsAt: 'DESC' } });
      return all.map((edition) => ({ edition, role: EditionRole.Owner }));
    }
    const memberships = await this.db.manager.find(Membership, {
      where: { accountId: actor.accountId },
    });
    const scoped = actor.token
      ? memberships.filter((m) => m.editionId === actor.token?.editionId)
      : memberships;
    if (scoped.length === 0) return [];
    const editions = await this.db.manager.find(Edition, {
      where: { id: In(scoped.map((m) => m.editionId)) },
      order: { startsAt: 'DESC' },
    });
    const roles = new Map(scoped.map((m) => [m.editionId, m.role]));
    return editions.map((edition) => ({
      edition,
      role: (actor.token?.role as EditionRole) ?? roles.get(edition.id)!,
    }));
  }

  /** Platform admins, and owners or organisers of any edition, may start a new edition. */
  async canCreate(actor: Actor): Promise<boolean> {
    if (actor.isPlatformAdmin) return true;
    if (actor.token) return false;
    const count = await this.db.manager.count(Membership, {
      where: { accountId: actor.accountId, role: In([EditionRole.Owner, EditionRole.Organiser]) },
    });
    return count > 0;
  }

  async create(actor: Actor, input: CreateEditionDto): Promise<Edition> {
    if (!(await this.canCreate(actor))) throw new EditionForbiddenError();
    const timezone = input.timezone ?? 'Europe/Paris';
    const { startsAt, endsAt } = this.readDates(input.startsAt, input.endsAt, timezone);
    return this.db.run(async (em) => {
      const edition = await this.insertEdition(em, {
        slug: input.slug,
        title: input.title,
        hostCity: input.hostCity,
        hostOrganisation: input.hostOrganisation ?? '',
        venueName: input.venueName ?? '',
        venueAddress: input.venueAddress ?? '',
        description: input.description ?? '',
        timezone,
        startsAt,
        endsAt,
        defaultLocale: input.defaultLocale ?? 'fr',
        capacity: input.capacity,
        status: EditionStatus.Draft,
      });
      await em.insert(Membership, {
        editionId: edition.id,
        accountId: actor.accountId,
        role: EditionRole.Owner,
      });
      await this.audit.record(em, {
        subjectType: 'edition',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'create',
        to: edition.status,
      });
      return edition;
    });
  }

  async update(actor: Actor, slug: string, input: UpdateEditionDto): Promise<Edition> {
    const { edition } = await this.access(actor, slug, EditionPermission.Edit);
    const timezone = input.timezone ?? edition.timezone;
    const { startsAt, endsAt } = this.readDates(
      input.startsAt ?? edition.startsAt.toISOString(),
      input.endsAt ?? edition.endsAt.toISOString(),
      timezone,
    );
    const { startsAt: _s, endsAt: _e, ...rest } = input;
    const changes: Partial<Edition> = { ...rest, timezone, startsAt, endsAt };
    const afterCommit: AfterCommit[] = [];
    const updated = await this.db.run(async (em) => {
      try {
        await em.update(Edition, { id: edition.id }, changes);
      } catch (error) {
        // The unique index decides, even when two renames race for the same slug.
        if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
          throw new SlugTakenError();
        }
        throw error;
      }
      // The DTO instance declares its optional fields as own properties (undefined when absent).
      const changed = Object.entries(input)
        .filter(([, value]) => value !== undefined)
        .map(([field]) => field)
        .sort();
      await this.audit.record(em, {
        subjectType: 'edition',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'update',
        data: { fields: changed },
      });
      const after = await em.findOneOrFail(Edition, { where: { id: edition.id } });
      // Later libs follow the change in this transaction (reminders move, new seats are given).
      for (const listener of this.changeListeners.all()) {
        const work = await listener.editionChanged(em, edition, after);
        if (work) afterCommit.push(work);
      }
      return after;
    });
    for (const work of afterCommit) await work();
    return updated;
  }

  async transition(actor: Actor, slug: string, transition: EditionTransition): Promise<Edition> {
    const { edition } = await this.access(actor, slug, EditionPermission.Edit);
    return this.db.run(async (em) => {
      const [current] = await em.query<{ status: EditionStatus }[]>(
        'SELECT status FROM editions WHERE id = $1 FOR UPDATE',
        [edition.id],
      );
      const next = editionStatusMachine.apply(current.status, transition);
      await em.update(Edition, { id: edition.id }, { status: next });
      await this.audit.record(em, {
        subjectType: 'edition',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: transition,
        from: current.status,
        to: next,
      });
      return em.findOneOrFail(Edition, { where: { id: edition.id } });
    });
  }

  /**
   * A new edition from a previous one: the settings travel to a new city and new dates; each
   * lib above copies what it owns (formats, themes, rooms…) through the clone port.
   */
  async cloneFrom(actor: Actor, sourceSlug: string, input: CloneEditionDto): Promise<Edition> {
    const { edition: source } = await this.access(actor, sourceSlug, EditionPermission.Edit);
    if (!(await this.canCreate(actor))) throw new EditionForbiddenError();
    const { startsAt, endsAt } = this.readDates(input.startsAt, input.endsAt, source.timezone);
    const year = String(startsAt.getUTCFullYear());
    const title =
      input.title ??
      (/\b\d{4}\b/.test(source.title)
        ? source.title.replace(/\b\d{4}\b/, year)
        : `${source.title} ${year}`);
    return this.db.run(async (em) => {
      const edition = await this.insertEdition(em, {
        slug: input.slug,
        title,
        hostCity: input.hostCity,
        hostOrganisation: input.hostOrganisation ?? '',
        venueName: input.venueName ?? '',
        venueAddress: input.venueAddress ?? '',
        description: source.description,
        timezone: source.timezone,
        startsAt,
        endsAt,
        defaultLocale: source.defaultLocale,
        capacity: source.capacity,
        status: EditionStatus.Draft,
        previousEditionId: source.id,
      });
      await em.insert(Membership, {
        editionId: edition.id,
        accountId: actor.accountId,
        role: EditionRole.Owner,
      });
      if (input.copyTeam) {
        await em.query(
          `INSERT INTO memberships (edition_id, account_id, role)
           SELECT $1, account_id, role FROM memberships WHERE edition_id = $2
           ON CONFLICT (edition_id, account_id) DO NOTHING`,
          [edition.id, source.id],
        );
      }
      const steps = this.cloneSteps.all();
      for (const step of steps) await step.cloneInto(em, source.id, edition.id);
      await this.audit.record(em, {
        subjectType: 'edition',
        subjectId: edition.id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'clone',
        to: edition.status,
        data: {
          from: source.slug,
          copyTeam: Boolean(input.copyTeam),
          steps: steps.map((s) => s.name),
        },
      });
      this.logger.log(`edition ${edition.slug} started from ${source.slug}`);
      return edition;
    });
  }

  history(editionId: string) {
    return this.audit.history(this.db.manager, 'edition', editionId);
  }

  private async insertEdition(em: EntityManager, values: Partial<Edition>): Promise<Edition> {
    const inserted = await em
      .createQueryBuilder()
      .insert()
      .into(Edition)
      .values(values)
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (inserted.raw as { id: string }[])[0]?.id;
    if (!id) throw new SlugTakenError();
    return em.findOneOrFail(Edition, { where: { id } });
  }

  private readDates(
    start: string,
    end: string,
    timezone: string,
  ): { startsAt: Date; endsAt: Date } {
    const startsAt = toInstant(start, timezone);
    const endsAt = toInstant(end, timezone);
    const fields: Record<string, string[]> = {};
    if (!startsAt) fields.startsAt = ['startsAt is not a real date'];
    if (!endsAt) fields.endsAt = ['endsAt is not a real date'];
    if (startsAt && endsAt && endsAt < startsAt)
      fields.endsAt = ['endsAt must come after startsAt'];
    if (Object.keys(fields).length > 0) throw new InvalidEditionDatesError(fields);
    return { startsAt: startsAt!, endsAt: endsAt! };
  }
}
