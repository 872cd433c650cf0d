import { AccountsModule } from '@assises/accounts';
import { AppConfig, ConfigModule } from '@assises/config';
import { DatabaseModule } from '@assises/database';
import { EditionsModule } from '@assises/editions';
import { MailModule } from '@assises/mail';
import { ProgrammeModule } from '@assises/programme';
import { QueueModule } from '@assises/queue';
import { RegistrationModule } from '@assises/registration';
import { SurveysModule } from '@assises/surveys';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { hostname } from 'node:os';
import { MailProcessor } from './processors/mail.processor';
import { OfferExpirySweep } from './sweeps/offer-expiry.sweep';
import { ProgrammeProcessor } from './processors/programme.processor';
import { OutboxSweep } from './sweeps/outbox.sweep';
import { SchedulingRunSweep } from './sweeps/scheduling-run.sweep';
import { SessionPurge } from './sweeps/session-purge';
import { SurveySweep } from './sweeps/survey.sweep';

/** The worker: BullMQ processors and sweeps, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AccountsModule,
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        EditionsModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            base: { pid: process.pid, hostname: hostname(), app: 'worker' },
          },
        }),
        MailModule,
        ProgrammeModule,
        QueueModule.forRoot('worker'),
        RegistrationModule,
        SurveysModule,
      ],
      providers: [
        MailProcessor,
        OfferExpirySweep,
        OutboxSweep,
        ProgrammeProcessor,
        SchedulingRunSweep,
        SessionPurge,
        SurveySweep,
      ],
    };
  }
}
