import { PublishedProgramme, sessionUrl } from './published';

/**
 * Our JSON of a published programme (documented in the README): the version, the edition, rooms,
 * themes, fixed blocks, days, sessions with their speakers and public page, and the changelog.
 */
export function programmeJson(published: PublishedProgramme, baseUrl: string) {
  const { snapshot } = published;
  return {
    version: {
      number: published.number,
      name: published.name,
      publishedAt: published.publishedAt.toISOString(),
    },
    edition: snapshot.edition,
    days: snapshot.days,
    stepMinutes: snapshot.stepMinutes,
    rooms: snapshot.rooms,
    themes: snapshot.themes,
    blocks: snapshot.blocks,
    sessions: snapshot.sessions.map((session) => ({
      ...session,
      url: sessionUrl(baseUrl, snapshot.edition.slug, session.id),
    })),
    changelog: published.changelog,
  };
}
