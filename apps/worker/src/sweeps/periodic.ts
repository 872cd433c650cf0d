import { JobName, JobProducer } from '@assises/queue';
import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/** The jobs that a BullMQ job scheduler runs across all workers. */
type SweepJob = Extract<JobName, `sweep-${string}`>;

/** Redis keeps nothing on disk: every worker registers the schedulers again this often. */
const REGISTER_EVERY_MS = 60_000;

/**
 * A sweep that BullMQ runs once per interval across all workers (a job scheduler whose id is the
 * job's name). Redis may lose everything, so every worker re-registers the scheduler each minute,
 * and a sweep that catches up on what was missed while Redis was down also runs once at start.
 */
export abstract class RepeatableSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly job: SweepJob;
  /** Milliseconds between two sweeps. */
  protected abstract get every(): number;
  /** Run once as each worker starts, besides the schedule. */
  protected readonly sweepAtStart: boolean = false;
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;

  constructor(protected readonly producer: JobProducer) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.register();
    if (this.sweepAtStart)
      await this.producer.enqueue(this.job, [
        { jobId: `${this.job}-at-start-${process.pid}-${Date.now()}`, payload: {} },
      ]);
    this.timer = setInterval(() => void this.register(), REGISTER_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async register(): Promise<void> {
    try {
      await this.producer
        .queueFor(this.job)
        .upsertJobScheduler(
          this.job,
          { every: this.every },
          { name: this.job, data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
        );
    } catch (error) {
      this.logger.warn(`could not register the ${this.job} scheduler: ${(error as Error).message}`);
    }
  }
}

/**
 * Work every worker process does on its own timer, at start and then every `every` ms:
 * idempotent and safe when several workers run it at once. A failure is logged, never thrown.
 */
export abstract class IntervalTask implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly every: number;
  /** What the work is, for the warning when it fails ("expire seat offers"). */
  protected abstract readonly what: string;
  /** Does the work once; returns how many rows it changed. */
  protected abstract work(): Promise<number>;
  protected readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;

  async onApplicationBootstrap(): Promise<void> {
    await this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.every);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Runs the work now (also what tests call). */
  async runOnce(): Promise<number> {
    try {
      return await this.work();
    } catch (error) {
      this.logger.warn(`could not ${this.what}: ${(error as Error).message}`);
      return 0;
    }
  }
}
