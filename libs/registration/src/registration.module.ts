import { EditionChangeRegistry, EditionCloneRegistry } from '@assises/editions';
import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InvitationCode } from './invitation-code.entity';
import { RegistrationAdminService } from './registration-admin.service';
import { RegistrationExports } from './registration-exports';
import { RegistrationSettings } from './registration-settings.entity';
import { Registration } from './registration.entity';
import { RegistrationService } from './registration.service';
import { TicketCategory } from './ticket-category.entity';

/** Registration: settings, categories, invitation codes, registrations, waiting list, check-in. */
@Module({
  imports: [
    TypeOrmModule.forFeature([InvitationCode, Registration, RegistrationSettings, TicketCategory]),
  ],
  providers: [RegistrationAdminService, RegistrationExports, RegistrationService],
  exports: [RegistrationAdminService, RegistrationExports, RegistrationService],
})
export class RegistrationModule implements OnModuleInit {
  constructor(
    private readonly cloneSteps: EditionCloneRegistry,
    private readonly changes: EditionChangeRegistry,
    private readonly admin: RegistrationAdminService,
  ) {}

  /** A new edition copies the registration settings; a changed edition moves reminders and seats. */
  onModuleInit(): void {
    this.cloneSteps.register(this.admin);
    this.changes.register(this.admin);
  }
}
