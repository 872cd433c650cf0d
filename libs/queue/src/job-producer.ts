import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobName, JobPayload, QueueName } from './jobs';

export interface EnqueueItem<N extends JobName> {
  payload: JobPayload<N>;
  /** Dedup key, e.g. the outbox id. BullMQ ignores an add whose id is still in the queue. */
  jobId: string;
  delayMs?: number;
}

/**
 * The only way the apps and libs put work on a queue. It never throws and never waits on a
 * Redis that is down: callers have already written the truth to PostgreSQL, and the sweeps
 * re-enqueue whatever did not make it.
 */
@Injectable()
export class JobProducer {
  private readonly logger = new Logger(JobProducer.name);

  constructor(@InjectQueue(QueueName.Mail) private readonly mailQueue: Queue) {}

  /** Returns how many jobs reached Redis (0 when Redis is unavailable). */
  async enqueue<N extends JobName>(name: N, items: EnqueueItem<N>[]): Promise<number> {
    if (items.length === 0) return 0;
    try {
      await this.queueFor(name).addBulk(
        items.map((item) => ({
          name,
          data: item.payload,
          opts: {
            jobId: item.jobId,
            delay: item.delayMs,
            removeOnComplete: true,
            removeOnFail: 1000,
          },
        })),
      );
      return items.length;
    } catch (error) {
      this.logger.warn(
        `could not enqueue ${items.length} ${name} job(s), the sweep will retry: ${(error as Error).message}`,
      );
      return 0;
    }
  }

  /** Resolves when Redis answers within the timeout; used by /health and the start-up check. */
  async ping(timeoutMs = 1_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.mailQueue.count(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  queueFor(_name: JobName): Queue {
    return this.mailQueue;
  }

  /** Every queue, for the dashboard and health checks. */
  get queues(): Queue[] {
    return [this.mailQueue];
  }
}
