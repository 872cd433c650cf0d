import { EditionChangeRegistry, EditionCloneRegistry } from '@assises/editions';
import { InterestRegistry, ProgrammeModule, PublicationListeners } from '@assises/programme';
import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InvitationCode } from './invitation-code.entity';
import { RegistrationAdminService } from './registration-admin.service';
import { RegistrationExports } from './registration-exports';
import { RegistrationSettings } from './registration-settings.entity';
import { Registration } from './registration.entity';
import { RegistrationService } from './registration.service';
import { TicketCategory } from './ticket-category.entity';
import { SessionInterest, WorkshopSeats, WorkshopSignup } from './workshop.entities';
import { WorkshopAdminService } from './workshop-admin.service';
import { WorkshopService } from './workshop.service';

/**
 * Registration: settings, categories, invitation codes, registrations, waiting list, check-in,
 * interest marks and workshop sign-ups.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      InvitationCode,
      Registration,
      RegistrationSettings,
      TicketCategory,
      SessionInterest,
      WorkshopSeats,
      WorkshopSignup,
    ]),
    ProgrammeModule,
  ],
  providers: [
    RegistrationAdminService,
    RegistrationExports,
    RegistrationService,
    WorkshopAdminService,
    WorkshopService,
  ],
  exports: [
    RegistrationAdminService,
    RegistrationExports,
    RegistrationService,
    WorkshopAdminService,
    WorkshopService,
  ],
})
export class RegistrationModule implements OnModuleInit {
  constructor(
    private readonly cloneSteps: EditionCloneRegistry,
    private readonly changes: EditionChangeRegistry,
    private readonly admin: RegistrationAdminService,
    private readonly interests: InterestRegistry,
    private readonly publications: PublicationListeners,
    private readonly workshops: WorkshopService,
  ) {}

  /**
   * A new edition copies the registration settings; a changed edition moves reminders and seats;
   * a published programme version resizes workshop seats.
   */
  onModuleInit(): void {
    this.cloneSteps.register(this.admin);
    this.changes.register(this.admin);
    // Attendees' interest marks are the programme's demand (programme cannot import registration).
    this.interests.register(this.workshops);
    // Each published version resizes workshop seats and tells attendees of changed workshops.
    this.publications.register(this.workshops);
  }
}
