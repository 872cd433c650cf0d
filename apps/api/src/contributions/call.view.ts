import type { CallView } from '@assises/contributions';

/** The public JSON shape of a call, with its formats and themes in order. */
export function callJson({ call, edition, formats, themes }: CallView) {
  return {
    edition: edition.slug,
    timezone: edition.timezone,
    opensAt: call.opensAt.toISOString(),
    closesAt: call.closesAt.toISOString(),
    introduction: call.introduction,
    formats: formats.map((f) => ({
      id: f.id,
      key: f.key,
      nameFr: f.nameFr,
      nameEn: f.nameEn,
      defaultDurationMinutes: f.defaultDurationMinutes,
      minSpeakers: f.minSpeakers,
      maxSpeakers: f.maxSpeakers,
      deadline: f.deadline ? f.deadline.toISOString() : null,
    })),
    themes: themes.map((t) => ({
      id: t.id,
      nameFr: t.nameFr,
      nameEn: t.nameEn,
      description: t.description,
    })),
  };
}
