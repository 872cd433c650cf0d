import { APP_CONFIG, AppConfig } from '@assises/config';
import { MailDelivery, MailOutbox } from '@assises/mail';
import { SurveyMailingService } from '@assises/surveys';
import { assertPayload, InvalidJobPayloadError, JobName, QueueName } from '@assises/queue';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, OnApplicationBootstrap } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';

/** The mail queue: sends one outbox row, or runs the outbox or survey sweep. Only delegates. */
@Processor(QueueName.Mail)
export class MailProcessor
  extends WorkerHost
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly delivery: MailDelivery,
    private readonly outbox: MailOutbox,
    private readonly surveys: SurveyMailingService,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.worker.concurrency;
  }

  /**
   * On SIGTERM, stop taking jobs and let the ones in flight finish while the SMTP pool and the
   * database are still open (they close in onApplicationShutdown, where @nestjs/bullmq would
   * only then close this worker).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.worker.close();
  }

  async process(job: Job<unknown, unknown, JobName>): Promise<unknown> {
    try {
      switch (job.name) {
        case 'send-mail':
          return await this.delivery.deliver(assertPayload('send-mail', job.data).outboxId);
        case 'sweep-outbox':
          assertPayload('sweep-outbox', job.data);
          return await this.outbox.sweep();
        case 'sweep-surveys':
          assertPayload('sweep-surveys', job.data);
          return await this.surveys.sweep();
        case 'schedule-programme':
        case 'sweep-scheduling-runs':
          throw new InvalidJobPayloadError(`${job.name} does not belong on the mail queue`);
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
