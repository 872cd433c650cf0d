import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FixedBlock } from './fixed-block.entity';
import { InterestRegistry } from './interest.port';
import { ProgrammeGrid } from './programme-grid.entity';
import { ProgrammeLoader } from './programme-loader';
import { ProgrammeSession } from './programme-session.entity';
import { ProgrammeSetupService } from './programme-setup.service';
import { PublicationListeners } from './publication.port';
import { PublicationService } from './publication.service';
import { Room } from './room.entity';
import { ScheduleVersion } from './schedule-version.entity';
import { SchedulingRun } from './scheduling-run.entity';
import { SchedulingService } from './scheduling.service';
import { SessionSpeaker } from './session-speaker.entity';
import { SessionService } from './session.service';

/** The programme: rooms, grid, sessions, the working and the published schedule, the scheduler. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      FixedBlock,
      ProgrammeGrid,
      ProgrammeSession,
      Room,
      ScheduleVersion,
      SchedulingRun,
      SessionSpeaker,
    ]),
  ],
  providers: [
    InterestRegistry,
    ProgrammeLoader,
    ProgrammeSetupService,
    PublicationListeners,
    PublicationService,
    SchedulingService,
    SessionService,
  ],
  exports: [
    InterestRegistry,
    ProgrammeSetupService,
    PublicationListeners,
    PublicationService,
    SchedulingService,
    SessionService,
  ],
})
export class ProgrammeModule {}
