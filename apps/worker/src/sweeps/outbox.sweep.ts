import { APP_CONFIG, AppConfig } from '@assises/config';
import { JobProducer } from '@assises/queue';
import { Inject, Injectable } from '@nestjs/common';
import { RepeatableSweep } from './periodic';

/**
 * Keeps the repeatable outbox sweep registered (due rows, rows left pending by a crash or a lost
 * Redis, leases expired), and sweeps once as each worker starts.
 */
@Injectable()
export class OutboxSweep extends RepeatableSweep {
  protected readonly job = 'sweep-outbox';
  protected override readonly sweepAtStart = true;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    producer: JobProducer,
  ) {
    super(producer);
  }

  protected get every(): number {
    return this.config.mail.sweepIntervalMs;
  }
}
