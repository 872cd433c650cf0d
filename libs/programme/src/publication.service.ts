import { Actor } from '@assises/accounts';
import { APP_CONFIG, AppConfig } from '@assises/config';
import { Locale } from '@assises/core';
import { AuditLog, TransactionRunner } from '@assises/database';
import { EditionPermission, EditionService, EditionStatus } from '@assises/editions';
import { MailOutbox, StageMail } from '@assises/mail';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { changelog, ProgrammeSnapshot } from './core/snapshot';
import { PublishScheduleDto } from './dto/programme.dto';
import { frabJson, frabXml } from './exports/frab';
import { programmeIcal } from './exports/ical';
import { programmeJson } from './exports/programme-json';
import { PublishedProgramme } from './exports/published';
import { ProgrammeLoader, ProgrammeRows } from './programme-loader';
import { PublicationListeners } from './publication.port';
import { ProgrammeNotPublishedError, SessionNotFoundError } from './programme.errors';
import { ScheduleVersion } from './schedule-version.entity';
import { buildSnapshot } from './snapshot-builder';

/** The public renderings of a published programme. */
export type ProgrammeFormat = 'ical' | 'frab-json' | 'frab-xml' | 'json';

const CONTENT_TYPES: Record<ProgrammeFormat, string> = {
  ical: 'text/calendar; charset=utf-8',
  'frab-json': 'application/json; charset=utf-8',
  'frab-xml': 'application/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** Bytes ready to serve, with what HTTP caching needs. */
export interface RenderedProgramme {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

const CACHE_SIZE = 200;
/** How long a replica trusts the latest version id it read. */
const LATEST_TTL_MS = 1_000;

/**
 * Publishing: a named, frozen snapshot of the working schedule with its changelog, emails to
 * speakers whose session moved (and, through `PublicationListeners`, whatever the libs above
 * do on publication), and the public renderings. A version never changes once
 * published, so its renderings are cached by version id: publishing makes a new id, which is
 * how every replica learns that its cached bytes are no longer the latest.
 */
@Injectable()
export class PublicationService {
  private readonly cache = new Map<string, RenderedProgramme>();
  private readonly latestIds = new Map<string, { row: { id: string } | null; until: number }>();

  constructor(
    private readonly db: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly editions: EditionService,
    private readonly loader: ProgrammeLoader,
    private readonly outbox: MailOutbox,
    private readonly listeners: PublicationListeners,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Freezes the working schedule as the next published version. */
  async publish(actor: Actor, slug: string, input: PublishScheduleDto): Promise<ScheduleVersion> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.Edit);
    const { version, mailIds } = await this.db.run(async (em) => {
      await em.query('SELECT id FROM editions WHERE id = $1 FOR UPDATE', [edition.id]);
      const previous = await em.findOne(ScheduleVersion, {
        where: { editionId: edition.id },
        order: { number: 'DESC' },
      });
      const rows = await this.loader.rows(em, edition);
      const snapshot = await this.snapshotOf(em, rows);
      const changes = changelog(previous?.snapshot ?? null, snapshot);
      const number = (previous?.number ?? 0) + 1;
      const inserted = await em.insert(ScheduleVersion, {
        editionId: edition.id,
        number,
        name: input.name,
        snapshot,
        changelog: changes,
        publishedById: actor.accountId,
      });
      const id = (inserted.identifiers[0] as { id: string }).id;
      await this.audit.record(em, {
        subjectType: 'schedule_version',
        subjectId: id,
        editionId: edition.id,
        actorId: actor.accountId,
        action: 'publish',
        data: {
          number,
          added: changes.added.length,
          moved: changes.moved.length,
          cancelled: changes.cancelled.length,
        },
      });
      const mails: StageMail[] = [];
      const format = (iso: string, locale: Locale) =>
        DateTime.fromISO(iso, { zone: edition.timezone })
          .setLocale(locale)
          .toFormat(locale === 'fr' ? "cccc d LLLL yyyy 'à' HH'h'mm" : 'cccc d LLLL yyyy, HH:mm');
      for (const moved of changes.moved)
        for (const speaker of rows.speakers.get(moved.sessionId) ?? []) {
          if (!speaker.email) continue;
          const locale: Locale = speaker.locale === 'en' ? 'en' : 'fr';
          mails.push({
            to: speaker.email,
            name: speaker.name,
            template: 'session-moved',
            locale,
            purpose: `session-moved:${moved.sessionId}:v${number}`,
            editionId: edition.id,
            data: {
              speakerName: speaker.name,
              sessionTitle: moved.title,
              editionTitle: edition.title,
              fromRoom: moved.from.roomName,
              fromTime: format(moved.from.start, locale),
              toRoom: moved.to.roomName,
              toTime: format(moved.to.start, locale),
              sessionUrl: `${this.config.publicUrl}/e/${edition.slug}/programme/sessions/${moved.sessionId}`,
            },
          });
        }
      const mailIds = await this.outbox.stage(em, mails);
      mailIds.push(
        ...(await this.listeners.notify(em, {
          editionId: edition.id,
          versionId: id,
          number,
          previous: previous?.snapshot ?? null,
          snapshot,
          changes,
        })),
      );
      return { version: await em.findOneOrFail(ScheduleVersion, { where: { id } }), mailIds };
    });
    this.latestIds.delete(slug);
    await this.outbox.dispatch(mailIds);
    return version;
  }

  /**
   * The id of the latest published version of a public edition, remembered for a second: the
   * public programme is read far more often than it is published. Publishing here forgets it at
   * once; another replica serves the previous version for at most that second.
   */
  /**
   * The latest published programme of `slug` in `format` when it can be answered without any
   * I/O: the latest version was looked up less than a second ago and its bytes are cached.
   * Otherwise null, and `rendered` does the work (and fills what this reads).
   */
  peek(slug: string, format: ProgrammeFormat): RenderedProgramme | null {
    const known = this.latestIds.get(slug);
    if (!known?.row || known.until <= Date.now()) return null;
    return this.cache.get(`${known.row.id}|${format}|`) ?? null;
  }

  private async latestVersionId(slug: string): Promise<{ id: string } | null> {
    const now = Date.now();
    const known = this.latestIds.get(slug);
    if (known && known.until > now) return known.row;
    const [row] = await this.db.manager.query<{ id: string }[]>(
      `SELECT v.id FROM schedule_versions v JOIN editions e ON e.id = v.edition_id
       WHERE e.slug = $1 AND e.status <> $2 ORDER BY v.number DESC LIMIT 1`,
      [slug, EditionStatus.Draft],
    );
    if (this.latestIds.size >= CACHE_SIZE) this.latestIds.clear();
    this.latestIds.set(slug, { row: row ?? null, until: now + LATEST_TTL_MS });
    return row ?? null;
  }

  /** The published versions, newest first (organisers). */
  async versions(actor: Actor, slug: string): Promise<ScheduleVersion[]> {
    const { edition } = await this.editions.access(actor, slug, EditionPermission.View);
    return this.db.manager.find(ScheduleVersion, {
      where: { editionId: edition.id },
      order: { number: 'DESC' },
    });
  }

  /** The latest published version of a public edition. */
  async latest(slug: string): Promise<PublishedProgramme & { id: string }> {
    const [row] = await this.db.manager.query<{ id: string }[]>(
      `SELECT v.id FROM schedule_versions v JOIN editions e ON e.id = v.edition_id
       WHERE e.slug = $1 AND e.status <> $2 ORDER BY v.number DESC LIMIT 1`,
      [slug, EditionStatus.Draft],
    );
    if (!row) throw new ProgrammeNotPublishedError();
    return this.db.manager.findOneOrFail(ScheduleVersion, { where: { id: row.id } });
  }

  /**
   * The latest published programme of a public edition in `format` (one session's calendar when
   * `sessionId` is given), from cached bytes when this version was rendered before.
   */
  async rendered(
    slug: string,
    format: ProgrammeFormat,
    sessionId?: string,
  ): Promise<RenderedProgramme> {
    const row = await this.latestVersionId(slug);
    if (!row) throw new ProgrammeNotPublishedError();
    const key = `${row.id}|${format}|${sessionId ?? ''}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const version = await this.db.manager.findOneOrFail(ScheduleVersion, { where: { id: row.id } });
    if (sessionId && !version.snapshot.sessions.some((s) => s.id === sessionId))
      throw new SessionNotFoundError();
    const base = this.config.publicUrl;
    let text: string;
    switch (format) {
      case 'ical':
        text = programmeIcal(version, base, sessionId);
        break;
      case 'frab-json':
        text = JSON.stringify(frabJson(version, base));
        break;
      case 'frab-xml':
        text = await frabXml(version, base);
        break;
      case 'json':
        text = JSON.stringify(programmeJson(version, base));
        break;
      default: {
        const unknown: never = format;
        throw new Error(`unknown format ${String(unknown)}`);
      }
    }
    const body = Buffer.from(text, 'utf8');
    const rendered: RenderedProgramme = {
      body,
      contentType: CONTENT_TYPES[format],
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      lastModified: version.publishedAt,
    };
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, rendered);
    return rendered;
  }

  private async snapshotOf(em: EntityManager, rows: ProgrammeRows): Promise<ProgrammeSnapshot> {
    const themes = await em.query<{ id: string; name_fr: string; name_en: string }[]>(
      'SELECT id, name_fr, name_en FROM call_themes WHERE edition_id = $1 ORDER BY position, name_fr',
      [rows.edition.id],
    );
    return buildSnapshot(
      rows,
      themes.map((t) => ({ id: t.id, nameFr: t.name_fr, nameEn: t.name_en })),
    );
  }
}
