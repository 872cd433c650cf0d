import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { InterestSets } from './core/model';

/**
 * A port: registration (above programme) owns attendees' interest marks and registers a source
 * here; until one does, sessions have no marks and demand comes from the expected audience or
 * the organisers' estimate.
 */
export interface InterestSource {
  interestsOf(em: EntityManager, editionId: string): Promise<InterestSets>;
}

@Injectable()
export class InterestRegistry {
  private source: InterestSource | null = null;

  register(source: InterestSource): void {
    this.source = source;
  }

  async interestsOf(em: EntityManager, editionId: string): Promise<InterestSets> {
    return this.source ? this.source.interestsOf(em, editionId) : {};
  }
}
