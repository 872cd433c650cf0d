import type { AppConfig } from '@assises/config';
import {
  SurveyAttendee,
  SurveyAudience,
  SurveyAudienceWorkshop,
  surveyToken,
} from '@assises/surveys';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { randomBytes } from 'node:crypto';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { SurveySweep } from '../../apps/worker/src/sweeps/survey.sweep';

/**
 * The SurveyAudience of the tests: attendees and workshops the test puts in, per edition, in
 * place of registration's (not built yet).
 */
export class FixedSurveyAudience extends SurveyAudience {
  private readonly attendees = new Map<string, SurveyAttendee[]>();
  private readonly workshops = new Map<string, SurveyAudienceWorkshop[]>();

  /** Adds attendees (valid defaults: checked in, French, a coworking operator in a city). */
  add(editionId: string, people: Partial<SurveyAttendee>[]): SurveyAttendee[] {
    const rows = people.map((p) => {
      const suffix = randomBytes(4).toString('hex');
      return {
        registrationId: `reg-${suffix}`,
        name: `Dominique ${suffix}`,
        email: `attendee-${suffix}@example.org`,
        locale: 'fr',
        stakeholderType: 'coworking_operator',
        territoryType: 'urban',
        checkedIn: true,
        workshopIds: [],
        ...p,
      };
    });
    this.attendees.set(editionId, [...(this.attendees.get(editionId) ?? []), ...rows]);
    return rows;
  }

  setWorkshops(editionId: string, workshops: SurveyAudienceWorkshop[]): void {
    this.workshops.set(editionId, workshops);
  }

  attendeesOf(editionId: string): Promise<SurveyAttendee[]> {
    return Promise.resolve(this.attendees.get(editionId) ?? []);
  }

  workshopsOf(editionId: string): Promise<SurveyAudienceWorkshop[]> {
    return Promise.resolve(this.workshops.get(editionId) ?? []);
  }
}

/**
 * A worker whose SurveyAudience is `audience` and whose repeatable survey sweep is off, so the
 * test decides when (and at what time) the sweep runs: `app.get(SurveyMailingService).sweep(at)`.
 */
export async function startSurveyWorker(
  config: AppConfig,
  audience: SurveyAudience,
): Promise<INestApplicationContext> {
  const moduleRef = await Test.createTestingModule({ imports: [WorkerModule.forRoot(config)] })
    .overrideProvider(SurveyAudience)
    .useValue(audience)
    .overrideProvider(SurveySweep)
    .useValue({})
    .compile();
  moduleRef.useLogger(moduleRef.get(Logger));
  await moduleRef.init();
  return moduleRef;
}

/** The token of an invitation's emailed link, as the mail carries it. */
export function tokenOf(config: AppConfig, invitationId: string): string {
  return surveyToken(config.session.secret, invitationId);
}
