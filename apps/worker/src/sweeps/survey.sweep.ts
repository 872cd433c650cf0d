import { JobProducer } from '@assises/queue';
import { Injectable } from '@nestjs/common';
import { RepeatableSweep } from './periodic';

/**
 * Keeps the repeatable survey sweep registered (invitations after an edition, late check-ins,
 * reminders to those who have not answered); the sweep itself is safe to run twice at once.
 */
@Injectable()
export class SurveySweep extends RepeatableSweep {
  protected readonly job = 'sweep-surveys';

  constructor(producer: JobProducer) {
    super(producer);
  }

  /** Invitations go "the next morning": a minute's precision is plenty. */
  protected get every(): number {
    return 60_000;
  }
}
