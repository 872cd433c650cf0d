import {
  formatCheckInCode,
  RegistrationState,
  type CheckInResult,
  type MixCell,
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

/** A share of a total as a whole percentage (12 for 12 %), or null when there is no total. */
const share = (n: number, total: number) => (total > 0 ? Math.round((100 * n) / total) : null);

/**
 * The stakeholder mix as a table (stakeholder type × territory type), each cell with its count
 * and share, beside the previous edition's share when there is one. Only types met in either
 * edition are listed.
 */
export function mixTable(d: RegistrationDashboard, stakeholders: string[], territories: string[]) {
  const count = (mix: MixCell[], s: string, t?: string) =>
    mix
      .filter((m) => m.stakeholderType === s && (t === undefined || m.territoryType === t))
      .reduce((sum, m) => sum + m.count, 0);
  const total = d.mix.reduce((sum, m) => sum + m.count, 0);
  const before = d.previous;
  const cell = (s: string, t?: string) => {
    const n = count(d.mix, s, t);
    const p = before ? count(before.mix, s, t) : 0;
    return {
      count: n,
      share: share(n, total),
      previousCount: before ? p : null,
      previousShare: before ? share(p, before.confirmed) : null,
    };
  };
  return {
    total,
    previous: before ? { title: before.title, confirmed: before.confirmed } : null,
    territories,
    rows: stakeholders
      .map((s) => ({ type: s, cells: territories.map((t) => cell(s, t)), all: cell(s) }))
      .filter((row) => row.all.count > 0 || (row.all.previousCount ?? 0) > 0),
  };
}
