import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EditionCloneRegistry } from './edition-clone.port';
import { Edition } from './edition.entity';
import { EditionService } from './edition.service';
import { Invitation } from './invitation.entity';
import { Membership } from './membership.entity';
import { TeamService } from './team.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Edition, Invitation, Membership])],
  providers: [EditionCloneRegistry, EditionService, TeamService],
  exports: [EditionCloneRegistry, EditionService, TeamService],
})
export class EditionsModule {}
