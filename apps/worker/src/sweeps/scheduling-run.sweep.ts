import { JobProducer } from '@assises/queue';
import { Injectable } from '@nestjs/common';
import { RepeatableSweep } from './periodic';

/**
 * Keeps the repeatable sweep of scheduling runs registered: a run started while Redis was down
 * stays `queued` in PostgreSQL, and this sweep gives it its job (once at start too).
 */
@Injectable()
export class SchedulingRunSweep extends RepeatableSweep {
  protected readonly job = 'sweep-scheduling-runs';
  protected override readonly sweepAtStart = true;

  constructor(producer: JobProducer) {
    super(producer);
  }

  /** A run is re-enqueued once it has waited a minute: checking each minute is enough. */
  protected get every(): number {
    return 60_000;
  }
}
