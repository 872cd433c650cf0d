import type { AppConfig } from '@assises/config';
import { Edition } from '@assises/editions';
import { QuestionResult, SurveyResults, SurveyResultsService } from '@assises/surveys';
import { DataSource } from 'typeorm';
import { createEdition } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

/**
 * The results are aggregated in PostgreSQL over `survey_answers`, the rows a trigger keeps from
 * each response's answers. Five responses small enough to count by hand say what every figure
 * must be, with and without filters, and after a response changes.
 */
describe(`${SurveyResultsService.name} aggregation in PostgreSQL`, () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;
  let results: SurveyResultsService;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    api = await startApi(config);
    ds = api.app.get(DataSource);
    results = api.app.get(SurveyResultsService);
  });

  afterEach(async () => {
    await truncateAll(ds);
  });

  afterAll(async () => {
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  const QUESTIONS = [
    ['sat', 'rating', []],
    ['nps', 'nps', []],
    ['how', 'single_choice', ['a', 'b', 'c']],
    ['topics', 'multiple_choice', ['x', 'y', 'z']],
    ['keep', 'long_text', []],
    ['ws', 'workshop_matrix', []],
  ] as const;

  /** The five responses: (stakeholder type, territory type, answers). */
  const RESPONSES: [string, string, object][] = [
    [
      'coworking_operator',
      'urban',
      { sat: 5, nps: 10, how: 'a', topics: ['x', 'y'], keep: 'Bien', ws: { w1: 4, w2: 2 } },
    ],
    ['coworking_operator', 'rural', { sat: 4, nps: 9, how: 'b', topics: ['x'], ws: { w1: 5 } }],
    ['local_authority', 'rural', { sat: 2, nps: 6, how: 'a', topics: [], keep: '<script>' }],
    ['local_authority', 'urban', { sat: 4, nps: 7, keep: 'Rien' }],
    ['company', 'urban', { nps: 0 }],
  ];

  const survey = async (): Promise<{ edition: Edition; surveyId: string }> => {
    const { edition } = await createEdition(ds);
    const [{ id: surveyId }] = await ds.query<{ id: string }[]>(
      `INSERT INTO surveys (edition_id, opens_at, closes_at, workshops)
       VALUES ($1, now() - interval '1 day', now() + interval '9 days', $2) RETURNING id`,
      [
        edition.id,
        JSON.stringify([
          { id: 'w1', titleFr: 'Atelier 1', titleEn: 'Workshop 1' },
          { id: 'w2', titleFr: 'Atelier 2', titleEn: 'Workshop 2' },
        ]),
      ],
    );
    const [{ id: sectionId }] = await ds.query<{ id: string }[]>(
      `INSERT INTO survey_sections (survey_id, title_fr, title_en) VALUES ($1, 'S', 'S') RETURNING id`,
      [surveyId],
    );
    for (const [position, [key, kind, options]] of QUESTIONS.entries()) {
      await ds.query(
        `INSERT INTO survey_questions (survey_id, section_id, key, kind, label_fr, label_en, options, position)
         VALUES ($1, $2, $3, $4, $3, $3, $5, $6)`,
        [
          surveyId,
          sectionId,
          key,
          kind,
          JSON.stringify(options.map((o) => ({ key: o, fr: o.toUpperCase(), en: o }))),
          position,
        ],
      );
    }
    for (const [stakeholder, territory, answers] of RESPONSES) {
      await ds.query(
        `INSERT INTO survey_responses (survey_id, answers, stakeholder_type, territory_type)
         VALUES ($1, $2, $3, $4)`,
        [surveyId, JSON.stringify(answers), stakeholder, territory],
      );
    }
    return { edition, surveyId };
  };

  const question = (data: SurveyResults, key: string): QuestionResult =>
    data.questions.find((q) => q.question.key === key)!;
  const counts = (q: QuestionResult) => Object.fromEntries(q.bars.map((b) => [b.key, b.count]));

  it('counts every question of every response', async () => {
    const { edition } = await survey();
    const data = await results.resultsOf(edition);
    expect(data.responses).toBe(5);

    const sat = question(data, 'sat');
    expect(sat).toMatchObject({ answered: 4, mean: 3.75, median: 4, nps: null });
    expect(counts(sat)).toEqual({ 1: 0, 2: 1, 3: 0, 4: 2, 5: 1 });
    expect(sat.bars.find((b) => b.key === '4')!.share).toBe(0.5);

    const nps = question(data, 'nps');
    // 10, 9, 6, 7, 0: two promoters, one passive, two detractors.
    expect(nps).toMatchObject({ answered: 5, mean: 6.4, median: 7 });
    expect(nps.nps).toEqual({ score: 0, promoters: 2, passives: 1, detractors: 2 });
    expect(counts(nps)).toEqual({
      0: 1,
      1: 0,
      2: 0,
      3: 0,
      4: 0,
      5: 0,
      6: 1,
      7: 1,
      8: 0,
      9: 1,
      10: 1,
    });

    const how = question(data, 'how');
    expect(how.answered).toBe(3);
    expect(counts(how)).toEqual({ a: 2, b: 1, c: 0 });
    expect(how.bars.map((b) => b.labelFr)).toEqual(['A', 'B', 'C']);
    expect(how.bars[0].share).toBeCloseTo(2 / 3, 10);

    // An empty multiple choice is an answer that chose nothing.
    const topics = question(data, 'topics');
    expect(topics.answered).toBe(3);
    expect(counts(topics)).toEqual({ x: 2, y: 1, z: 0 });

    const keep = question(data, 'keep');
    expect(keep).toMatchObject({ answered: 3, textTotal: 3 });
    expect([...keep.texts].sort()).toEqual(['<script>', 'Bien', 'Rien']);

    const ws = question(data, 'ws');
    expect(ws.answered).toBe(2);
    expect(ws.matrix.map((m) => [m.workshop.id, m.answered, m.mean, m.median])).toEqual([
      ['w1', 2, 4.5, 4.5],
      ['w2', 1, 2, 2],
    ]);
    expect(counts({ bars: ws.matrix[0].bars } as QuestionResult)).toEqual({
      1: 0,
      2: 0,
      3: 0,
      4: 1,
      5: 1,
    });
  });

  it('filters by stakeholder type and by territory type', async () => {
    const { edition } = await survey();
    const authorities = await results.resultsOf(edition, { stakeholderType: 'local_authority' });
    expect(authorities.responses).toBe(2);
    expect(question(authorities, 'sat')).toMatchObject({ answered: 2, mean: 3, median: 3 });
    expect(question(authorities, 'nps').nps).toEqual({
      score: -50,
      promoters: 0,
      passives: 1,
      detractors: 1,
    });
    expect(question(authorities, 'topics')).toMatchObject({ answered: 1 });
    expect(counts(question(authorities, 'topics'))).toEqual({ x: 0, y: 0, z: 0 });
    expect([...question(authorities, 'keep').texts].sort()).toEqual(['<script>', 'Rien']);

    const rural = await results.resultsOf(edition, { territoryType: 'rural' });
    expect(rural.responses).toBe(2);
    expect(question(rural, 'sat')).toMatchObject({ answered: 2, mean: 3, median: 3 });
    expect(counts(question(rural, 'how'))).toEqual({ a: 1, b: 1, c: 0 });

    const both = await results.resultsOf(edition, {
      stakeholderType: 'company',
      territoryType: 'rural',
    });
    expect(both.responses).toBe(0);
    expect(question(both, 'nps')).toMatchObject({ answered: 0, mean: null, nps: null });
  });

  it('follows a response whose answers change, and forgets a deleted one', async () => {
    const { edition, surveyId } = await survey();
    await ds.query(
      `UPDATE survey_responses SET answers = $2, territory_type = 'rural'
        WHERE survey_id = $1 AND stakeholder_type = 'company'`,
      [surveyId, JSON.stringify({ sat: 1, nps: 10, how: 'c' })],
    );
    let data = await results.resultsOf(edition);
    expect(question(data, 'sat')).toMatchObject({ answered: 5, mean: 3.2, median: 4 });
    // 10, 9, 6, 7 and now 10: three promoters, one detractor.
    expect(question(data, 'nps').nps).toMatchObject({ score: 40, promoters: 3, detractors: 1 });
    expect(counts(question(data, 'how'))).toEqual({ a: 2, b: 1, c: 1 });
    const rural = await results.resultsOf(edition, { territoryType: 'rural' });
    expect(rural.responses).toBe(3);

    await ds.query(`DELETE FROM survey_responses WHERE stakeholder_type = 'company'`);
    data = await results.resultsOf(edition);
    expect(question(data, 'sat')).toMatchObject({ answered: 4, mean: 3.75 });
    const [{ n }] = await ds.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM survey_answers WHERE survey_id = $1',
      [surveyId],
    );
    // 4 responses: 10 + 7 + 5 + 3 rows (one per answered question, option chosen, workshop rated).
    expect(n).toBe(25);
  });
});
