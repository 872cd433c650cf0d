import { AccountsModule } from '@assises/accounts';
import { AppConfig, APP_CONFIG, ConfigModule } from '@assises/config';
import { ContributionsModule } from '@assises/contributions';
import { DatabaseModule } from '@assises/database';
import { EditionsModule } from '@assises/editions';
import { MailModule } from '@assises/mail';
import { ProgrammeModule } from '@assises/programme';
import { QueueModule } from '@assises/queue';
import { RegistrationModule } from '@assises/registration';
import { SurveysModule } from '@assises/surveys';
import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { I18nModule, QueryResolver } from 'nestjs-i18n';
import { LoggerModule } from 'nestjs-pino';
import { join } from 'node:path';
import { AuthController } from './auth/auth.controller';
import { AuthPagesController } from './auth/auth-pages.controller';
import { CallPagesController } from './contributions/call-pages.controller';
import { CallSettingsController } from './contributions/call-settings.controller';
import { CallSettingsPagesController } from './contributions/call-settings-pages.controller';
import { ContributionsController } from './contributions/contributions.controller';
import { ProposalPagesController } from './contributions/proposal-pages.controller';
import { DecisionsController } from './decisions/decisions.controller';
import { DecisionsPagesController } from './decisions/decisions-pages.controller';
import { ProposalConfirmPagesController } from './decisions/proposal-confirm-pages.controller';
import { EditionsController } from './editions/editions.controller';
import { EditionsPagesController } from './editions/editions-pages.controller';
import { TeamPagesController } from './editions/team-pages.controller';
import { HealthController } from './health/health.controller';
import { HomeController } from './home/home.controller';
import { ActorMiddleware } from './http/actor.middleware';
import { CsrfService } from './http/csrf.service';
import { loggerOptions } from './http/logging';
import { PageLocalsMiddleware } from './http/page-locals.middleware';
import { SharedThrottlerStorage } from './http/throttler-storage';
import { ReviewController } from './review/review.controller';
import { ReviewPagesController } from './review/review-pages.controller';
import { OutboxPagesController } from './outbox/outbox-pages.controller';
import { RegistrationAdminPagesController } from './registration/registration-admin-pages.controller';
import { RegistrationPagesController } from './registration/registration-pages.controller';
import { RegistrationSettingsPagesController } from './registration/registration-settings-pages.controller';
import { RegistrationController } from './registration/registration.controller';
import { WorkshopPagesController } from './registration/workshop-pages.controller';
import { WorkshopsController } from './registration/workshops.controller';
import { EditionReportPagesController } from './surveys/edition-report-pages.controller';
import { SurveyAdminPagesController } from './surveys/survey-admin-pages.controller';
import { SurveyPagesController } from './surveys/survey-pages.controller';
import { SurveysController } from './surveys/surveys.controller';
import { ProgrammeExportsController } from './programme/programme-exports.controller';
import { ProgrammePagesController } from './programme/programme-pages.controller';
import { ProgrammeController } from './programme/programme.controller';

/**
 * nestjs-i18n for its translations only. Our ActorMiddleware picks the language and every page
 * and email passes it explicitly, so the library's own per-request work — a middleware and a
 * global interceptor resolving the language again and opening an async context — is left out:
 * an interceptor alone routes every request of every controller through Nest's RxJS pipeline.
 */
function translations(): DynamicModule {
  const module = I18nModule.forRoot({
    fallbackLanguage: 'fr',
    loaderOptions: { path: join(__dirname, 'i18n'), watch: false },
    logging: false,
    // nestjs-i18n wants at least one resolver, though nothing here asks it to resolve.
    resolvers: [{ use: QueryResolver, options: ['lang'] }],
    disableMiddleware: true,
    skipAsyncHook: true,
  });
  return {
    ...module,
    providers: module.providers?.filter(
      (provider) => !('provide' in provider && provider.provide === APP_INTERCEPTOR),
    ),
  };
}

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
        translations(),
        LoggerModule.forRoot(loggerOptions(config)),
        MailModule,
        ProgrammeModule,
        QueueModule.forRoot('producer'),
        RegistrationModule,
        SurveysModule,
        TerminusModule,
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: c.rateLimitPerMinute }],
            storage: new SharedThrottlerStorage(c),
          }),
        }),
      ],
      controllers: [
        AuthController,
        AuthPagesController,
        CallPagesController,
        CallSettingsController,
        CallSettingsPagesController,
        ContributionsController,
        DecisionsController,
        DecisionsPagesController,
        EditionsController,
        EditionReportPagesController,
        EditionsPagesController,
        HealthController,
        HomeController,
        OutboxPagesController,
        ProposalConfirmPagesController,
        ProgrammeController,
        ProgrammeExportsController,
        ProgrammePagesController,
        ProposalPagesController,
        ReviewController,
        ReviewPagesController,
        RegistrationAdminPagesController,
        RegistrationController,
        RegistrationPagesController,
        RegistrationSettingsPagesController,
        WorkshopPagesController,
        WorkshopsController,
        SurveyAdminPagesController,
        SurveyPagesController,
        SurveysController,
        TeamPagesController,
      ],
      providers: [CsrfService, { provide: APP_GUARD, useClass: ThrottlerGuard }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ActorMiddleware, PageLocalsMiddleware).forRoutes('{*path}');
  }
}
