import type { AppConfig } from '@assises/config';
import { DataSource } from 'typeorm';
import { createOpenCall, createQuestion } from '../factories/call.factory';
import { startApi, TestApi } from '../harness/app';
import { Browser, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

const DAY = 86_400_000;
const FORM = '/e/lille-2027/propose';

describe('Call page and submission form (pages)', () => {
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

  afterEach(async () => {
    await truncateAll(ds);
  });

  afterAll(async () => {
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  /** The form's fields for a complete proposal with one speaker (the submitter). */
  const filled = (formatId: string, over: Record<string, string> = {}) => ({
    title: 'Un tiers-lieu dans une ancienne gare',
    abstract: 'Comment une gare désaffectée est devenue un tiers-lieu.',
    formatId,
    language: 'fr',
    'speakers.0.name': 'Camille Martin',
    'speakers.0.email': 'camille@example.org',
    'speakers.0.stakeholderType': 'project_holder',
    'speakers.0.territoryType': 'rural',
    ...over,
  });

  /** Opens the form and posts it with its CSRF token and idempotency field. */
  async function postForm(browser: Browser, fields: Record<string, string>) {
    const page = await browser.open(FORM);
    const idem = /name="_idem" value="([^"]+)"/.exec(page.html)?.[1];
    return browser.post(FORM, { _idem: idem, ...fields }, page.csrf);
  }

  describe('the call page', () => {
    it('shows the introduction as text, dates in the edition timezone, formats, themes and a Propose button', async () => {
      const { edition } = await createOpenCall(ds);
      await ds.query(
        `UPDATE calls SET introduction = '<script>alert(1)</script> Venez !', closes_at = '2027-01-15T22:59:00Z'`,
      );
      await ds.query(
        `INSERT INTO call_themes (edition_id, name_fr, name_en, description) VALUES ($1, 'Ruralités', 'Rural areas', '<b>champs</b>')`,
        [edition.id],
      );
      const page = await newBrowser(api).open('/e/lille-2027/call');
      expect(page.status).toBe(200);
      expect(page.html).not.toContain('<script>alert(1)</script>');
      expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Venez !');
      expect(page.html).toContain('&lt;b&gt;champs&lt;/b&gt;');
      expect(page.html).toContain('15 janv. 2027, 23:59'); // 22:59Z is 23:59 in Paris
      expect(page.html).toContain('Table ronde');
      expect(page.html).toContain('60 min, 3 à 6 intervenant·es');
      expect(page.html).toContain('Ruralités');
      expect(page.html).toContain('href="/e/lille-2027/propose"');
      const english = await newBrowser(api).open('/e/lille-2027/call?lang=en');
      expect(english.html).toContain('Round table');
      expect(english.html).toContain('Propose a contribution');

      const editionPage = await newBrowser(api).open('/e/lille-2027');
      expect(editionPage.html).toContain('href="/e/lille-2027/call"');
    });

    it('says when the call opens, before it opens; and that it has closed, after', async () => {
      await createOpenCall(ds, { opens: 5 * DAY });
      const before = await newBrowser(api).open('/e/lille-2027/call');
      expect(before.html).toContain('L&#x27;appel ouvrira le');
      expect(before.html).not.toContain('href="/e/lille-2027/propose"');
      const form = await newBrowser(api).open(FORM);
      expect(form.html).toContain('L&#x27;appel n&#x27;est pas encore ouvert.');
      expect(form.html).not.toContain('name="title"');

      await ds.query(
        `UPDATE calls SET opens_at = now() - interval '10 days', closes_at = now() - interval '1 day'`,
      );
      const after = await newBrowser(api).open('/e/lille-2027/call');
      expect(after.html).toContain('L&#x27;appel à contributions est clos depuis le');
      expect((await newBrowser(api).open(FORM)).html).toContain('est clos depuis');
    });
  });

  describe('the submission form', () => {
    it('renders every field, the event days and the custom questions with their format note', async () => {
      const { edition } = await createOpenCall(ds);
      await createQuestion(ds, edition.id, {
        key: 'transport',
        kind: 'multiple_choice',
        labelFr: 'Comment viendrez-vous ?',
        options: [
          { key: 'train', fr: 'Train', en: 'Train' },
          { key: 'car', fr: 'Voiture', en: 'Car' },
        ],
        formatKeys: ['table-ronde'],
      });
      const page = await newBrowser(api).open(FORM);
      expect(page.status).toBe(200);
      for (const name of [
        'title',
        'abstract',
        'description',
        'formatId',
        'language',
        'expectedAudience',
        'needs',
        'availability',
        'answers.transport',
        'speakers.0.name',
        'speakers.0.stakeholderType',
        'speakers.0.territoryType',
        'speakers.0.bio',
      ])
        expect(page.html).toContain(`name="${name}"`);
      expect(page.html).toContain('value="2027-03-10"');
      expect(page.html).toContain('value="2027-03-11"');
      expect(page.html).toContain('Seulement pour : Table ronde.');
      expect(page.html).toContain('name="viewport"');
    });

    it('adds a speaker block without losing anything, and stores nothing', async () => {
      const { formats } = await createOpenCall(ds);
      const browser = newBrowser(api);
      const res = await postForm(browser, {
        ...filled(formats.get('atelier')!, { needs: 'Rampe <accès>' }),
        _action: 'add-speaker',
      });
      expect(res.status).toBe(200);
      expect(res.text).toContain('name="speakers.1.name"');
      expect(res.text).toContain('value="Camille Martin"');
      expect(res.text).toContain('Rampe &lt;accès&gt;');
      expect(res.text).toContain('<option value="rural" selected>');
      expect(await ds.query('SELECT id FROM proposals')).toEqual([]);
    });

    it('re-renders bad input with per-field errors and kept values (422)', async () => {
      const { edition, formats } = await createOpenCall(ds);
      await createQuestion(ds, edition.id, { key: 'site', kind: 'url', required: true });
      const res = await postForm(newBrowser(api), {
        ...filled(formats.get('table-ronde')!, {
          'speakers.0.stakeholderType': '',
          'answers.site': 'javascript:alert(1)',
          title: 'x'.repeat(201),
        }),
      });
      expect(res.status).toBe(422);
      expect(res.text).toContain('aria-invalid="true" aria-describedby="f-title-error"');
      expect(res.text).toContain('Au plus 200 caractères.');
      expect(res.text).toContain('value="Camille Martin"');
      expect(await ds.query('SELECT id FROM proposals')).toEqual([]);

      const domain = await postForm(newBrowser(api), {
        ...filled(formats.get('table-ronde')!, {
          'speakers.0.stakeholderType': '',
          'answers.site': 'javascript:alert(1)',
        }),
      });
      expect(domain.status).toBe(422);
      expect(domain.text).toContain('Ce format demande de 3 à 6 intervenant·es.');
      expect(domain.text).toContain('Saisissez une adresse commençant par http:// ou https://.');
      expect(domain.text).toContain('Ce champ est obligatoire.');
      expect(domain.text).toContain('value="javascript:alert(1)"');
    });

    it('submits: stores the proposal, its answers and speakers, stages the emails, says to check them', async () => {
      const { edition, formats } = await createOpenCall(ds);
      await createQuestion(ds, edition.id, {
        key: 'transport',
        kind: 'multiple_choice',
        options: [
          { key: 'train', fr: 'Train', en: 'Train' },
          { key: 'car', fr: 'Voiture', en: 'Car' },
        ],
      });
      await createQuestion(ds, edition.id, { key: 'first', kind: 'yes_no', position: 1 });
      const browser = newBrowser(api);
      const page = await browser.open(FORM);
      const idem = /name="_idem" value="([^"]+)"/.exec(page.html)![1];
      const body = new URLSearchParams({
        _csrf: page.csrf!,
        _idem: idem,
        ...filled(formats.get('atelier')!),
        'speakers.1.name': 'Jules Bernard',
        'speakers.1.email': 'jules@example.org',
        'speakers.1.stakeholderType': 'local_authority',
        'speakers.1.territoryType': 'urban',
        'answers.first': 'yes',
        expectedAudience: '40',
      });
      body.append('availability', '2027-03-11');
      body.append('answers.transport', 'train');
      body.append('answers.transport', 'car');
      const send = () =>
        browser.agent.post(FORM).set('Accept', 'text/html').type('form').send(body.toString());
      // A double click: the same form twice makes one proposal.
      const [res, again] = [await send(), await send()];
      expect(res.status).toBe(303);
      expect(again.status).toBe(303);
      expect(res.headers.location).toBe('/e/lille-2027/propose/sent');
      const [row] = await ds.query<Record<string, unknown>[]>(
        'SELECT state, answers, availability, expected_audience, submitter_locale FROM proposals',
      );
      expect(row).toEqual({
        state: 'submitted',
        answers: { transport: ['train', 'car'], first: true },
        availability: ['2027-03-11'],
        expected_audience: 40,
        submitter_locale: 'fr',
      });
      const mails = await ds.query<{ recipient: string; template: string }[]>(
        'SELECT recipient, template FROM outbox_messages ORDER BY recipient',
      );
      expect(mails).toEqual([
        { recipient: 'camille@example.org', template: 'proposal-received' },
        { recipient: 'jules@example.org', template: 'speaker-confirmation' },
      ]);
      const sent = await browser.open('/e/lille-2027/propose/sent');
      expect(sent.html).toContain('Vérifiez vos e-mails');
    });

    it('saves a draft with only the format, a name and an email', async () => {
      const { formats } = await createOpenCall(ds);
      const res = await postForm(newBrowser(api), {
        formatId: formats.get('table-ronde')!,
        'speakers.0.name': 'Camille Martin',
        'speakers.0.email': 'camille@example.org',
        _action: 'draft',
      });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/e/lille-2027/propose/sent?draft=1');
      const [row] = await ds.query<{ state: string }[]>('SELECT state FROM proposals');
      expect(row.state).toBe('draft');
      const templates = await ds.query<{ template: string }[]>(
        'SELECT template FROM outbox_messages ORDER BY template',
      );
      expect(templates.map((t) => t.template)).toEqual([
        'proposal-draft-reminder',
        'proposal-draft-saved',
      ]);
    });

    it('refuses a submission once the call has closed, saying why', async () => {
      const { formats } = await createOpenCall(ds);
      const browser = newBrowser(api);
      const page = await browser.open(FORM);
      await ds.query(`UPDATE calls SET closes_at = now() - interval '1 minute'`);
      const res = await browser.post(FORM, filled(formats.get('atelier')!), page.csrf);
      expect(res.status).toBe(422);
      expect(res.text).toContain('L&#x27;appel à contributions est clos depuis le');
      expect(await ds.query('SELECT id FROM proposals')).toEqual([]);
    });

    it('needs its CSRF token, and limits submissions per client', async () => {
      const { formats } = await createOpenCall(ds);
      const browser = newBrowser(api);
      const forged = await browser.post(FORM, filled(formats.get('atelier')!), null);
      expect(forged.status).toBe(403);
      const page = await browser.open(FORM);
      const statuses: number[] = [];
      for (let i = 0; i < 21; i += 1)
        statuses.push((await browser.post(FORM, { _action: 'add-speaker' }, page.csrf)).status);
      expect(statuses.slice(0, 19).every((s) => s === 200)).toBe(true);
      expect(statuses.at(-1)).toBe(429);
    });
  });
  describe('translations', () => {
    it('shows no untranslated key on the call pages, in French or English', async () => {
      const { edition, formats } = await createOpenCall(ds);
      await createQuestion(ds, edition.id, {
        key: 'words',
        kind: 'long_text',
        maxLength: 50,
        lengthUnit: 'words',
        formatKeys: ['atelier'],
      });
      const res = await newBrowser(api).json('post', '/api/v1/editions/lille-2027/proposals', {
        draft: true,
        formatId: formats.get('atelier')!,
        speakers: [{ name: 'Camille', email: 'camille@example.org' }],
      });
      const [mail] = await ds.query<{ data: { manageUrl: string } }[]>(
        `SELECT data FROM outbox_messages WHERE template = 'proposal-draft-saved'`,
      );
      const manage = new URL(mail.data.manageUrl);
      expect(res.status).toBe(201);
      for (const lang of ['fr', 'en']) {
        for (const path of [
          '/e/lille-2027',
          '/e/lille-2027/call',
          FORM,
          '/e/lille-2027/propose/sent?draft=1',
          `${manage.pathname}${manage.search}`,
        ]) {
          const browser = newBrowser(api);
          const page = await browser.open(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          expect({ path, lang, status: page.status }).toEqual({ path, lang, status: 200 });
          const keys =
            page.html.match(/\b(call|proposals|validation)\.[a-z_]+(\.[a-z_]+)*\b/g) ?? [];
          expect({ path, lang, keys }).toEqual({ path, lang, keys: [] });
        }
      }
    });
  });

  describe('the manage page', () => {
    /** Submits through the JSON API and returns the manage page's path (from the email). */
    async function submitted(body: object, template = 'proposal-received') {
      const res = await newBrowser(api).json('post', '/api/v1/editions/lille-2027/proposals', body);
      expect(res.status).toBe(201);
      const [mail] = await ds.query<{ data: { manageUrl: string } }[]>(
        `SELECT data FROM outbox_messages WHERE template = $1 AND purpose LIKE $2`,
        [template, `%${res.body.id as string}`],
      );
      const url = new URL(mail.data.manageUrl);
      return { id: res.body.id as string, path: `${url.pathname}${url.search}` };
    }

    const complete = (formatId: string, over: Record<string, unknown> = {}) => ({
      abstract: 'Résumé',
      formatId,
      language: 'fr',
      speakers: [
        {
          email: 'camille@example.org',
          name: 'Camille Martin',
          stakeholderType: 'project_holder',
          territoryType: 'rural',
        },
      ],
      title: 'Une gare',
      ...over,
    });

    it('shows the answers and hostile text as text, and edits the proposal until the deadline', async () => {
      const { edition, formats } = await createOpenCall(ds);
      await createQuestion(ds, edition.id, {
        key: 'transport',
        kind: 'single_choice',
        labelFr: 'Comment viendrez-vous ?',
        options: [
          { key: 'train', fr: 'Train', en: 'Train' },
          { key: 'car', fr: 'Voiture', en: 'Car' },
        ],
      });
      const { id, path } = await submitted(
        complete(formats.get('atelier')!, {
          title: '<img src=x onerror=alert(1)>',
          answers: { transport: 'car' },
        }),
      );
      const browser = newBrowser(api);
      const page = await browser.open(path);
      expect(page.status).toBe(200);
      expect(page.html).not.toContain('<img src=x');
      expect(page.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
      expect(page.html).toContain('Comment viendrez-vous ?');
      expect(page.html).toContain('Voiture');
      expect(page.html).toContain(`action="/proposals/${id}/edit?token=`);

      const action = path.replace('?', '/edit?');
      const bad = await browser.post(
        action,
        {
          title: '',
          abstract: 'Résumé',
          formatId: formats.get('atelier')!,
          'answers.transport': 'plane',
        },
        page.csrf,
      );
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Choisissez parmi les propositions.');
      const ok = await browser.post(
        action,
        {
          title: 'Une gare, un tiers-lieu',
          abstract: 'Résumé',
          formatId: formats.get('atelier')!,
          language: 'fr',
          'answers.transport': 'train',
        },
        page.csrf,
      );
      expect(ok.status).toBe(303);
      const [row] = await ds.query<{ title: string; answers: object }[]>(
        'SELECT title, answers FROM proposals WHERE id = $1',
        [id],
      );
      expect(row).toEqual({ title: 'Une gare, un tiers-lieu', answers: { transport: 'train' } });

      await ds.query(`UPDATE calls SET closes_at = now() - interval '1 minute'`);
      const late = await browser.open(path);
      expect(late.html).not.toContain(`action="/proposals/${id}/edit?token=`);
    });

    it('adds a co-speaker, who gets the confirmation email; refuses beyond the format maximum', async () => {
      const { formats } = await createOpenCall(ds);
      const { id, path } = await submitted(complete(formats.get('temoignage')!));
      const browser = newBrowser(api);
      const page = await browser.open(path);
      const action = path.replace('?', '/speakers?');
      const missing = await browser.post(
        action,
        { 'speaker.name': 'Jules', 'speaker.email': 'jules@example.org' },
        page.csrf,
      );
      expect(missing.status).toBe(422);
      expect(missing.text).toContain('value="Jules"');
      const added = await browser.post(
        action,
        {
          'speaker.name': 'Jules',
          'speaker.email': 'jules@example.org',
          'speaker.stakeholderType': 'company',
          'speaker.territoryType': 'urban',
        },
        page.csrf,
      );
      expect(added.status).toBe(303);
      const [mail] = await ds.query<{ recipient: string }[]>(
        `SELECT recipient FROM outbox_messages WHERE template = 'speaker-confirmation'`,
      );
      expect(mail.recipient).toBe('jules@example.org');
      const after = await browser.open(path);
      expect(after.html).toContain('Jules');
      expect(after.html).not.toContain(`action="/proposals/${id}/speakers?`);
    });

    it('continues a draft, adds a speaker block, then submits it as a full proposal', async () => {
      const { formats } = await createOpenCall(ds);
      const { id, path } = await submitted(
        {
          draft: true,
          formatId: formats.get('atelier')!,
          speakers: [{ name: 'Camille Martin', email: 'camille@example.org' }],
        },
        'proposal-draft-saved',
      );
      const browser = newBrowser(api);
      const page = await browser.open(path);
      expect(page.html).toContain('name="speakers.0.name"');
      const action = path.replace('?', '/edit?');
      const fields = {
        title: 'Fini',
        abstract: 'Résumé',
        formatId: formats.get('atelier')!,
        language: 'fr',
        'speakers.0.name': 'Camille Martin',
        'speakers.0.email': 'camille@example.org',
        'speakers.0.stakeholderType': 'coworking_operator',
        'speakers.0.territoryType': 'periurban',
      };
      const more = await browser.post(action, { ...fields, _action: 'add-speaker' }, page.csrf);
      expect(more.status).toBe(200);
      expect(more.text).toContain('name="speakers.1.name"');
      const incomplete = await browser.post(
        action,
        { ...fields, 'speakers.0.territoryType': '', _action: 'submit' },
        page.csrf,
      );
      expect(incomplete.status).toBe(422);
      const done = await browser.post(
        action,
        {
          ...fields,
          'speakers.1.name': 'Jules',
          'speakers.1.email': 'jules@example.org',
          'speakers.1.stakeholderType': 'company',
          'speakers.1.territoryType': 'urban',
          _action: 'submit',
        },
        page.csrf,
      );
      expect(done.status).toBe(303);
      const [row] = await ds.query<{ state: string }[]>(
        'SELECT state FROM proposals WHERE id = $1',
        [id],
      );
      expect(row.state).toBe('submitted');
      const templates = await ds.query<{ template: string; status: string }[]>(
        `SELECT template, status FROM outbox_messages ORDER BY template`,
      );
      expect(templates).toEqual([
        { template: 'proposal-draft-reminder', status: 'cancelled' },
        { template: 'proposal-draft-saved', status: expect.any(String) },
        { template: 'proposal-received', status: expect.any(String) },
        { template: 'speaker-confirmation', status: expect.any(String) },
      ]);
    });
  });
});
