import type { AppConfig } from '@assises/config';
import { DataSource } from 'typeorm';
import { seedDemo } from '../../apps/cli/src/seed';
import { startApi, TestApi } from '../harness/app';
import { newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

/** The demo's 2017 evaluation: a closed survey, one answer in three, results and report full. */
describe('Demo data: the 2017 evaluation', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    api = await startApi(config);
    ds = api.app.get(DataSource);
    await seedDemo(ds, new Date('2026-11-29T10:00:00Z'));
  });

  afterAll(async () => {
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it('has a closed anonymous survey with about 65 responses out of about 200', async () => {
    const [row] = await ds.query<
      { invited: number; answered: number; responses: number; linked: number; closed: boolean }[]
    >(
      `SELECT (SELECT count(*)::int FROM survey_invitations) AS invited,
              (SELECT count(*)::int FROM survey_invitations WHERE answered) AS answered,
              (SELECT count(*)::int FROM survey_responses) AS responses,
              (SELECT count(*)::int FROM survey_responses WHERE invitation_id IS NOT NULL
                 OR submitted_at IS NOT NULL) AS linked,
              (SELECT closes_at < now() FROM surveys) AS closed`,
    );
    expect(row).toEqual({ invited: 198, answered: 65, responses: 65, linked: 0, closed: true });
  });

  it('shows full results and the edition report to the demo organiser', async () => {
    const browser = newBrowser(api);
    await browser.signIn('organisation@assises.localhost', 'assises-demo');
    const results = await browser.open('/admin/editions/lyon-2017/survey/results');
    expect(results.status).toBe(200);
    expect(results.html).toContain('65 réponse(s)');
    expect(results.html).toContain('Animer une communauté');
    const report = await browser.open('/admin/editions/lyon-2017/report');
    expect(report.status).toBe(200);
    expect(report.html).toContain('NPS');
  });
});
