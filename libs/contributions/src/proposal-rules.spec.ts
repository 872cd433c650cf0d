import { CallQuestion, QuestionKind } from './call-question.entity';
import { checkAnswers, checkProposal, eventDays, problemFields } from './proposal-rules';

function question(over: Partial<CallQuestion>): CallQuestion {
  return {
    id: 'q',
    editionId: 'e',
    key: 'q',
    kind: QuestionKind.ShortText,
    labelFr: 'Q',
    labelEn: 'Q',
    helpFr: '',
    helpEn: '',
    options: [],
    required: false,
    formatKeys: [],
    minLength: null,
    maxLength: null,
    lengthUnit: 'chars',
    minValue: null,
    maxValue: null,
    position: 0,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...over,
  };
}

const atelier = { key: 'atelier' };
const choices = [
  { key: 'train', fr: 'Train', en: 'Train' },
  { key: 'car', fr: 'Voiture', en: 'Car' },
];

describe('checkAnswers', () => {
  it('requires a required question, except in a draft', () => {
    const qs = [question({ key: 'why', required: true })];
    expect(checkAnswers(qs, atelier, {}, false).problems).toEqual({
      'answers.why': [{ rule: 'required' }],
    });
    expect(checkAnswers(qs, atelier, {}, true).problems).toEqual({});
  });

  it('counts words or characters as the question says', () => {
    const words = question({ key: 'w', lengthUnit: 'words', minLength: 2, maxLength: 3 });
    expect(checkAnswers([words], atelier, { w: 'un deux trois quatre' }, false).problems).toEqual({
      'answers.w': [{ rule: 'too_many_words', n: 3 }],
    });
    expect(checkAnswers([words], atelier, { w: 'un' }, false).problems).toEqual({
      'answers.w': [{ rule: 'too_few_words', n: 2 }],
    });
    expect(checkAnswers([words], atelier, { w: 'un' }, true).problems).toEqual({});
    const chars = question({ key: 'c', maxLength: 5 });
    expect(checkAnswers([chars], atelier, { c: 'éééééé' }, false).problems).toEqual({
      'answers.c': [{ rule: 'too_long', n: 5 }],
    });
  });

  it('refuses a number where text is expected', () => {
    const q = question({ key: 't' });
    expect(checkAnswers([q], atelier, { t: 42 }, false).problems).toEqual({
      'answers.t': [{ rule: 'not_text' }],
    });
  });

  it('refuses oversized text even without a maximum', () => {
    const q = question({ key: 's' });
    expect(checkAnswers([q], atelier, { s: 'x'.repeat(501) }, false).problems).toEqual({
      'answers.s': [{ rule: 'too_long', n: 500 }],
    });
  });

  it('checks numbers, urls, yes/no and choices, and normalises them', () => {
    const qs = [
      question({ key: 'n', kind: QuestionKind.Number, minValue: '1', maxValue: '10' }),
      question({ key: 'u', kind: QuestionKind.Url }),
      question({ key: 'y', kind: QuestionKind.YesNo }),
      question({ key: 's', kind: QuestionKind.SingleChoice, options: choices }),
      question({ key: 'm', kind: QuestionKind.MultipleChoice, options: choices }),
    ];
    const ok = checkAnswers(
      qs,
      atelier,
      { n: '4', u: 'https://example.org', y: 'yes', s: 'car', m: ['car', 'train', 'car'] },
      false,
    );
    expect(ok).toEqual({
      answers: { n: 4, u: 'https://example.org', y: true, s: 'car', m: ['train', 'car'] },
      problems: {},
    });
    const bad = checkAnswers(
      qs,
      atelier,
      { n: 11, u: 'javascript:alert(1)', y: 'maybe', s: 'bike', m: ['bike'] },
      false,
    );
    expect(
      Object.fromEntries(Object.entries(bad.problems).map(([k, v]) => [k, v[0].rule])),
    ).toEqual({
      'answers.n': 'too_large',
      'answers.u': 'not_a_url',
      'answers.y': 'not_yes_no',
      'answers.s': 'unknown_option',
      'answers.m': 'unknown_option',
    });
  });

  it('ignores questions of other formats and refuses unknown keys', () => {
    const qs = [question({ key: 'only', required: true, formatKeys: ['table-ronde'] })];
    expect(checkAnswers(qs, atelier, { only: 'x' }, false)).toEqual({ answers: {}, problems: {} });
    expect(checkAnswers(qs, atelier, { other: 'x' }, false).problems).toEqual({
      'answers.other': [{ rule: 'unknown_question' }],
    });
  });
});

describe('checkProposal', () => {
  const format = { minSpeakers: 2, maxSpeakers: 3 };
  it('asks a submission for its fields and speakers’ types, a draft only for bounds', () => {
    const shape = { title: '', speakers: [{ name: 'A', email: 'a@x.org' }] };
    expect(problemFields(checkProposal(shape, format, false))).toEqual({
      speakers: ['speakers must be between 2 and 3 for this format'],
      title: ['title is required'],
      abstract: ['abstract is required'],
      language: ['language is required'],
      'speakers.0.stakeholderType': ['speakers.0.stakeholderType is required'],
      'speakers.0.territoryType': ['speakers.0.territoryType is required'],
    });
    expect(checkProposal(shape, format, true)).toEqual({});
  });
});

describe('eventDays', () => {
  it('lists the local days of the event', () => {
    expect(
      eventDays(new Date('2027-03-10T08:00:00Z'), new Date('2027-03-11T17:00:00Z'), 'Europe/Paris'),
    ).toEqual(['2027-03-10', '2027-03-11']);
  });
});
