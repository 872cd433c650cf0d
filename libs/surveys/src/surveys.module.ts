import { EditionCloneRegistry } from '@assises/editions';
import { Registration } from '@assises/registration';
import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EditionReport } from './edition-report.entity';
import { CallContributionsRecord, PublishedProgrammeRecord } from './edition-record.adapters';
import { ContributionsRecordSource, ProgrammeRecordSource } from './edition-record.port';
import { EditionReportService } from './edition-report.service';
import { RegistrationSurveyAudience } from './registration-survey-audience';
import { SurveyAudience } from './survey-audience.port';
import { SurveyBuilderService } from './survey-builder.service';
import { SurveyDraft } from './survey-draft.entity';
import { SurveyInvitation } from './survey-invitation.entity';
import { SurveyMailingService } from './survey-mailing.service';
import { SurveyParticipationService } from './survey-participation.service';
import { SurveyQuestion } from './survey-question.entity';
import { SurveyResponse } from './survey-response.entity';
import { SurveyResultsService } from './survey-results.service';
import { SurveySection } from './survey-section.entity';
import { Survey } from './survey.entity';

/**
 * Evaluation: the survey builder, invitations and reminders, answers, results. Who is invited
 * comes through the SurveyAudience port, read from registration (confirmed registrations and
 * their check-in).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      EditionReport,
      Registration,
      Survey,
      SurveyDraft,
      SurveyInvitation,
      SurveyQuestion,
      SurveyResponse,
      SurveySection,
    ]),
  ],
  providers: [
    { provide: ContributionsRecordSource, useClass: CallContributionsRecord },
    EditionReportService,
    { provide: ProgrammeRecordSource, useClass: PublishedProgrammeRecord },
    { provide: SurveyAudience, useClass: RegistrationSurveyAudience },
    SurveyBuilderService,
    SurveyMailingService,
    SurveyParticipationService,
    SurveyResultsService,
  ],
  exports: [
    EditionReportService,
    SurveyAudience,
    SurveyBuilderService,
    SurveyMailingService,
    SurveyParticipationService,
    SurveyResultsService,
  ],
})
export class SurveysModule implements OnModuleInit {
  constructor(
    private readonly cloneSteps: EditionCloneRegistry,
    private readonly builder: SurveyBuilderService,
  ) {}

  /** A new edition started from a previous one gets its survey (without invitations or answers). */
  onModuleInit(): void {
    this.cloneSteps.register(this.builder);
  }
}
