import icalModule from 'ical-generator';
import type { CalendarEvent } from './outbox-message.entity';

// ical-generator ships ESM and CJS; under CommonJS its function is the default export.
const ical = (icalModule as unknown as { default?: typeof icalModule }).default ?? icalModule;

/** The event as an iCal file (text is escaped by ical-generator: hostile titles stay text). */
export function calendarIcs(event: CalendarEvent): string {
  const calendar = ical({ name: event.calendarName, prodId: '//Assises//registration//FR' });
  calendar.createEvent({
    id: event.uid,
    start: new Date(event.start),
    end: new Date(event.end),
    summary: event.summary,
    location: event.location,
    description: event.description,
    url: event.url,
  });
  return calendar.toString();
}
