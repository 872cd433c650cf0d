import type { StagedMail } from '@assises/mail';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Changelog, ProgrammeSnapshot } from './core/snapshot';

/** A version being published, as the libs above programme see it. */
export interface PublishedVersion {
  editionId: string;
  versionId: string;
  number: number;
  /** The previous published version's snapshot (null for the first version). */
  previous: ProgrammeSnapshot | null;
  snapshot: ProgrammeSnapshot;
  changes: Changelog;
}

/**
 * A port: registration (above programme) follows each publication (workshop seats resized to the
 * new capacities, attendees of moved or cancelled workshops told). It runs inside the publishing
 * transaction and returns the mails it staged, dispatched after the commit.
 */
export interface PublicationListener {
  onPublished(em: EntityManager, version: PublishedVersion): Promise<StagedMail>;
}

@Injectable()
export class PublicationListeners {
  private readonly listeners: PublicationListener[] = [];

  register(listener: PublicationListener): void {
    if (!this.listeners.includes(listener)) this.listeners.push(listener);
  }

  async notify(em: EntityManager, version: PublishedVersion): Promise<StagedMail> {
    const ids: StagedMail = [];
    for (const listener of this.listeners) ids.push(...(await listener.onPublished(em, version)));
    return ids;
  }
}
