import { SurveyQuestion, SurveyQuestionKind } from './survey-question.entity';
import type { SurveyAnswers } from './survey-response.entity';

/** Longest free-text answer kept. */
export const MAX_TEXT_LENGTH = 5000;
export const SHORT_TEXT_LENGTH = 300;

/** What decides which questions an invitee sees. */
export interface AnswerContext {
  stakeholderType: string;
  workshopIds: string[];
}

/** Why an answer was refused; the pages translate `surveys.answer.<reason>`. */
export type AnswerProblem =
  'not_a_list' | 'out_of_range' | 'required' | 'too_long' | 'unknown_option' | 'unknown_workshop';

export interface CheckedAnswers {
  answers: SurveyAnswers;
  errors: Record<string, AnswerProblem[]>;
}

type Q = Pick<SurveyQuestion, 'key' | 'kind' | 'options' | 'required' | 'stakeholderTypes'>;

/** The questions this invitee is asked: stakeholder-specific ones and the matrix only when relevant. */
export function questionsFor<T extends Q>(questions: T[], context: AnswerContext): T[] {
  return questions.filter(
    (q) =>
      (q.stakeholderTypes.length === 0 || q.stakeholderTypes.includes(context.stakeholderType)) &&
      (q.kind !== SurveyQuestionKind.WorkshopMatrix || context.workshopIds.length > 0),
  );
}

const isBlank = (value: unknown) =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

/** An integer within bounds, from a number or a form's string; undefined otherwise. */
function integerIn(value: unknown, min: number, max: number): number | undefined {
  const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/**
 * Checks and normalises answers against the questions the invitee is asked. Unknown keys are
 * dropped. `partial` (a draft) skips the required check but still refuses impossible values,
 * so a draft never holds what a submission would refuse.
 */
export function checkAnswers(
  questions: Q[],
  raw: SurveyAnswers,
  context: AnswerContext,
  { partial = false }: { partial?: boolean } = {},
): CheckedAnswers {
  const answers: SurveyAnswers = {};
  const errors: Record<string, AnswerProblem[]> = {};
  const refuse = (key: string, problem: AnswerProblem) => {
    errors[key] = [problem];
  };
  for (const question of questionsFor(questions, context)) {
    const value = raw[question.key];
    if (isBlank(value) || (isPlainObject(value) && Object.values(value).every(isBlank))) {
      if (question.required && !partial) refuse(question.key, 'required');
      continue;
    }
    switch (question.kind) {
      case SurveyQuestionKind.Rating:
      case SurveyQuestionKind.Nps: {
        const [min, max] = question.kind === SurveyQuestionKind.Rating ? [1, 5] : [0, 10];
        const n = integerIn(value, min, max);
        if (n === undefined) refuse(question.key, 'out_of_range');
        else answers[question.key] = n;
        break;
      }
      case SurveyQuestionKind.SingleChoice:
        if (typeof value !== 'string' || !question.options.some((o) => o.key === value))
          refuse(question.key, 'unknown_option');
        else answers[question.key] = value;
        break;
      case SurveyQuestionKind.MultipleChoice: {
        const list = typeof value === 'string' ? [value] : value;
        if (!Array.isArray(list)) {
          refuse(question.key, 'not_a_list');
          break;
        }
        const keys = new Set(question.options.map((o) => o.key));
        if (!list.every((k): k is string => typeof k === 'string' && keys.has(k)))
          refuse(question.key, 'unknown_option');
        else
          answers[question.key] = question.options
            .map((o) => o.key)
            .filter((k) => list.includes(k));
        break;
      }
      case SurveyQuestionKind.ShortText:
      case SurveyQuestionKind.LongText: {
        const limit =
          question.kind === SurveyQuestionKind.ShortText ? SHORT_TEXT_LENGTH : MAX_TEXT_LENGTH;
        if (typeof value !== 'string') refuse(question.key, 'out_of_range');
        else if (value.trim().length > limit) refuse(question.key, 'too_long');
        else answers[question.key] = value.trim();
        break;
      }
      case SurveyQuestionKind.WorkshopMatrix: {
        if (!isPlainObject(value)) {
          refuse(question.key, 'out_of_range');
          break;
        }
        const ratings: Record<string, number> = {};
        let problem: AnswerProblem | undefined;
        for (const [workshopId, rating] of Object.entries(value)) {
          if (!context.workshopIds.includes(workshopId)) problem ??= 'unknown_workshop';
          else if (isBlank(rating)) continue;
          else {
            const n = integerIn(rating, 1, 5);
            if (n === undefined) problem ??= 'out_of_range';
            else ratings[workshopId] = n;
          }
        }
        if (problem) refuse(question.key, problem);
        else if (Object.keys(ratings).length > 0) answers[question.key] = ratings;
        else if (question.required && !partial) refuse(question.key, 'required');
        break;
      }
      default: {
        const kind: never = question.kind;
        throw new Error(`unknown question kind ${String(kind)}`);
      }
    }
  }
  return { answers, errors };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
