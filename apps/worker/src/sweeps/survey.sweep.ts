import { JobProducer } from '@assises/queue';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

const SCHEDULER_ID = 'sweep-surveys';
/** Invitations go "the next morning": a minute's precision is plenty. */
const EVERY_MS = 60_000;

/**
 * Keeps the repeatable survey sweep registered (invitations after an edition, reminders to those
 * who have not answered). Like the outbox sweep, every worker re-registers it each minute since
 * Redis may lose it; the sweep itself is safe to run twice at once.
 */
@Injectable()
export class SurveySweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SurveySweep.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly producer: JobProducer) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.register();
    this.timer = setInterval(() => void this.register(), 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async register(): Promise<void> {
    try {
      await this.producer
        .queueFor('sweep-surveys')
        .upsertJobScheduler(
          SCHEDULER_ID,
          { every: EVERY_MS },
          { name: 'sweep-surveys', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
        );
    } catch (error) {
      this.logger.warn(`could not register the survey sweep: ${(error as Error).message}`);
    }
  }
}
