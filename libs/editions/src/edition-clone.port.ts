import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * A port: libs above editions (contributions, programme, registration, surveys) copy what they
 * own when an edition starts from a previous one, inside the same transaction. Each registers
 * its step with the registry when its module starts.
 */
export interface EditionCloneStep {
  /** A short name for logs and the audit row. */
  readonly name: string;
  cloneInto(em: EntityManager, fromEditionId: string, toEditionId: string): Promise<void>;
}

@Injectable()
export class EditionCloneRegistry {
  private readonly steps: EditionCloneStep[] = [];

  register(step: EditionCloneStep): void {
    if (!this.steps.some((known) => known.name === step.name)) this.steps.push(step);
  }

  all(): readonly EditionCloneStep[] {
    return this.steps;
  }
}
