import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JOB_QUEUES, JobName, JobPayload, QueueName } from './jobs';

export interface EnqueueItem<N extends JobName> {
  payload: JobPayload<N>;
  /** Dedup key, e.g. the outbox id. BullMQ ignores an add whose id is still in the queue. */
  jobId: string;
  delayMs?: number;
}

/** How long an enqueue waits for a Redis connection that is not up yet. */
const CONNECT_TIMEOUT_MS = 200;

/** Rejects with `message` when `promise` has not settled within `ms`. */
async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The only way the apps and libs put work on a queue. It never throws and never waits on a
 * Redis that is down: callers have already written the truth to PostgreSQL, and the sweeps
 * re-enqueue whatever did not make it.
 */
@Injectable()
export class JobProducer {
  private readonly logger = new Logger(JobProducer.name);

  constructor(
    @InjectQueue(QueueName.Mail) private readonly mailQueue: Queue,
    @InjectQueue(QueueName.Programme) private readonly programmeQueue: Queue,
  ) {
    // Without a listener, BullMQ prints every failed reconnection to the console.
    mailQueue.on('error', (error) => this.logger.warn(`mail queue: ${error.message}`));
    programmeQueue.on('error', (error) => this.logger.warn(`programme queue: ${error.message}`));
  }

  /** Returns how many jobs reached Redis (0 when Redis is unavailable). */
  async enqueue<N extends JobName>(name: N, items: EnqueueItem<N>[]): Promise<number> {
    if (items.length === 0) return 0;
    const queue = this.queueFor(name);
    try {
      // BullMQ waits without bound for a connection that has never been ready (Redis down
      // when the process started), whatever `enableOfflineQueue` says: bound that wait.
      await withTimeout(queue.waitUntilReady(), CONNECT_TIMEOUT_MS, 'Redis is not connected');
      await queue.addBulk(
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
    await withTimeout(
      this.mailQueue.count(),
      timeoutMs,
      `Redis did not answer within ${timeoutMs} ms`,
    );
  }

  queueFor(name: JobName): Queue {
    return JOB_QUEUES[name] === QueueName.Programme ? this.programmeQueue : this.mailQueue;
  }

  /** Every queue, for the dashboard and health checks. */
  get queues(): Queue[] {
    return [this.mailQueue, this.programmeQueue];
  }
}
