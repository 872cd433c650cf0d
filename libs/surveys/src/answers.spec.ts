import { checkAnswers, questionsFor } from './answers';
import { SurveyQuestionKind as K } from './survey-question.entity';

const q = (key: string, kind: K, extra: Record<string, unknown> = {}) => ({
  key,
  kind,
  options: [
    { key: 'a', fr: 'A', en: 'A' },
    { key: 'b', fr: 'B', en: 'B' },
  ],
  required: false,
  stakeholderTypes: [] as string[],
  ...extra,
});

const context = { stakeholderType: 'coworking_operator', workshopIds: ['w1', 'w2'] };

describe('checkAnswers', () => {
  const questions = [
    q('satisfaction', K.Rating, { required: true }),
    q('nps', K.Nps),
    q('source', K.SingleChoice),
    q('topics', K.MultipleChoice),
    q('keep', K.LongText),
    q('workshops', K.WorkshopMatrix),
  ];

  it('normalises form strings into numbers and lists, in option order', () => {
    const { answers, errors } = checkAnswers(
      questions,
      {
        satisfaction: '4',
        nps: 0,
        source: 'b',
        topics: ['b', 'a'],
        keep: '  la convivialité ',
        workshops: { w1: '5', w2: '' },
        unknown: 'dropped',
      },
      context,
    );
    expect(errors).toEqual({});
    expect(answers).toEqual({
      satisfaction: 4,
      nps: 0,
      source: 'b',
      topics: ['a', 'b'],
      keep: 'la convivialité',
      workshops: { w1: 5 },
    });
  });

  it('names each bad answer: out of range, unknown option, unknown workshop, missing required', () => {
    const { errors } = checkAnswers(
      questions,
      { nps: 11, source: 'z', topics: ['a', 'z'], workshops: { w9: 3 } },
      context,
    );
    expect(errors).toEqual({
      satisfaction: ['required'],
      nps: ['out_of_range'],
      source: ['unknown_option'],
      topics: ['unknown_option'],
      workshops: ['unknown_workshop'],
    });
  });

  it('refuses 0 and 6 as ratings and 2.5 as a score', () => {
    for (const value of [0, 6, 2.5, '3.5', 'x']) {
      expect(checkAnswers(questions, { satisfaction: value }, context).errors).toEqual({
        satisfaction: ['out_of_range'],
      });
    }
  });

  it('lets a draft miss required answers but not hold impossible ones', () => {
    expect(checkAnswers(questions, {}, context, { partial: true }).errors).toEqual({});
    expect(checkAnswers(questions, { nps: -1 }, context, { partial: true }).errors).toEqual({
      nps: ['out_of_range'],
    });
  });

  it('refuses an overlong text', () => {
    expect(
      checkAnswers(questions, { satisfaction: 3, keep: 'x'.repeat(5001) }, context).errors,
    ).toEqual({
      keep: ['too_long'],
    });
  });
});

describe('questionsFor', () => {
  it('asks stakeholder-specific questions only of their stakeholders, the matrix only of workshop-goers', () => {
    const questions = [
      q('all', K.Rating),
      q('operators', K.Rating, { stakeholderTypes: ['coworking_operator'] }),
      q('authorities', K.Rating, { stakeholderTypes: ['local_authority'] }),
      q('workshops', K.WorkshopMatrix),
    ];
    expect(questionsFor(questions, context).map((x) => x.key)).toEqual([
      'all',
      'operators',
      'workshops',
    ]);
    expect(
      questionsFor(questions, { stakeholderType: 'local_authority', workshopIds: [] }).map(
        (x) => x.key,
      ),
    ).toEqual(['all', 'authorities']);
  });
});
