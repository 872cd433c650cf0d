import {
  CallView,
  Proposal,
  ProposalSpeaker,
  QuestionKind,
  questionApplies,
  StakeholderType,
  TerritoryType,
} from '@assises/contributions';
import type { Locale } from '@assises/core';
import type { FormErrors } from '../http/forms';

/** A submitted page form: flat names (`speakers.0.name`, `answers.transport`). */
export type FormBody = Record<string, unknown>;

/** What the contributor asked for with the button they pressed. */
export type FormAction = 'add-speaker' | 'draft' | 'submit';

const SPEAKER_FIELDS = [
  'bio',
  'cityOrRegion',
  'email',
  'name',
  'organisation',
  'role',
  'stakeholderType',
  'territoryType',
] as const;
const PROPOSAL_FIELDS = [
  'abstract',
  'description',
  'expectedAudience',
  'formatId',
  'language',
  'needs',
  'themeId',
  'title',
] as const;
const MAX_SPEAKER_BLOCKS = 12;

const text = (value: unknown): string =>
  typeof value === 'string' ? value : Array.isArray(value) ? String(value[0] ?? '') : '';
const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : [];

/** The speaker blocks of the form, in order (`speakers.<i>.<field>`), as typed. */
export function speakerBlocks(body: FormBody): Record<string, string>[] {
  let count = 1;
  for (const key of Object.keys(body)) {
    const match = /^speakers\.(\d+)\./.exec(key);
    if (match) count = Math.max(count, Number(match[1]) + 1);
  }
  count = Math.min(count, MAX_SPEAKER_BLOCKS);
  return Array.from({ length: count }, (_, i) =>
    Object.fromEntries(SPEAKER_FIELDS.map((f) => [f, text(body[`speakers.${i}.${f}`]).trim()])),
  );
}

/**
 * The form as the JSON API's SubmitProposalDto: empty inputs are absent, empty co-speaker blocks
 * dropped, numbers and yes/no read, multiple choices as lists.
 */
export function proposalInputFrom(
  body: FormBody,
  view: CallView,
  opts: { draft: boolean; withSpeakers: boolean; locale?: Locale },
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of PROPOSAL_FIELDS) {
    const value = text(body[field]);
    if (value.trim() !== '') input[field] = value;
  }
  const availability = list(body.availability);
  input.availability = availability;
  const answers: Record<string, unknown> = {};
  for (const q of view.questions) {
    const name = `answers.${q.key}`;
    if (q.kind === QuestionKind.MultipleChoice) {
      const chosen = list(body[name]);
      if (chosen.length > 0) answers[q.key] = chosen;
    } else if (text(body[name]).trim() !== '') answers[q.key] = text(body[name]);
  }
  input.answers = answers;
  if (opts.withSpeakers) {
    input.speakers = speakerBlocks(body)
      .filter((s, i) => i === 0 || Object.values(s).some((v) => v !== ''))
      .map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== '')));
  }
  if (opts.draft) input.draft = true;
  if (opts.locale) input.locale = opts.locale;
  return input;
}

/** Which button was pressed. */
export function formAction(body: FormBody): FormAction {
  const action = text(body._action);
  return action === 'add-speaker' || action === 'draft' ? action : 'submit';
}

/** The form's values from a stored proposal (the manage page's edit form). */
export function formValuesOf(proposal: Proposal, speakers: ProposalSpeaker[]): FormBody {
  const values: FormBody = {
    title: proposal.title,
    abstract: proposal.abstract,
    description: proposal.description,
    formatId: proposal.formatId,
    themeId: proposal.themeId ?? '',
    language: proposal.language,
    expectedAudience: proposal.expectedAudience ?? '',
    needs: proposal.needs,
    availability: proposal.availability,
  };
  for (const [key, answer] of Object.entries(proposal.answers)) {
    values[`answers.${key}`] =
      answer === true
        ? 'yes'
        : answer === false
          ? 'no'
          : Array.isArray(answer)
            ? answer
            : String(answer);
  }
  speakers.forEach((s, i) => {
    for (const f of SPEAKER_FIELDS) values[`speakers.${i}.${f}`] = s[f] ?? '';
  });
  return values;
}

