import { SchedulingService } from '@assises/programme';
import { assertPayload, InvalidJobPayloadError, JobName, QueueName } from '@assises/queue';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';

/** The programme queue: runs the automatic scheduler for one stored run. Only delegates. */
@Processor(QueueName.Programme)
export class ProgrammeProcessor extends WorkerHost implements BeforeApplicationShutdown {
  constructor(private readonly scheduling: SchedulingService) {
    super();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job<unknown, unknown, JobName>): Promise<void> {
    try {
      if (job.name !== 'schedule-programme')
        throw new InvalidJobPayloadError(`${job.name} does not belong on the programme queue`);
      await this.scheduling.compute(assertPayload('schedule-programme', job.data).runId);
    } catch (error) {
      if (error instanceof InvalidJobPayloadError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
