import { Locale } from '@assises/core';
import type { Edition } from '@assises/editions';
import type { MailAttachment } from '@assises/mail';
import { DateTime } from 'luxon';
import { formatCheckInCode } from './check-in-code';

/** The content id of the QR code image in confirmation emails (`<img src="cid:…">`). */
export const QR_CID = 'check-in-qr@assises';

/** An instant as people read it in the event's timezone: "3 Mar 2027, 09:00 (Europe/Paris)". */
export function formatInstant(instant: Date, zone: string, locale: Locale): string {
  const text = DateTime.fromJSDate(instant, { zone })
    .setLocale(locale === 'en' ? 'en-GB' : 'fr-FR')
    .toLocaleString(DateTime.DATETIME_MED);
  return `${text} (${zone})`;
}

// Formatting dates through Intl costs about a millisecond: every confirmation of an edition
// says the same thing, so the text is remembered (by its inputs; a few editions at most).
const whenTexts = new Map<string, string>();

/** "10 March 2027, 09:00 – 11 March 2027, 17:00 (Europe/Paris)" in the reader's language. */
export function eventWhen(edition: Edition, locale: Locale): string {
  const key = `${edition.startsAt.getTime()}|${edition.endsAt.getTime()}|${edition.timezone}|${locale}`;
  let text = whenTexts.get(key);
  if (text === undefined) {
    const fmt = (d: Date) =>
      DateTime.fromJSDate(d, { zone: edition.timezone })
        .setLocale(locale === 'en' ? 'en-GB' : 'fr-FR')
        .toLocaleString(DateTime.DATETIME_MED);
    text = `${fmt(edition.startsAt)} – ${fmt(edition.endsAt)} (${edition.timezone})`;
    if (whenTexts.size >= 100) whenTexts.clear();
    whenTexts.set(key, text);
  }
  return text;
}

export function eventWhere(edition: Edition): string {
  return [edition.venueName, edition.venueAddress, edition.hostCity].filter(Boolean).join(', ');
}

/** What a confirmation carries: the event for calendars and the QR code of the check-in code,
 * both stored as data and drawn by the worker when it sends the message. */
export function confirmationAttachments(
  edition: Edition,
  checkInCode: string,
  manageUrl: string,
): MailAttachment[] {
  return [
    {
      filename: `${edition.slug}.ics`,
      contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      calendar: {
        calendarName: edition.title,
        uid: `edition-${edition.id}@assises`,
        start: edition.startsAt.toISOString(),
        end: edition.endsAt.toISOString(),
        summary: edition.title,
        location: eventWhere(edition),
        description: edition.description,
        url: manageUrl,
      },
    },
    {
      filename: `check-in-${formatCheckInCode(checkInCode)}.png`,
      contentType: 'image/png',
      qrCode: checkInCode,
      cid: QR_CID,
    },
  ];
}
