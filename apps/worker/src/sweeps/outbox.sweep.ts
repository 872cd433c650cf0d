import { APP_CONFIG, AppConfig } from '@assises/config';
import { JobProducer } from '@assises/queue';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';

const SCHEDULER_ID = 'sweep-outbox';

/**
 * Keeps the repeatable outbox sweep registered. BullMQ runs it once per interval across all
 * workers. Redis may lose everything (it keeps nothing on disk), so every worker re-registers
 * the scheduler each minute and sweeps once at start.
 */
@Injectable()
export class OutboxSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxSweep.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly producer: JobProducer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.register();
    await this.producer.enqueue('sweep-outbox', [
      { jobId: `sweep-at-start-${process.pid}-${Date.now()}`, payload: {} },
    ]);
    this.timer = setInterval(() => void this.register(), 60_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async register(): Promise<void> {
    try {
      await this.producer
        .queueFor('sweep-outbox')
        .upsertJobScheduler(
          SCHEDULER_ID,
          { every: this.config.mail.sweepIntervalMs },
          { name: 'sweep-outbox', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
        );
    } catch (error) {
      this.logger.warn(`could not register the outbox sweep: ${(error as Error).message}`);
    }
  }
}
