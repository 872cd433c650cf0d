import { APP_CONFIG, AppConfig } from '@assises/config';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { JobProducer } from './job-producer';
import { QueueName } from './jobs';
import { redisOptions } from './redis-options';

export type QueueRole = 'producer' | 'worker';

@Global()
@Module({})
export class QueueModule {
  /**
   * `producer` (the api): commands fail at once while Redis is down, so no request waits on it.
   * `worker`: connections retry forever, as BullMQ workers require.
   */
  static forRoot(role: QueueRole): DynamicModule {
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: redisOptions(config.redis.url, role),
            prefix: config.redis.prefix,
          }),
        }),
        BullModule.registerQueue({ name: QueueName.Mail }),
        BullModule.registerQueue({ name: QueueName.Programme }),
      ],
      providers: [JobProducer],
      exports: [BullModule, JobProducer],
    };
  }
}
