import { SchedulingService } from '@assises/programme';
import { assertPayload, InvalidJobPayloadError, JobName, QueueName } from '@assises/queue';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';

/**
 * The programme queue: runs the automatic scheduler for one stored run, or the sweep that
 * re-enqueues runs left queued. Only delegates.
 */
@Processor(QueueName.Programme)
export class ProgrammeProcessor extends WorkerHost implements BeforeApplicationShutdown {
  constructor(private readonly scheduling: SchedulingService) {
    super();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job<unknown, unknown, JobName>): Promise<unknown> {
    try {
      switch (job.name) {
        case 'schedule-programme':
          return await this.scheduling.compute(assertPayload('schedule-programme', job.data).runId);
        case 'sweep-scheduling-runs':
          assertPayload('sweep-scheduling-runs', job.data);
          return await this.scheduling.requeueStale();
        case 'send-mail':
        case 'sweep-outbox':
        case 'sweep-surveys':
          throw new InvalidJobPayloadError(`${job.name} does not belong on the programme queue`);
        default: {
          const unknownJob: never = job.name;
          throw new InvalidJobPayloadError(`unknown job ${String(unknownJob)}`);
        }
      }
    } catch (error) {
      if (error instanceof InvalidJobPayloadError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
