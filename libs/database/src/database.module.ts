import { APP_CONFIG, AppConfig } from '@assises/config';
import { Clock, SystemClock } from '@assises/core';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent } from './audit-event.entity';
import { AuditLog } from './audit-log.service';
import { dataSourceOptions } from './data-source-options';
import { DatabaseNotifications } from './notifications';
import { TransactionRunner } from './transaction';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config),
            // Each lib registers its own entities with TypeOrmModule.forFeature.
            autoLoadEntities: true,
            retryAttempts: 0,
          }),
        }),
        TypeOrmModule.forFeature([AuditEvent]),
      ],
      providers: [
        AuditLog,
        { provide: Clock, useClass: SystemClock },
        DatabaseNotifications,
        TransactionRunner,
      ],
      exports: [AuditLog, Clock, DatabaseNotifications, TransactionRunner],
    };
  }
}
