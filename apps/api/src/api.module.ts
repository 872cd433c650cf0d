import { AccountsModule } from '@assises/accounts';
import { AppConfig, APP_CONFIG, ConfigModule } from '@assises/config';
import { ContributionsModule } from '@assises/contributions';
import { DatabaseModule } from '@assises/database';
import { EditionsModule } from '@assises/editions';
import { MailModule } from '@assises/mail';
import { ProgrammeModule } from '@assises/programme';
import { QueueModule } from '@assises/queue';
import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { I18nModule, QueryResolver } from 'nestjs-i18n';
import { LoggerModule } from 'nestjs-pino';
import { join } from 'node:path';
import { AuthController } from './auth/auth.controller';
import { AuthPagesController } from './auth/auth-pages.controller';
import { ContributionsController } from './contributions/contributions.controller';
import { ProposalPagesController } from './contributions/proposal-pages.controller';
import { EditionsController } from './editions/editions.controller';
import { EditionsPagesController } from './editions/editions-pages.controller';
import { TeamPagesController } from './editions/team-pages.controller';
import { HealthController } from './health/health.controller';
import { HomeController } from './home/home.controller';
import { ActorMiddleware } from './http/actor.middleware';
import { CsrfService } from './http/csrf.service';
import { loggerOptions } from './http/logging';
import { PageLocalsMiddleware } from './http/page-locals.middleware';
import { OutboxPagesController } from './outbox/outbox-pages.controller';
import { ProgrammeExportsController } from './programme/programme-exports.controller';
import { ProgrammePagesController } from './programme/programme-pages.controller';
import { ProgrammeController } from './programme/programme.controller';

@Module({})
export class ApiModule implements NestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        AccountsModule,
        ConfigModule.forRoot(config),
        ContributionsModule,
        DatabaseModule.forRoot(),
        EditionsModule,
        I18nModule.forRoot({
          fallbackLanguage: 'fr',
          loaderOptions: { path: join(__dirname, 'i18n'), watch: false },
          logging: false,
          // Our ActorMiddleware picks the language; nestjs-i18n wants at least one resolver.
          resolvers: [{ use: QueryResolver, options: ['lang'] }],
        }),
        LoggerModule.forRoot(loggerOptions(config)),
        MailModule,
        ProgrammeModule,
        QueueModule.forRoot('producer'),
        TerminusModule,
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => [
            { name: 'default', ttl: 60_000, limit: c.rateLimitPerMinute },
          ],
        }),
      ],
      controllers: [
        AuthController,
        AuthPagesController,
        ContributionsController,
        EditionsController,
        EditionsPagesController,
        HealthController,
        HomeController,
        OutboxPagesController,
        ProgrammeController,
        ProgrammeExportsController,
        ProgrammePagesController,
        ProposalPagesController,
        TeamPagesController,
      ],
      providers: [CsrfService, { provide: APP_GUARD, useClass: ThrottlerGuard }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ActorMiddleware, PageLocalsMiddleware).forRoutes('{*path}');
  }
}
