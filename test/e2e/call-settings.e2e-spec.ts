import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, flashIn, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

describe('Call settings (organisers)', () => {
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

  /** An announced edition with its call (default formats) and its owner signed in (JSON). */
  async function withCall(
    slug = 'lille-2027',
  ): Promise<{ owner: Browser; editionId: string; account: CreatedAccount }> {
    const { edition, members } = await createEdition(ds, {
      slug,
      status: EditionStatus.Announced,
      startsAt: new Date('2027-03-10T08:00:00Z'),
      endsAt: new Date('2027-03-11T17:00:00Z'),
      members: { owner: {}, reviewer: {} },
    });
    const account = members.owner as CreatedAccount;
    const owner = await loginJson(api, account.email, DEFAULT_PASSWORD);
    const put = await owner.json('put', `/api/v1/editions/${slug}/call`, {
      closesAt: '2027-01-15T23:59',
      opensAt: '2026-10-01T09:00',
    });
    expect(put.status).toBe(200);
    return { owner, editionId: edition.id, account };
  }

  const base = '/api/v1/editions/lille-2027/call';

  describe('call settings', () => {
    it('stores the review and reminder settings and shows them to organisers only', async () => {
      const { owner } = await withCall();
      const res = await owner.json('put', base, {
        blindReview: true,
        closesAt: '2027-01-15T23:59',
        confirmationReminderDays: 5,
        draftReminderDays: 4,
        introduction: 'Venez',
        opensAt: '2026-10-01T09:00',
        reviewsPerProposal: 2,
      });
      expect(res.status).toBe(200);
      const settings = await owner.json('get', `${base}/settings`);
      expect(settings.body).toMatchObject({
        blindReview: true,
        confirmationReminderDays: 5,
        draftReminderDays: 4,
        reviewsPerProposal: 2,
      });
      const pub = await newBrowser(api).json('get', base);
      expect(pub.body).not.toHaveProperty('blindReview');
    });

    it('refuses out-of-range settings with per-field messages', async () => {
      const { owner } = await withCall();
      const res = await owner.json('put', base, {
        closesAt: '2027-01-15T23:59',
        opensAt: '2026-10-01T09:00',
        reviewsPerProposal: 0,
        draftReminderDays: 99,
      });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.fields as object).sort()).toEqual([
        'draftReminderDays',
        'reviewsPerProposal',
      ]);
    });
  });

  describe('formats', () => {
    it('adds, changes and deletes a format, audited; dates in the edition timezone', async () => {
      const { owner } = await withCall();
      const created = await owner.json('post', `${base}/formats`, {
        deadline: '2027-01-05T23:59',
        defaultDurationMinutes: 30,
        key: 'pitch',
        maxSpeakers: 1,
        nameEn: 'Pitch',
        nameFr: 'Pitch',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        key: 'pitch',
        minSpeakers: 1,
        deadline: '2027-01-05T22:59:00.000Z',
      });
      const id = created.body.id as string;
      const changed = await owner.json('patch', `${base}/formats/${id}`, {
        maxSpeakers: 3,
        minSpeakers: 2,
        deadline: null,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ minSpeakers: 2, maxSpeakers: 3, deadline: null });
      expect((await owner.json('delete', `${base}/formats/${id}`)).status).toBe(204);
      const call = await newBrowser(api).json('get', base);
      expect((call.body.formats as { key: string }[]).map((f) => f.key)).not.toContain('pitch');
      const audit = await ds.query<{ action: string }[]>(
        `SELECT action FROM audit_events WHERE subject_type = 'call' ORDER BY created_at`,
      );
      expect(audit.map((a) => a.action)).toEqual([
        'create',
        'create_format',
        'update_format',
        'delete_format',
      ]);
    });

    it('refuses min above max, a taken key, and deleting a format proposals use (409)', async () => {
      const { owner, editionId } = await withCall();
      const [atelier] = await ds.query<{ id: string }[]>(
        `SELECT id FROM call_formats WHERE edition_id = $1 AND key = 'atelier'`,
        [editionId],
      );
      const bounds = await owner.json('patch', `${base}/formats/${atelier.id}`, { minSpeakers: 5 });
      expect(bounds.status).toBe(422);
      expect(bounds.body).toMatchObject({ code: 'call.invalid_format' });
      expect(bounds.body.fields).toHaveProperty('maxSpeakers');
      const taken = await owner.json('post', `${base}/formats`, {
        defaultDurationMinutes: 30,
        key: 'atelier',
        maxSpeakers: 1,
        nameEn: 'Again',
        nameFr: 'Encore',
      });
      expect(taken.status).toBe(422);
      expect(taken.body).toMatchObject({ code: 'call.format_key_taken' });

      await ds.query(
        `INSERT INTO proposals (edition_id, format_id, title, abstract, language, manage_token_hash)
         VALUES ($1, $2, 'T', 'A', 'fr', 'hash-1')`,
        [editionId, atelier.id],
      );
      const inUse = await owner.json('delete', `${base}/formats/${atelier.id}`);
      expect(inUse.status).toBe(409);
      expect(inUse.body).toMatchObject({ code: 'call.format_in_use' });
    });
  });

  describe('themes', () => {
    it('adds, renames and deletes a theme', async () => {
      const { owner } = await withCall();
      const created = await owner.json('post', `${base}/themes`, {
        nameEn: 'Rural areas',
        nameFr: 'Ruralités',
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const renamed = await owner.json('patch', `${base}/themes/${id}`, { nameEn: 'Countryside' });
      expect(renamed.body).toMatchObject({ nameFr: 'Ruralités', nameEn: 'Countryside' });
      expect((await owner.json('delete', `${base}/themes/${id}`)).status).toBe(204);
      expect((await owner.json('delete', `${base}/themes/${id}`)).status).toBe(404);
    });
  });

  describe('questions', () => {
    const question = (over: Record<string, unknown> = {}) => ({
      key: 'transport',
      kind: 'single_choice',
      labelEn: 'How will you travel?',
      labelFr: 'Comment viendrez-vous ?',
      options: [
        { key: 'train', fr: 'Train', en: 'Train' },
        { key: 'car', fr: 'Voiture', en: 'Car' },
      ],
      ...over,
    });

    it('adds questions, limits one to formats, reorders them, and shows them publicly', async () => {
      const { owner } = await withCall();
      const a = await owner.json('post', `${base}/questions`, question({ required: true }));
      expect(a.status).toBe(201);
      const b = await owner.json('post', `${base}/questions`, {
        key: 'pitch',
        kind: 'long_text',
        labelEn: 'Your pitch',
        labelFr: 'Votre pitch',
        maxLength: 50,
        lengthUnit: 'words',
        formatKeys: ['atelier'],
      });
      expect(b.status).toBe(201);
      const order = await owner.json('put', `${base}/questions/order`, {
        ids: [b.body.id, a.body.id],
      });
      expect(order.status).toBe(200);
      const pub = await newBrowser(api).json('get', base);
      expect(pub.body.questions).toEqual([
        expect.objectContaining({
          key: 'pitch',
          formatKeys: ['atelier'],
          lengthUnit: 'words',
          maxLength: 50,
        }),
        expect.objectContaining({ key: 'transport', required: true }),
      ]);
      const partial = await owner.json('put', `${base}/questions/order`, { ids: [a.body.id] });
      expect(partial.status).toBe(422);
    });

    it('refuses a choice question without options, options on text, lengths on numbers, unknown formats', async () => {
      const { owner } = await withCall();
      const cases: [Record<string, unknown>, string][] = [
        [question({ options: [] }), 'options'],
        [question({ kind: 'short_text' }), 'options'],
        [question({ kind: 'number', options: undefined, maxLength: 3 }), 'maxLength'],
        [question({ kind: 'number', options: undefined, minValue: 5, maxValue: 1 }), 'maxValue'],
        [
          question({ kind: 'short_text', options: undefined, minLength: 9, maxLength: 3 }),
          'maxLength',
        ],
        [question({ formatKeys: ['nope'] }), 'formatKeys'],
      ];
      for (const [body, field] of cases) {
        const res = await owner.json('post', `${base}/questions`, body);
        expect({ status: res.status, code: res.body.code }).toEqual({
          status: 422,
          code: 'call.invalid_question',
        });
        expect(Object.keys(res.body.fields as object)).toContain(field);
      }
      const kind = await owner.json('post', `${base}/questions`, question({ kind: 'essay' }));
      expect(kind.status).toBe(422);
      expect(await ds.query('SELECT id FROM call_questions')).toEqual([]);
    });

    it('changes a question (checked as a whole) and deletes it', async () => {
      const { owner } = await withCall();
      const { body } = await owner.json('post', `${base}/questions`, question());
      const id = body.id as string;
      const bad = await owner.json('patch', `${base}/questions/${id}`, { kind: 'yes_no' });
      expect(bad.status).toBe(422);
      const ok = await owner.json('patch', `${base}/questions/${id}`, {
        kind: 'yes_no',
        options: [],
        labelEn: 'Do you come by train?',
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        kind: 'yes_no',
        options: [],
        labelEn: 'Do you come by train?',
      });
      expect((await owner.json('delete', `${base}/questions/${id}`)).status).toBe(204);
    });

    it('travels to a cloned edition with the formats and themes', async () => {
      const { owner } = await withCall();
      await owner.json('post', `${base}/questions`, question({ formatKeys: ['atelier'] }));
      const clone = await owner.json('post', '/api/v1/editions/lille-2027/clone', {
        endsAt: '2028-03-09T18:00',
        hostCity: 'Nantes',
        slug: 'nantes-2028',
        startsAt: '2028-03-08T09:00',
      });
      expect(clone.status).toBe(201);
      await ds.query(`UPDATE editions SET status = 'announced' WHERE slug = 'nantes-2028'`);
      const res = await newBrowser(api).json('get', '/api/v1/editions/nantes-2028/call');
      expect(res.body.questions).toEqual([
        expect.objectContaining({
          key: 'transport',
          formatKeys: ['atelier'],
          options: question().options,
        }),
      ]);
    });
  });

  describe('the admin page', () => {
    async function signedIn() {
      const { account, editionId } = await withCall();
      const browser = newBrowser(api);
      await browser.signIn(account.email, DEFAULT_PASSWORD);
      return { browser, editionId };
    }

    it('is linked from the edition page and lists formats, themes and questions', async () => {
      const { browser } = await signedIn();
      const edition = await browser.open('/admin/editions/lille-2027');
      expect(edition.html).toContain('href="/admin/editions/lille-2027/call"');
      const page = await browser.open('/admin/editions/lille-2027/call');
      expect(page.status).toBe(200);
      expect(page.html).toContain('Table ronde');
      expect(page.html).toContain('value="2027-01-15T23:59"');
      const english = await browser.open('/admin/editions/lille-2027/call?lang=en');
      expect(english.html).toContain('Custom questions');
      for (const html of [page.html, english.html])
        expect(html.match(/\b(call|validation)\.[a-z_]+(\.[a-z_]+)*\b/g) ?? []).toEqual([]);
    });

    it('saves the settings form and re-renders bad input with per-field errors (422)', async () => {
      const { browser } = await signedIn();
      const path = '/admin/editions/lille-2027/call';
      const bad = await browser.submit(path, path, {
        closesAt: '2026-09-01T09:00',
        opensAt: '2026-10-01T09:00',
        introduction: 'Kept <b>text</b>',
      });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('aria-invalid="true"');
      expect(bad.text).toContain('Kept &lt;b&gt;text&lt;/b&gt;');
      const ok = await browser.submit(path, path, {
        closesAt: '2027-01-20T23:59',
        opensAt: '2026-10-01T09:00',
        blindReview: 'on',
        reviewsPerProposal: 4,
      });
      expect(ok.status).toBe(303);
      expect(flashIn(ok)).toMatchObject({ kind: 'success' });
      const [call] = await ds.query<{ blind_review: boolean; reviews_per_proposal: number }[]>(
        'SELECT blind_review, reviews_per_proposal FROM calls',
      );
      expect(call).toEqual({ blind_review: true, reviews_per_proposal: 4 });
    });

    it('adds a choice question from its option lines, and refuses one without options', async () => {
      const { browser } = await signedIn();
      const path = '/admin/editions/lille-2027/call';
      const bad = await browser.submit(path, `${path}/questions`, {
        key: 'transport',
        kind: 'single_choice',
        labelFr: 'Comment viendrez-vous ?',
        labelEn: 'How will you travel?',
      });
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('value="Comment viendrez-vous ?"');
      const ok = await browser.submit(path, `${path}/questions`, {
        key: 'transport',
        kind: 'single_choice',
        labelFr: 'Comment viendrez-vous ?',
        labelEn: 'How will you travel?',
        options: 'train | Train | Train\ncar | Voiture | Car',
        required: 'on',
        formatKeys: 'atelier',
      });
      expect(ok.status).toBe(303);
      const [row] = await ds.query<Record<string, unknown>[]>(
        'SELECT options, required, format_keys FROM call_questions',
      );
      expect(row).toEqual({
        options: [
          { key: 'train', fr: 'Train', en: 'Train' },
          { key: 'car', fr: 'Voiture', en: 'Car' },
        ],
        required: true,
        format_keys: ['atelier'],
      });
    });

    it('turns a choice question into a yes/no question when its choices are emptied', async () => {
      const { browser, editionId } = await signedIn();
      await ds.query(
        `INSERT INTO call_questions (edition_id, key, kind, label_fr, label_en, options)
         VALUES ($1, 'transport', 'single_choice', 'Train ?', 'Train?',
                 '[{"key":"a","fr":"A","en":"A"},{"key":"b","fr":"B","en":"B"}]')`,
        [editionId],
      );
      const [{ id }] = await ds.query<{ id: string }[]>('SELECT id FROM call_questions');
      const path = '/admin/editions/lille-2027/call';
      const res = await browser.submit(path, `${path}/questions/${id}`, {
        key: 'transport',
        kind: 'yes_no',
        labelFr: 'Train ?',
        labelEn: 'Train?',
        options: '',
      });
      expect(res.status).toBe(303);
      const [row] = await ds.query<{ kind: string; options: unknown[] }[]>(
        'SELECT kind, options FROM call_questions',
      );
      expect(row).toEqual({ kind: 'yes_no', options: [] });
    });

    it('says why a used format cannot be deleted', async () => {
      const { browser, editionId } = await signedIn();
      const [atelier] = await ds.query<{ id: string }[]>(
        `SELECT id FROM call_formats WHERE edition_id = $1 AND key = 'atelier'`,
        [editionId],
      );
      await ds.query(
        `INSERT INTO proposals (edition_id, format_id, title, abstract, language, manage_token_hash)
         VALUES ($1, $2, 'T', 'A', 'fr', 'hash-2')`,
        [editionId, atelier.id],
      );
      const path = '/admin/editions/lille-2027/call';
      const res = await browser.submit(path, `${path}/formats/${atelier.id}/delete`);
      expect(res.status).toBe(303);
      expect(flashIn(res)).toMatchObject({ kind: 'error', key: 'call.errors.call_format_in_use' });
    });
  });
});
