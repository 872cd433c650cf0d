import type { AppConfig } from '@assises/config';
import { DataSource } from 'typeorm';
import { createAccount, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { createOpenCall } from '../factories/call.factory';
import { startApi, TestApi } from '../harness/app';
import { Browser, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

interface MailRow {
  recipient: string;
  template: string;
  locale: string;
  data: Record<string, string>;
}

/**
 * The "done when", in one story: a contributor goes from the call page to a confirmed
 * accepted proposal, through the pages only, while three reviewers score it through the API and
 * an organiser decides and releases.
 */
describe('Call for contributions, from the call page to a confirmed proposal', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { TRUST_PROXY: 'true' });
    api = await startApi(config);
    ds = api.app.get(DataSource);
  });

  afterAll(async () => {
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  const mailsTo = (recipient: string) =>
    ds.query<MailRow[]>(
      `SELECT recipient, template, locale, data FROM outbox_messages WHERE recipient = $1
        ORDER BY created_at`,
      [recipient],
    );

  it('submits through the form, is reviewed by three, accepted, released and confirmed', async () => {
    const { edition, formats, members } = await createOpenCall(ds);
    const slug = edition.slug;
    const owner = members.owner as CreatedAccount;

    // The contributor, in English, from the edition page to the call page to the form.
    const contributor = newBrowser(api);
    const editionPage = await contributor.open(`/e/${slug}?lang=en`);
    expect(editionPage.html).toContain(`href="/e/${slug}/call"`);
    const callPage = await contributor.open(`/e/${slug}/call`);
    expect(callPage.html).toContain(`href="/e/${slug}/propose"`);
    const form = await contributor.open(`/e/${slug}/propose`);
    const idem = /name="_idem" value="([^"]+)"/.exec(form.html)?.[1];
    const posted = await contributor.post(
      `/e/${slug}/propose`,
      {
        _idem: idem,
        title: 'Coworking in a former railway station',
        abstract: 'How a disused station became a shared workplace for a small town.',
        formatId: formats.get('atelier')!,
        language: 'en',
        'speakers.0.name': 'Robin Hall',
        'speakers.0.email': 'robin@example.org',
        'speakers.0.stakeholderType': 'project_holder',
        'speakers.0.territoryType': 'rural',
      },
      form.csrf,
    );
    expect(posted.status).toBe(303);

    const [{ id }] = await ds.query<{ id: string }[]>(
      `SELECT id FROM proposals WHERE edition_id = $1 AND state = 'submitted'`,
      [edition.id],
    );
    const [received] = await mailsTo('robin@example.org');
    expect(received).toMatchObject({ template: 'proposal-received', locale: 'en' });
    const manage = await contributor.open(
      new URL(received.data.manageUrl).pathname + new URL(received.data.manageUrl).search,
    );
    expect(manage.status).toBe(200);
    expect(manage.html).toContain('Coworking in a former railway station');

    // Three reviewers score it; the list shows their mean, spread and count.
    const reviewers: Browser[] = [];
    for (const name of ['Ada', 'Ben', 'Cleo']) {
      const account = await createAccount(ds, { email: `${name.toLowerCase()}@example.org`, name });
      await ds.query(
        `INSERT INTO memberships (edition_id, account_id, role) VALUES ($1, $2, 'reviewer')`,
        [edition.id, account.id],
      );
      reviewers.push(await loginJson(api, account.email, DEFAULT_PASSWORD));
    }
    const scores = [5, 4, 3];
    for (const [i, reviewer] of reviewers.entries()) {
      const next = await reviewer.json('get', `/api/v1/editions/${slug}/review/next`);
      expect(next.status).toBe(200);
      expect(JSON.stringify(next.body)).toContain(id);
      const s = scores[i];
      const saved = await reviewer.json('put', `/api/v1/editions/${slug}/proposals/${id}/review`, {
        scores: { fit: s, originality: s, diversity: s, feasibility: s },
        comment: 'Solid.',
      });
      expect(saved.status).toBe(201);
    }
    const organiser = await loginJson(api, owner.email, DEFAULT_PASSWORD);
    const list = await organiser.json('get', `/api/v1/editions/${slug}/proposals`);
    expect(list.status).toBe(200);
    const row = (list.body as { items: { id: string }[] }).items.find((r) => r.id === id);
    expect(row).toMatchObject({ mean: 4, spread: 2, reviewCount: 3 });

    // A reviewer cannot decide; the organiser decides quietly, nothing is sent yet.
    const refused = await reviewers[0].json(
      'put',
      `/api/v1/editions/${slug}/proposals/${id}/decision`,
      { decision: 'accept' },
    );
    expect(refused.status).toBe(403);
    const decided = await organiser.json(
      'put',
      `/api/v1/editions/${slug}/proposals/${id}/decision`,
      { decision: 'accept', note: 'See you there!' },
    );
    expect(decided.status).toBe(200);
    expect((await mailsTo('robin@example.org')).map((m) => m.template)).toEqual([
      'proposal-received',
    ]);

    // Release: the acceptance goes out in the contributor's language, with a confirmation link.
    const released = await organiser.json('post', `/api/v1/editions/${slug}/decisions/release`);
    expect(released.status).toBe(200);
    const accepted = (await mailsTo('robin@example.org')).find(
      (m) => m.template === 'proposal-accepted',
    );
    expect(accepted).toMatchObject({ locale: 'en' });
    const confirmUrl = new URL(accepted!.data.confirmUrl);

    // The speaker confirms through the page.
    const confirmPage = await contributor.open(confirmUrl.pathname + confirmUrl.search);
    expect(confirmPage.status).toBe(200);
    const confirmed = await contributor.post(
      confirmUrl.pathname + confirmUrl.search,
      {},
      confirmPage.csrf,
    );
    expect(confirmed.status).toBe(303);
    const [proposal] = await ds.query<{ state: string }[]>(
      'SELECT state FROM proposals WHERE id = $1',
      [id],
    );
    expect(proposal.state).toBe('confirmed');

    // Every transition is in the history, with who made it.
    const history = await ds.query<{ action: string; from_state: string; to_state: string }[]>(
      `SELECT action, from_state, to_state FROM audit_events
        WHERE subject_id = $1 AND to_state IS NOT NULL ORDER BY created_at`,
      [id],
    );
    expect(history.map((h) => `${h.action}:${h.from_state}>${h.to_state}`)).toEqual([
      'submit:draft>submitted',
      'accept:submitted>accepted',
      'confirm:accepted>confirmed',
    ]);
  });
});
