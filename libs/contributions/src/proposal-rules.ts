import { DateTime } from 'luxon';
import { CallFormat } from './call-format.entity';
import { CallQuestion, QuestionKind } from './call-question.entity';

/** What is wrong with one field, as a rule name and its numbers (translated by the pages). */
export interface Problem {
  rule: ProblemRule;
  n?: number | string;
  m?: number | string;
}

export type ProblemRule =
  | 'duplicate_emails'
  | 'not_a_number'
  | 'not_a_url'
  | 'not_text'
  | 'not_yes_no'
  | 'required'
  | 'speakers_count'
  | 'speakers_locked'
  | 'speakers_max'
  | 'too_large'
  | 'too_long'
  | 'too_many_words'
  | 'too_short'
  | 'too_small'
  | 'too_few_words'
  | 'unknown_option'
  | 'unknown_question';

/** Field → problems; answers are `answers.<question key>`, speakers `speakers.<i>.<field>`. */
export type Problems = Record<string, Problem[]>;

/** Ceilings for answers whose question sets no maximum: nothing oversized is stored. */
const TEXT_CEILING: Partial<Record<QuestionKind, number>> = {
  [QuestionKind.ShortText]: 500,
  [QuestionKind.LongText]: 10_000,
  [QuestionKind.Url]: 2_000,
};

/** The English message of a problem, for the JSON API's `fields`. */
export function problemText(field: string, p: Problem): string {
  switch (p.rule) {
    case 'required':
      return `${field} is required`;
    case 'too_short':
      return `${field} must be at least ${p.n} characters`;
    case 'too_long':
      return `${field} must be at most ${p.n} characters`;
    case 'too_few_words':
      return `${field} must be at least ${p.n} words`;
    case 'too_many_words':
      return `${field} must be at most ${p.n} words`;
    case 'not_a_number':
      return `${field} must be a number`;
    case 'too_small':
      return `${field} must be at least ${p.n}`;
    case 'too_large':
      return `${field} must be at most ${p.n}`;
    case 'not_a_url':
      return `${field} must be an http(s) address`;
    case 'not_text':
      return `${field} must be text`;
    case 'not_yes_no':
      return `${field} must be true or false`;
    case 'unknown_option':
      return `${field} must be one of the question's options`;
    case 'unknown_question':
      return `${field} is not a question of this call`;
    case 'speakers_count':
      return `speakers must be between ${p.n} and ${p.m} for this format`;
    case 'speakers_max':
      return `speakers must be at most ${p.n} for this format`;
    case 'speakers_locked':
      return 'speakers of a submitted proposal are added with POST /api/v1/proposals/:id/speakers';
    case 'duplicate_emails':
      return 'speakers must have different emails';
    default: {
      const unknown: never = p.rule;
      return `${field} is not valid (${String(unknown)})`;
    }
  }
}

/** The problems as the API's `fields` (English messages). */
export function problemFields(problems: Problems): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(problems).map(([field, list]) => [
      field,
      list.map((p) => problemText(field, p)),
    ]),
  );
}

function add(problems: Problems, field: string, problem: Problem): void {
  (problems[field] ??= []).push(problem);
}

const isBlank = (value: unknown) =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/** Does the question apply to proposals of this format? */
export function questionApplies(question: CallQuestion, formatKey: string): boolean {
  return question.formatKeys.length === 0 || question.formatKeys.includes(formatKey);
}

const countWords = (text: string) => text.split(/\s+/).filter(Boolean).length;

function checkLength(question: CallQuestion, field: string, text: string, problems: Problems) {
  const ceiling = TEXT_CEILING[question.kind];
  const chars = [...text].length;
  if (ceiling !== undefined && chars > ceiling)
    add(problems, field, { rule: 'too_long', n: ceiling });
  if (question.lengthUnit === 'words') {
    const words = countWords(text);
    if (question.minLength !== null && words < question.minLength)
      add(problems, field, { rule: 'too_few_words', n: question.minLength });
    if (question.maxLength !== null && words > question.maxLength)
      add(problems, field, { rule: 'too_many_words', n: question.maxLength });
  } else {
    if (question.minLength !== null && chars < question.minLength)
      add(problems, field, { rule: 'too_short', n: question.minLength });
    if (question.maxLength !== null && chars > question.maxLength && chars <= (ceiling ?? Infinity))
      add(problems, field, { rule: 'too_long', n: question.maxLength });
  }
}

