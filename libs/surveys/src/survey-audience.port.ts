/** Who comes to an edition, as registration knows it. */
export const STAKEHOLDER_TYPES = [
  'coworking_operator',
  'project_holder',
  'coworker_independent',
  'local_authority',
  'academic_researcher',
  'company',
  'association_network',
  'other',
] as const;
export type StakeholderType = (typeof STAKEHOLDER_TYPES)[number];

export const TERRITORY_TYPES = ['urban', 'periurban', 'rural'] as const;
export type TerritoryType = (typeof TERRITORY_TYPES)[number];

export interface SurveyAttendee {
  registrationId: string;
  name: string;
  email: string;
  locale: string;
  stakeholderType: string;
  territoryType: string;
  /** Checked in at the event. */
  checkedIn: boolean;
  /** Workshops they signed up for (the rows of the workshop matrix); empty when unknown. */
  workshopIds?: string[];
}

export interface SurveyAudienceWorkshop {
  id: string;
  titleFr: string;
  titleEn: string;
}

/**
 * A port that registration implements: the confirmed attendees of an edition (with whether they
 * were checked in) and its workshops. Surveys sit above registration in the design, but the two
 * are built in parallel, so the survey lib owns this interface and the api/worker wire
 * registration's implementation in place of the default.
 */
export abstract class SurveyAudience {
  abstract attendeesOf(editionId: string): Promise<SurveyAttendee[]>;
  abstract workshopsOf(editionId: string): Promise<SurveyAudienceWorkshop[]>;
}

/** Until registration is wired: nobody to invite. */
export class NoSurveyAudience extends SurveyAudience {
  attendeesOf(): Promise<SurveyAttendee[]> {
    return Promise.resolve([]);
  }
  workshopsOf(): Promise<SurveyAudienceWorkshop[]> {
    return Promise.resolve([]);
  }
}
