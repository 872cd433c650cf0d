import {
  formatCheckInCode,
  RegistrationState,
  type CheckInResult,
  type RegistrationDashboard,
  type RegistrationRow,
  type RegistrationSettingsView,
  type RegistrationView,
} from '@assises/registration';

/** A registration as its manage link shows it: what the attendee gave, never a token. */
export function registrationJson({ registration: r, category, position }: RegistrationView) {
  return {
    id: r.id,
    status: r.state,
    position: position ?? undefined,
    category: { key: category.key, nameFr: category.nameFr, nameEn: category.nameEn },
    name: r.name,
    email: r.email,
    organisation: r.organisation,
    role: r.role,
    stakeholderType: r.stakeholderType,
    territoryType: r.territoryType,
    cityOrRegion: r.cityOrRegion,
    heardFrom: r.heardFrom,
    accessibilityNeeds: r.accessibilityNeeds,
    dietaryNeeds: r.dietaryNeeds,
    publicListing: r.publicListing,
    answers: r.answers,
    locale: r.locale,
    privacyNoticeVersion: r.privacyNoticeVersion,
    privacyConsentedAt: r.privacyConsentedAt.toISOString(),
    checkInCode: r.state === RegistrationState.Confirmed ? formatCheckInCode(r.checkInCode) : null,
    offerExpiresAt: r.offerExpiresAt ? r.offerExpiresAt.toISOString() : null,
    checkedInAt: r.checkedInAt ? r.checkedInAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
  };
}

/** A row of the organisers' list. */
export function registrationRowJson(r: RegistrationRow) {
  return {
    id: r.id,
    status: r.state,
    category: r.categoryKey,
    name: r.name,
    email: r.email,
    organisation: r.organisation,
    role: r.role,
    stakeholderType: r.stakeholderType,
    territoryType: r.territoryType,
    cityOrRegion: r.cityOrRegion,
    accessibilityNeeds: r.accessibilityNeeds,
    dietaryNeeds: r.dietaryNeeds,
    publicListing: r.publicListing,
    checkedInAt: r.checkedInAt ? r.checkedInAt.toISOString() : null,
    createdAt: r.createdAt.toISOString(),
  };
}

export function settingsJson({ edition, settings, categories }: RegistrationSettingsView) {
  return {
    edition: edition.slug,
    opensAt: settings.opensAt.toISOString(),
    closesAt: settings.closesAt.toISOString(),
    capacity: settings.capacity ?? edition.capacity,
    followsEditionCapacity: settings.capacity === null,
    seatsLeft: Math.max(0, settings.seatsLeft),
    waitlistMode: settings.waitlistMode,
    offerHours: settings.offerHours,
    reminderDays: settings.reminderDays,
    privacyNoticeVersion: settings.privacyNoticeVersion,
    questions: settings.questions,
    categories: categories.map((c) => ({
      key: c.key,
      nameFr: c.nameFr,
      nameEn: c.nameEn,
      hidden: c.hidden,
      quota: c.quota,
      seatsLeft: c.seatsLeft,
    })),
  };
}

export function dashboardJson(d: RegistrationDashboard) {
  const { edition, ...rest } = d;
  return { edition: edition.slug, ...rest };
}

export function checkInJson(result: CheckInResult) {
  const r = result.registration;
  return {
    id: r.id,
    name: r.name,
    organisation: r.organisation,
    category: result.categoryKey,
    already: result.already,
    checkedInAt: r.checkedInAt ? r.checkedInAt.toISOString() : null,
    checkedIn: result.checkedIn,
    confirmed: result.confirmed,
  };
}