/** One answer, checked and normalised for its question's kind; undefined when blank. */
function checkAnswer(
  question: CallQuestion,
  value: unknown,
  field: string,
  problems: Problems,
  draft: boolean,
): unknown {
  const keys = question.options.map((o) => o.key);
  switch (question.kind) {
    case QuestionKind.ShortText:
    case QuestionKind.LongText: {
      if (typeof value !== 'string') return add(problems, field, { rule: 'not_text' });
      const text = value.trim();
      const before = problems[field]?.length ?? 0;
      checkLength(question, field, text, problems);
      // A draft may stay short of a minimum; nothing may go over a maximum.
      if (draft && problems[field])
        problems[field] = problems[field].filter(
          (p, i) => i < before || !['too_short', 'too_few_words'].includes(p.rule),
        );
      if (problems[field]?.length === 0) delete problems[field];
      return text;
    }
    case QuestionKind.Url: {
      const text = typeof value === 'string' ? value.trim() : '';
      let ok = false;
      try {
        ok = ['http:', 'https:'].includes(new URL(text).protocol) && text.length <= 2000;
      } catch {
        ok = false;
      }
      if (!ok) add(problems, field, { rule: 'not_a_url' });
      return text;
    }
    case QuestionKind.Number: {
      const number =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && /^\s*-?\d+([.,]\d+)?\s*$/.test(value)
            ? Number(value.trim().replace(',', '.'))
            : NaN;
      if (!Number.isFinite(number)) {
        add(problems, field, { rule: 'not_a_number' });
        return undefined;
      }
      if (question.minValue !== null && number < Number(question.minValue))
        add(problems, field, { rule: 'too_small', n: Number(question.minValue) });
      if (question.maxValue !== null && number > Number(question.maxValue))
        add(problems, field, { rule: 'too_large', n: Number(question.maxValue) });
      return number;
    }
    case QuestionKind.YesNo: {
      if (value === true || value === 'yes' || value === 'true') return true;
      if (value === false || value === 'no' || value === 'false') return false;
      add(problems, field, { rule: 'not_yes_no' });
      return undefined;
    }
    case QuestionKind.SingleChoice: {
      if (typeof value !== 'string' || !keys.includes(value))
        add(problems, field, { rule: 'unknown_option' });
      return value;
    }
    case QuestionKind.MultipleChoice: {
      const list = Array.isArray(value) ? value : [value];
      if (list.some((v) => typeof v !== 'string' || !keys.includes(v)))
        add(problems, field, { rule: 'unknown_option' });
      // Kept in the options' order, each once.
      return keys.filter((k) => list.includes(k));
    }
    default: {
      const unknown: never = question.kind;
      throw new Error(`unknown question kind ${String(unknown)}`);
    }
  }
}

/**
 * Checks the answers to the call's questions for a proposal of `format`: only the questions of
 * that format count (answers to others are dropped: the form shows them all), required ones
 * must be answered unless it is a draft, each answer must fit its kind. Returns the answers to
 * store and the problems by field (`answers.<key>`).
 */
export function checkAnswers(
  questions: CallQuestion[],
  format: Pick<CallFormat, 'key'>,
  answers: Record<string, unknown> | undefined,
  draft: boolean,
): { answers: Record<string, unknown>; problems: Problems } {
  const problems: Problems = {};
  const clean: Record<string, unknown> = {};
  const given = answers ?? {};
  const byKey = new Map(questions.map((q) => [q.key, q]));
  for (const key of Object.keys(given))
    if (!byKey.has(key)) add(problems, `answers.${key}`, { rule: 'unknown_question' });
  for (const question of questions) {
    if (!questionApplies(question, format.key)) continue;
    const field = `answers.${question.key}`;
    const value = given[question.key];
    if (isBlank(value)) {
      if (question.required && !draft) add(problems, field, { rule: 'required' });
      continue;
    }
    const checked = checkAnswer(question, value, field, problems, draft);
    if (!isBlank(checked)) clean[question.key] = checked;
  }
  return { answers: clean, problems };
}

/** What a proposal needs besides its answers, as the submission checks it. */
export interface ProposalShape {
  title?: string | null;
  abstract?: string | null;
  language?: string | null;
  speakers: {
    name?: string | null;
    email?: string | null;
    stakeholderType?: string | null;
    territoryType?: string | null;
  }[];
}

/**
 * The rules a submission adds to the DTO's: the format's speaker bounds, different emails, and
 * (unless it is a draft, which needs only its format and the submitter's name and email) the
 * required fields, speakers' stakeholder and territory types included.
 */
export function checkProposal(
  proposal: ProposalShape,
  format: Pick<CallFormat, 'minSpeakers' | 'maxSpeakers'>,
  draft: boolean,
): Problems {
  const problems: Problems = {};
  const count = proposal.speakers.length;
  if (draft) {
    if (count > format.maxSpeakers)
      add(problems, 'speakers', { rule: 'speakers_max', n: format.maxSpeakers });
  } else if (count < format.minSpeakers || count > format.maxSpeakers) {
    add(problems, 'speakers', {
      rule: 'speakers_count',
      n: format.minSpeakers,
      m: format.maxSpeakers,
    });
  }
  const emails = proposal.speakers.map((s) => (s.email ?? '').toLowerCase());
  if (new Set(emails).size !== emails.length)
    add(problems, 'speakers', { rule: 'duplicate_emails' });
  if (!draft) {
    for (const field of ['title', 'abstract', 'language'] as const)
      if (isBlank(proposal[field])) add(problems, field, { rule: 'required' });
    proposal.speakers.forEach((speaker, i) => {
      for (const field of ['name', 'email', 'stakeholderType', 'territoryType'] as const)
        if (isBlank(speaker[field])) add(problems, `speakers.${i}.${field}`, { rule: 'required' });
    });
  }
  return problems;
}

/** The days of an event (YYYY-MM-DD in its timezone), first to last, at most 14. */
export function eventDays(startsAt: Date, endsAt: Date, zone: string): string[] {
  const days: string[] = [];
  let day = DateTime.fromJSDate(startsAt, { zone }).startOf('day');
  const last = DateTime.fromJSDate(endsAt, { zone }).startOf('day');
  while (day <= last && days.length < 14) {
    days.push(day.toISODate()!);
    day = day.plus({ days: 1 });
  }
  return days;
}

/** Availability must name days (or half-days) of the event. */
export function checkAvailability(availability: string[] | undefined, days: string[]): Problems {
  const wrong = (availability ?? []).filter((a) => !days.includes(a.slice(0, 10)));
  return wrong.length > 0 ? { availability: [{ rule: 'unknown_option' }] } : {};
}

/** Merges problem lists field by field. */
export function mergeProblems(...all: Problems[]): Problems {
  const merged: Problems = {};
  for (const problems of all)
    for (const [field, list] of Object.entries(problems)) (merged[field] ??= []).push(...list);
  return merged;
}
