import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FixedBlock } from './fixed-block.entity';
import { ProgrammeGrid } from './programme-grid.entity';
import { ProgrammeSession } from './programme-session.entity';
import { Room } from './room.entity';
import { ScheduleVersion } from './schedule-version.entity';
import { SchedulingRun } from './scheduling-run.entity';
import { SessionSpeaker } from './session-speaker.entity';

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
  providers: [],
  exports: [],
})
export class ProgrammeModule {}
