import { Registration, RegistrationState } from '@assises/registration';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SurveyAttendee, SurveyAudience, SurveyAudienceWorkshop } from './survey-audience.port';

/**
 * The SurveyAudience read from registration: every confirmed registration of the edition
 * (cancelled, waiting, offered and expired ones are not attendees), checked in when the desk
 * recorded it. The sweep and the report choose among them (the checked-in ones, or all when
 * nobody was checked in).
 */
@Injectable()
export class RegistrationSurveyAudience extends SurveyAudience {
  constructor(
    @InjectRepository(Registration) private readonly registrations: Repository<Registration>,
  ) {
    super();
  }

  async attendeesOf(editionId: string): Promise<SurveyAttendee[]> {
    const rows = await this.registrations.find({
      select: {
        id: true,
        seq: true,
        name: true,
        email: true,
        locale: true,
        stakeholderType: true,
        territoryType: true,
        checkedInAt: true,
      },
      where: { editionId, state: RegistrationState.Confirmed },
      order: { seq: 'ASC' },
    });
    return rows.map((r) => ({
      registrationId: r.id,
      name: r.name,
      email: r.email,
      locale: r.locale,
      stakeholderType: r.stakeholderType,
      territoryType: r.territoryType,
      checkedIn: r.checkedInAt !== null,
      workshopIds: [],
    }));
  }

  /** Registration has no workshop sign-ups yet: no workshop matrix rows. */
  workshopsOf(): Promise<SurveyAudienceWorkshop[]> {
    return Promise.resolve([]);
  }
}
