import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Edition } from './edition.entity';

/** Work a listener wants done once the edition's change has committed (e.g. send mail). */
export type AfterCommit = () => Promise<void>;

/**
 * A port: libs above editions react to a change of an edition (its dates moved, its capacity
 * changed) inside the same transaction: registration moves its reminders and hands out new
 * seats. Each registers with the registry when its module starts.
 */
export interface EditionChangeListener {
  readonly name: string;
  editionChanged(em: EntityManager, before: Edition, after: Edition): Promise<AfterCommit | void>;
}

@Injectable()
export class EditionChangeRegistry {
  private readonly listeners: EditionChangeListener[] = [];

  register(listener: EditionChangeListener): void {
    if (!this.listeners.some((known) => known.name === listener.name))
      this.listeners.push(listener);
  }

  all(): readonly EditionChangeListener[] {
    return this.listeners;
  }
}