/**
 * What the form partial needs: formats, themes, questions by kind with their current answers,
 * the event days, the speaker blocks, each with its values and errors.
 */
export function formModel(
  view: CallView,
  days: string[],
  values: FormBody,
  errors: FormErrors | undefined,
  opts: { withSpeakers: boolean; extraSpeaker?: boolean; lang: Locale },
) {
  const en = opts.lang === 'en';
  const formatNames = new Map(view.formats.map((f) => [f.key, en ? f.nameEn : f.nameFr]));
  const chosenFormat = view.formats.find((f) => f.id === text(values.formatId));
  const availability = list(values.availability);
  const blocks = speakerBlocks(values);
  if (opts.extraSpeaker && blocks.length < MAX_SPEAKER_BLOCKS)
    blocks.push(Object.fromEntries(SPEAKER_FIELDS.map((f) => [f, ''])));
  return {
    values,
    errors,
    formats: view.formats.map((f) => ({
      id: f.id,
      name: en ? f.nameEn : f.nameFr,
      duration: f.defaultDurationMinutes,
      minSpeakers: f.minSpeakers,
      maxSpeakers: f.maxSpeakers,
      selected: f.id === text(values.formatId),
    })),
    themes: view.themes.map((t) => ({
      id: t.id,
      name: en ? t.nameEn : t.nameFr,
      selected: t.id === text(values.themeId),
    })),
    days: days.map((day) => ({ day, checked: availability.includes(day) })),
    questions: view.questions.map((q) => {
      const name = `answers.${q.key}`;
      const answer = values[name];
      const chosen = list(answer);
      return {
        name,
        key: q.key,
        kind: q.kind,
        isText: q.kind === QuestionKind.ShortText || q.kind === QuestionKind.Url,
        inputType: q.kind === QuestionKind.Url ? 'url' : 'text',
        lengthNote: q.minLength !== null || q.maxLength !== null,
        lengthMin: q.minLength ?? 0,
        lengthMax: q.maxLength ?? '∞',
        isLong: q.kind === QuestionKind.LongText,
        isNumber: q.kind === QuestionKind.Number,
        isUrl: q.kind === QuestionKind.Url,
        isYesNo: q.kind === QuestionKind.YesNo,
        isSingle: q.kind === QuestionKind.SingleChoice,
        isMultiple: q.kind === QuestionKind.MultipleChoice,
        label: en ? q.labelEn : q.labelFr,
        help: en ? q.helpEn : q.helpFr,
        required: q.required,
        value: text(answer),
        yes: text(answer) === 'yes',
        no: text(answer) === 'no',
        maxLength: q.maxLength,
        minLength: q.minLength,
        words: q.lengthUnit === 'words',
        minValue: q.minValue,
        maxValue: q.maxValue,
        options: q.options.map((o) => ({
          key: o.key,
          label: en ? o.en : o.fr,
          checked: chosen.includes(o.key),
        })),
        formats: q.formatKeys.map((k) => formatNames.get(k) ?? k).join(', '),
        /** Shown, but answered only for its formats: say so (the form works without scripts). */
        limited: q.formatKeys.length > 0,
        applies: chosenFormat ? questionApplies(q, chosenFormat.key) : true,
      };
    }),
    withSpeakers: opts.withSpeakers,
    speakers: blocks.map((s, i) => ({
      index: i,
      number: i + 1,
      submitter: i === 0,
      nameAutocomplete: i === 0 ? 'name' : 'off',
      values: s,
      prefix: `speakers.${i}`,
      stakeholderTypes: Object.values(StakeholderType).map((v) => ({
        value: v,
        selected: s.stakeholderType === String(v),
      })),
      territoryTypes: Object.values(TerritoryType).map((v) => ({
        value: v,
        selected: s.territoryType === String(v),
      })),
    })),
    canAddSpeaker: blocks.length < MAX_SPEAKER_BLOCKS,
    languages: ['fr', 'en'].map((l) => ({
      value: l,
      selected: (text(values.language) || opts.lang) === l,
    })),
  };
}
