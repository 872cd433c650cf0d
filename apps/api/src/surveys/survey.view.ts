import type {
  ParticipationView,
  SurveyDefinition,
  SurveyQuestion,
  SurveyResults,
  SurveySection,
} from '@assises/surveys';

export function sectionJson(section: SurveySection) {
  return {
    id: section.id,
    titleFr: section.titleFr,
    titleEn: section.titleEn,
    position: section.position,
  };
}

export function questionJson(q: SurveyQuestion) {
  return {
    id: q.id,
    sectionId: q.sectionId,
    key: q.key,
    kind: q.kind,
    labelFr: q.labelFr,
    labelEn: q.labelEn,
    helpFr: q.helpFr,
    helpEn: q.helpEn,
    options: q.options,
    required: q.required,
    stakeholderTypes: q.stakeholderTypes,
    position: q.position,
  };
}

export function surveyJson({ survey, edition, sections }: SurveyDefinition) {
  return {
    edition: edition.slug,
    opensAt: survey.opensAt.toISOString(),
    closesAt: survey.closesAt.toISOString(),
    anonymous: survey.anonymous,
    allowChanges: survey.allowChanges,
    invitationDelayHours: survey.invitationDelayHours,
    reminderDays: survey.reminderDays,
    maxReminders: survey.maxReminders,
    introFr: survey.introFr,
    introEn: survey.introEn,
    invitationsCreatedAt: survey.invitationsCreatedAt?.toISOString() ?? null,
    sections: sections.map(({ section, questions }) => ({
      ...sectionJson(section),
      questions: questions.map(questionJson),
    })),
  };
}

/** What an invitee sees: never the other invitees, never the token. */
export function participationJson(view: ParticipationView) {
  return {
    edition: { slug: view.edition.slug, title: view.edition.title },
    state: view.state,
    opensAt: view.survey.opensAt.toISOString(),
    closesAt: view.survey.closesAt.toISOString(),
    anonymous: view.survey.anonymous,
    allowChanges: view.survey.allowChanges,
    introFr: view.survey.introFr,
    introEn: view.survey.introEn,
    workshops: view.workshops,
    sections: view.sections.map(({ section, questions }) => ({
      titleFr: section.titleFr,
      titleEn: section.titleEn,
      questions: questions.map((q) => ({
        key: q.key,
        kind: q.kind,
        labelFr: q.labelFr,
        labelEn: q.labelEn,
        helpFr: q.helpFr,
        helpEn: q.helpEn,
        options: q.options,
        required: q.required,
      })),
    })),
    answers: view.answers,
    hasDraft: view.hasDraft,
  };
}

export function resultsJson(results: SurveyResults) {
  return {
    edition: results.definition.edition.slug,
    anonymous: results.definition.survey.anonymous,
    filters: results.filters,
    responses: results.responses,
    rates: results.rates,
    previous: results.previous
      ? { edition: results.previous.edition.slug, rates: results.previous.rates }
      : null,
    questions: results.questions.map((r) => ({
      key: r.question.key,
      kind: r.question.kind,
      labelFr: r.question.labelFr,
      labelEn: r.question.labelEn,
      answered: r.answered,
      bars: r.bars,
      mean: r.mean,
      median: r.median,
      nps: r.nps,
      texts: r.texts,
      textTotal: r.textTotal,
      matrix: r.matrix,
    })),
  };
}
