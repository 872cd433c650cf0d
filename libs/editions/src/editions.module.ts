import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EditionChangeRegistry } from './edition-change.port';
import { EditionCloneRegistry } from './edition-clone.port';
import { Edition } from './edition.entity';
import { EditionService } from './edition.service';
import { Invitation } from './invitation.entity';
import { Membership } from './membership.entity';
import { TeamService } from './team.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Edition, Invitation, Membership])],
  providers: [EditionChangeRegistry, EditionCloneRegistry, EditionService, TeamService],
  exports: [EditionChangeRegistry, EditionCloneRegistry, EditionService, TeamService],
})
export class EditionsModule {}
