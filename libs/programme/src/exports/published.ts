import type { Changelog, ProgrammeSnapshot } from '../core/snapshot';

/** A published version as the exports read it. */
export interface PublishedProgramme {
  number: number;
  name: string;
  publishedAt: Date;
  snapshot: ProgrammeSnapshot;
  changelog: Changelog;
}

/** Characters XML 1.0 cannot carry, and other controls no calendar wants. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;

/** Text as every export may carry it: no control characters (escaping is the writer's job). */
export function clean(text: string): string {
  return text.replace(CONTROL, '');
}

/** The public page of a session. */
export function sessionUrl(baseUrl: string, slug: string, sessionId: string): string {
  return `${baseUrl}/e/${encodeURIComponent(slug)}/programme/sessions/${sessionId}`;
}
