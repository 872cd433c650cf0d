import { EditionCloneRegistry } from '@assises/editions';
import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallFormat } from './call-format.entity';
import { CallQuestion } from './call-question.entity';
import { CallTheme } from './call-theme.entity';
import { Call } from './call.entity';
import { CallService } from './call.service';
import { CallSettingsService } from './call-settings.service';
import { DraftReminders } from './draft-reminders';
import { DecisionService } from './decisions/decision.service';
import { ExportService } from './decisions/export.service';
import { StakeholderMixService } from './decisions/stakeholder-mix.service';
import { ProposalService } from './proposal.service';
import { ProposalSpeaker } from './proposal-speaker.entity';
import { Proposal } from './proposal.entity';
import { ReviewAssignment } from './review-assignment.entity';
import { ReviewCriterion } from './review-criterion.entity';
import { Review } from './review.entity';
import { CriteriaService } from './review/criteria.service';
import { ReviewService } from './review/review.service';

/** The call for contributions: call, formats, themes, proposals and their speakers. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      Call,
      CallFormat,
      CallQuestion,
      CallTheme,
      Proposal,
      ProposalSpeaker,
      Review,
      ReviewAssignment,
      ReviewCriterion,
    ]),
  ],
  providers: [
    CallService,
    CallSettingsService,
    CriteriaService,
    DecisionService,
    DraftReminders,
    ExportService,
    ProposalService,
    ReviewService,
    StakeholderMixService,
  ],
  exports: [
    CallService,
    CallSettingsService,
    CriteriaService,
    DecisionService,
    ExportService,
    ProposalService,
    ReviewService,
    StakeholderMixService,
  ],
})
export class ContributionsModule implements OnModuleInit {
  constructor(
    private readonly cloneSteps: EditionCloneRegistry,
    private readonly calls: CallService,
    private readonly criteria: CriteriaService,
  ) {}

  /** A new edition started from a previous one gets its call, formats and themes. */
  onModuleInit(): void {
    this.cloneSteps.register(this.calls);
    this.cloneSteps.register(this.criteria);
  }
}
