import { JobProducer } from '@assises/queue';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

const SCHEDULER_ID = 'sweep-scheduling-runs';
/** A run is re-enqueued once it has waited a minute: checking each minute is enough. */
const EVERY_MS = 60_000;

/**
 * Keeps the repeatable sweep of scheduling runs registered: a run started while Redis was down
 * stays `queued` in PostgreSQL, and this sweep gives it its job. Like the outbox sweep, every
 * worker re-registers it each minute (Redis may lose it) and sweeps once at start.
 */
@Injectable()
export class SchedulingRunSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SchedulingRunSweep.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly producer: JobProducer) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.register();
    await this.producer.enqueue('sweep-scheduling-runs', [
      { jobId: `sweep-runs-at-start-${process.pid}-${Date.now()}`, payload: {} },
    ]);
    this.timer = setInterval(() => void this.register(), 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async register(): Promise<void> {
    try {
      await this.producer.queueFor('sweep-scheduling-runs').upsertJobScheduler(
        SCHEDULER_ID,
        { every: EVERY_MS },
        {
          name: 'sweep-scheduling-runs',
          data: {},
          opts: { removeOnComplete: true, removeOnFail: 100 },
        },
      );
    } catch (error) {
      this.logger.warn(`could not register the scheduling-run sweep: ${(error as Error).message}`);
    }
  }
}
