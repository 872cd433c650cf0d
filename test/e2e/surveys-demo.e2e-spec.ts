import type { AppConfig } from '@assises/config';
import { DataSource } from 'typeorm';
import { seedDemo } from '../../apps/cli/src/seed';
import { startApi, TestApi } from '../harness/app';
import { binary, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';
import { pdfTextHeights, pdfTextLines } from '../harness/pdf';

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

  it('draws the same report as a PDF, every question the page has, in French and English', async () => {
    const browser = newBrowser(api);
    await browser.signIn('organisation@assises.localhost', 'assises-demo');
    const flat = (text: string) => text.replace(/\s/g, '');
    const unescape = (html: string) =>
      html
        .replace(/&#x27;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
    for (const lang of ['fr', 'en']) {
      const page = await browser.open(`/admin/editions/lyon-2017/report?lang=${lang}`);
      const questions = [...page.html.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => unescape(m[1]));
      expect(questions.length).toBeGreaterThan(5);
      const res = await browser
        .get(`/admin/editions/lyon-2017/report/download.pdf?lang=${lang}`)
        .buffer(true)
        .parse(binary);
      expect(res.status).toBe(200);
      const pdf = res.body as Buffer;
      const text = flat(pdfTextLines(pdf).join(''));
      for (const question of questions) expect(text).toContain(flat(question));
      expect(text).toContain(flat(lang === 'fr' ? '65 réponse(s)' : '65 response(s)'));
      const heights = pdfTextHeights(pdf);
      expect(Math.min(...heights)).toBeGreaterThan(20);
      expect(Math.max(...heights)).toBeLessThan(842 - 40);
    }
  });
});
