import type { CallFormat, CallQuestion, CallTheme, CallView } from '@assises/contributions';

export function formatJson(f: CallFormat) {
  return {
    id: f.id,
    key: f.key,
    nameFr: f.nameFr,
    nameEn: f.nameEn,
    defaultDurationMinutes: f.defaultDurationMinutes,
    minSpeakers: f.minSpeakers,
    maxSpeakers: f.maxSpeakers,
    deadline: f.deadline ? f.deadline.toISOString() : null,
  };
}

export function themeJson(t: CallTheme) {
  return {
    id: t.id,
    nameFr: t.nameFr,
    nameEn: t.nameEn,
    description: t.description,
  };
}

export function questionJson(q: CallQuestion) {
  return {
    id: q.id,
    key: q.key,
    kind: q.kind,
    labelFr: q.labelFr,
    labelEn: q.labelEn,
    helpFr: q.helpFr,
    helpEn: q.helpEn,
    options: q.options,
    required: q.required,
    formatKeys: q.formatKeys,
    minLength: q.minLength,
    maxLength: q.maxLength,
    lengthUnit: q.lengthUnit,
    minValue: q.minValue === null ? null : Number(q.minValue),
    maxValue: q.maxValue === null ? null : Number(q.maxValue),
  };
}

/** The public JSON shape of a call, with its formats, themes and questions in order. */
export function callJson({ call, edition, formats, themes, questions }: CallView) {
  return {
    edition: edition.slug,
    timezone: edition.timezone,
    opensAt: call.opensAt.toISOString(),
    closesAt: call.closesAt.toISOString(),
    introduction: call.introduction,
    formats: formats.map(formatJson),
    themes: themes.map(themeJson),
    questions: questions.map(questionJson),
  };
}

/** What organisers see besides the public call: the review and reminder settings. */
export function callSettingsJson(view: CallView) {
  return {
    ...callJson(view),
    draftReminderDays: view.call.draftReminderDays,
    blindReview: view.call.blindReview,
    reviewsPerProposal: view.call.reviewsPerProposal,
    confirmationReminderDays: view.call.confirmationReminderDays,
  };
}
