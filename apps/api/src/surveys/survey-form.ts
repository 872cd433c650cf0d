import type { Locale } from '@assises/core';
import type {
  SurveyAnswers,
  SurveyQuestion,
  SurveySection,
  SurveyWorkshop,
} from '@assises/surveys';
import { SurveyQuestionKind as K } from '@assises/surveys';

/** One radio, checkbox or select choice of the form. */
interface FormChoice {
  value: string;
  label: string;
  checked: boolean;
}

/** A question ready for the template: names, choices and the kept value worked out here. */
export interface FormQuestion {
  key: string;
  kind: K;
  label: string;
  help: string;
  required: boolean;
  /** A translation key (`surveys.answer.<problem>`), or null. */
  error: string | null;
  name: string;
  choices: FormChoice[];
  text: string;
  rows: { title: string; name: string; choices: FormChoice[] }[];
  scale: boolean;
  nps: boolean;
  single: boolean;
  multiple: boolean;
  short: boolean;
  long: boolean;
  matrix: boolean;
}

export interface FormSection {
  title: string;
  questions: FormQuestion[];
}

/**
 * Page fields are named `a_<key>` (and `a_<key>__<workshopId>` for the matrix): turns a posted
 * form back into answers by key, as the JSON API receives them.
 */
export function answersFromForm(body: Record<string, unknown> | undefined): SurveyAnswers {
  const answers: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body ?? {})) {
    if (!name.startsWith('a_')) continue;
    const rest = name.slice(2);
    const split = rest.indexOf('__');
    if (split > 0) {
      const key = rest.slice(0, split);
      const row = (answers[key] ??= {}) as Record<string, unknown>;
      if (typeof row === 'object' && row !== null) row[rest.slice(split + 2)] = value;
    } else {
      answers[rest] = value;
    }
  }
  return answers;
}

const scale = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/** The sections of the form in the reader's language, with answers and errors in place. */
export function formSections(
  sections: { section: SurveySection; questions: SurveyQuestion[] }[],
  workshops: SurveyWorkshop[],
  answers: SurveyAnswers,
  errors: Record<string, string[]>,
  lang: Locale,
): FormSection[] {
  const en = lang === 'en';
  return sections.map(({ section, questions }) => ({
    title: en ? section.titleEn : section.titleFr,
    questions: questions.map((q): FormQuestion => {
      const value = answers[q.key];
      const values = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(
        String,
      );
      const choice = (v: string, label: string) => ({
        value: v,
        label,
        checked: values.includes(v),
      });
      let choices: FormChoice[] = [];
      if (q.kind === K.Rating) choices = scale(1, 5).map((v) => choice(v, v));
      if (q.kind === K.Nps) choices = scale(0, 10).map((v) => choice(v, v));
      if (q.kind === K.SingleChoice || q.kind === K.MultipleChoice)
        choices = q.options.map((o) => choice(o.key, en ? o.en : o.fr));
      const ratings =
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? (value as Record<string, unknown>)
          : {};
      const problem = errors[q.key]?.[0];
      return {
        key: q.key,
        kind: q.kind,
        label: en ? q.labelEn : q.labelFr,
        help: en ? q.helpEn : q.helpFr,
        required: q.required,
        error: problem ? `surveys.answer.${problem}` : null,
        name: `a_${q.key}`,
        choices,
        text: typeof value === 'string' ? value : '',
        rows:
          q.kind === K.WorkshopMatrix
            ? workshops.map((w) => ({
                title: en ? w.titleEn : w.titleFr,
                name: `a_${q.key}__${w.id}`,
                choices: scale(1, 5).map((v) => ({
                  value: v,
                  label: v,
                  checked:
                    ['string', 'number'].includes(typeof ratings[w.id]) &&
                    `${ratings[w.id] as string | number}` === v,
                })),
              }))
            : [],
        scale: q.kind === K.Rating,
        nps: q.kind === K.Nps,
        single: q.kind === K.SingleChoice,
        multiple: q.kind === K.MultipleChoice,
        short: q.kind === K.ShortText,
        long: q.kind === K.LongText,
        matrix: q.kind === K.WorkshopMatrix,
      };
    }),
  }));
}
