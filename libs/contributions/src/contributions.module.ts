import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CallFormat } from './call-format.entity';
import { CallTheme } from './call-theme.entity';
import { Call } from './call.entity';
import { ProposalSpeaker } from './proposal-speaker.entity';
import { Proposal } from './proposal.entity';

/** The call for contributions: call, formats, themes, proposals and their speakers. */
@Module({
  imports: [TypeOrmModule.forFeature([Call, CallFormat, CallTheme, Proposal, ProposalSpeaker])],
})
export class ContributionsModule {}
