import { EditionCloneRegistry } from '@assises/editions';
import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallFormat } from './call-format.entity';
import { CallQuestion } from './call-question.entity';
import { CallTheme } from './call-theme.entity';
import { Call } from './call.entity';
import { CallService } from './call.service';
import { DecisionService } from './decisions/decision.service';
import { ExportService } from './decisions/export.service';
import { StakeholderMixService } from './decisions/stakeholder-mix.service';
import { ProposalService } from './proposal.service';
import { ProposalSpeaker } from './proposal-speaker.entity';
import { Proposal } from './proposal.entity';
import { ReviewAssignment } from './review-assignment.entity';
import { ReviewCriterion } from './review-criterion.entity';
import { Review } from './review.entity';

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
  providers: [CallService, ProposalService, DecisionService, ExportService, StakeholderMixService],
  exports: [CallService, ProposalService, DecisionService, ExportService, StakeholderMixService],
})
export class ContributionsModule implements OnModuleInit {
  constructor(
    private readonly cloneSteps: EditionCloneRegistry,
    private readonly calls: CallService,
  ) {}

  /** A new edition started from a previous one gets its call, formats and themes. */
  onModuleInit(): void {
    this.cloneSteps.register(this.calls);
  }
}
