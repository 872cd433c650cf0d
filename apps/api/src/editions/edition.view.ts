import type { Edition } from '@assises/editions';

/** The public JSON shape of an edition. */
export function editionJson(edition: Edition) {
  return {
    slug: edition.slug,
    title: edition.title,
    hostCity: edition.hostCity,
    hostOrganisation: edition.hostOrganisation,
    venueName: edition.venueName,
    venueAddress: edition.venueAddress,
    description: edition.description,
    timezone: edition.timezone,
    startsAt: edition.startsAt.toISOString(),
    endsAt: edition.endsAt.toISOString(),
    status: edition.status,
    defaultLocale: edition.defaultLocale,
    capacity: edition.capacity,
    attendanceCount: edition.attendanceCount,
    url: `/e/${edition.slug}`,
  };
}
