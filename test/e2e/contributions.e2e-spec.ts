import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { MailTemplates } from '@assises/mail';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

const DAY = 86_400_000;

interface MailRow {
  recipient: string;
  template: string;
  locale: string;
  data: Record<string, string>;
}

describe('Call for contributions', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;

  const as = (account: CreatedAccount) => loginJson(api, account.email, DEFAULT_PASSWORD);

  /** An announced edition in Paris time with its owner, and a reviewer who may not edit. */
  const announcedEdition = (slug = 'lille-2027') =>
    createEdition(ds, {
      slug,
      status: EditionStatus.Announced,
      startsAt: new Date('2027-03-10T08:00:00Z'),
      endsAt: new Date('2027-03-11T17:00:00Z'),
      members: { owner: {}, reviewer: {} },
    });

  const putCall = {
    closesAt: '2027-01-15T23:59',
    introduction: 'Venez raconter.',
    opensAt: '2026-10-01T09:00',
  };

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

  describe('the call', () => {
    it('is created by an organiser with the four default formats, then public', async () => {
      const { members } = await announcedEdition();
      const owner = members.owner as CreatedAccount;

      const put = await (await as(owner)).json('put', '/api/v1/editions/lille-2027/call', putCall);
      expect(put.status).toBe(200);

      const res = await newBrowser(api).json('get', '/api/v1/editions/lille-2027/call');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        edition: 'lille-2027',
        introduction: 'Venez raconter.',
        opensAt: '2026-10-01T07:00:00.000Z', // local time in Europe/Paris (summer time)
        closesAt: '2027-01-15T22:59:00.000Z',
        themes: [],
      });
      expect(
        (res.body as { formats: Record<string, unknown>[] }).formats.map((f) => [
          f.key,
          f.defaultDurationMinutes,
          f.minSpeakers,
          f.maxSpeakers,
        ]),
      ).toEqual([
        ['atelier', 90, 1, 4],
        ['table-ronde', 60, 3, 6],
        ['temoignage', 20, 1, 2],
        ['conference', 45, 1, 2],
      ]);
      const audit = await ds.query<{ action: string }[]>(
        `SELECT action FROM audit_events WHERE subject_type = 'call'`,
      );
      expect(audit).toEqual([{ action: 'create' }]);
    });

    it('changes its dates without duplicating the formats', async () => {
      const { members } = await announcedEdition();
      const owner = await as(members.owner as CreatedAccount);
      await owner.json('put', '/api/v1/editions/lille-2027/call', putCall);
      const res = await owner.json('put', '/api/v1/editions/lille-2027/call', {
        ...putCall,
        closesAt: '2027-01-31T23:59',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ closesAt: '2027-01-31T22:59:00.000Z' });
      expect((res.body as { formats: unknown[] }).formats).toHaveLength(4);
    });

    it('refuses a call that closes before it opens, naming the field', async () => {
      const { members } = await announcedEdition();
      const res = await (
        await as(members.owner as CreatedAccount)
      ).json('put', '/api/v1/editions/lille-2027/call', {
        ...putCall,
        closesAt: '2026-09-01T09:00',
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'call.invalid_dates' });
      expect(JSON.stringify(res.body)).toContain('closesAt');
    });

    it('is not editable by a reviewer (403)', async () => {
      const { members } = await announcedEdition();
      const res = await (
        await as(members.reviewer as CreatedAccount)
      ).json('put', '/api/v1/editions/lille-2027/call', putCall);
      expect(res.status).toBe(403);
    });

    it('answers 404 call.not_found when the edition has no call, and hides drafts', async () => {
      await announcedEdition();
      await createEdition(ds, { slug: 'draft-2028' });
      const anonymous = newBrowser(api);
      const none = await anonymous.json('get', '/api/v1/editions/lille-2027/call');
      expect(none.status).toBe(404);
      expect(none.body).toMatchObject({ code: 'call.not_found' });
      expect((await anonymous.json('get', '/api/v1/editions/draft-2028/call')).status).toBe(404);
    });

    it('travels to a cloned edition: formats and themes copied, dates shifted by the same offset', async () => {
      const { edition, members } = await announcedEdition();
      const owner = await as(members.owner as CreatedAccount);
      await owner.json('put', '/api/v1/editions/lille-2027/call', putCall);
      await ds.query(
        `INSERT INTO call_themes (edition_id, name_fr, name_en, position)
         VALUES ($1, 'Ruralité', 'Rural areas', 0)`,
        [edition.id],
      );

      const clone = await owner.json('post', '/api/v1/editions/lille-2027/clone', {
        endsAt: '2028-03-09T18:00',
        hostCity: 'Nantes',
        slug: 'nantes-2028',
        startsAt: '2028-03-08T09:00', // 364 days after 2027-03-10T09:00 Paris time
      });
      expect(clone.status).toBe(201);
      await ds.query(`UPDATE editions SET status = 'announced' WHERE slug = 'nantes-2028'`);

      const res = await newBrowser(api).json('get', '/api/v1/editions/nantes-2028/call');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        opensAt: new Date(Date.parse('2026-10-01T07:00:00Z') + 364 * 86_400_000).toISOString(),
        closesAt: new Date(Date.parse('2027-01-15T22:59:00Z') + 364 * 86_400_000).toISOString(),
        introduction: 'Venez raconter.',
        themes: [expect.objectContaining({ nameFr: 'Ruralité', nameEn: 'Rural areas' })],
      });
      expect((res.body as { formats: unknown[] }).formats).toHaveLength(4);
    });
  });

  describe('proposals', () => {
    /** An announced edition whose call is open now (or as `opens`/`closes` say), with its formats. */
    async function openCall(opts: { opens?: number; closes?: number; slug?: string } = {}) {
      const slug = opts.slug ?? 'lille-2027';
      const { edition } = await announcedEdition(slug);
      const now = Date.now();
      await ds.query(`INSERT INTO calls (edition_id, opens_at, closes_at) VALUES ($1, $2, $3)`, [
        edition.id,
        new Date(now + (opts.opens ?? -DAY)),
        new Date(now + (opts.closes ?? 30 * DAY)),
      ]);
      const formats = new Map<string, string>();
      const keys = [
        ['atelier', 1, 4],
        ['table-ronde', 3, 6],
        ['temoignage', 1, 2],
      ] as const;
      for (const [position, [key, min, max]] of keys.entries()) {
        const [{ id }] = await ds.query<{ id: string }[]>(
          `INSERT INTO call_formats (edition_id, key, name_fr, name_en, default_duration_minutes,
             min_speakers, max_speakers, position)
           VALUES ($1, $2, $2, $2, 60, $3, $4, $5) RETURNING id`,
          [edition.id, key, min, max, position],
        );
        formats.set(key, id);
      }
      return { edition, formats };
    }

    const speaker = (n: number, over: Record<string, unknown> = {}) => ({
      email: `speaker${n}@example.org`,
      name: `Speaker ${n}`,
      organisation: 'La Gare numérique',
      stakeholderType: 'project_holder',
      territoryType: 'rural',
      ...over,
    });

    const proposal = (formatId: string, over: Record<string, unknown> = {}) => ({
      abstract: 'Comment une gare désaffectée est devenue un tiers-lieu.',
      formatId,
      language: 'fr',
      speakers: [speaker(1), speaker(2)],
      title: 'Un tiers-lieu dans une ancienne gare',
      ...over,
    });

    const mails = (where = 'true') =>
      ds.query<MailRow[]>(
        `SELECT recipient, template, locale, data FROM outbox_messages WHERE ${where} ORDER BY recipient`,
      );

    /** The manage token in the link emailed to the submitter of `id`. */
    async function tokenOf(id: string): Promise<string> {
      const [mail] = await mails(
        `template = 'proposal-received' AND purpose = 'proposal-received:${id}'`,
      );
      const url = new URL(mail.data.manageUrl);
      expect(url.pathname).toBe(`/proposals/${id}`);
      return url.searchParams.get('token')!;
    }

    const withToken = (
      browser: Browser,
      method: 'get' | 'patch' | 'delete',
      id: string,
      token?: string,
      body?: object,
    ) => {
      const req = browser.json(method, `/api/v1/proposals/${id}`, body);
      return token === undefined ? req : req.set('Authorization', `Bearer ${token}`);
    };

    async function submitted(formats: Map<string, string>, over: Record<string, unknown> = {}) {
      const res = await newBrowser(api).json(
        'post',
        '/api/v1/editions/lille-2027/proposals',
        proposal(formats.get('atelier')!, over),
      );
      expect(res.status).toBe(201);
      const id = (res.body as { id: string }).id;
      return { id, token: await tokenOf(id) };
    }

    describe('pages behind the emailed links', () => {
      it('opens the private manage page with the emailed token only', async () => {
        const { formats } = await openCall();
        const { id, token } = await submitted(formats);
        const other = await submitted(formats, { title: 'Une autre', speakers: [speaker(7)] });

        const page = await newBrowser(api).open(`/proposals/${id}?token=${token}`);
        expect(page.status).toBe(200);
        expect(page.html).toContain('Un tiers-lieu dans une ancienne gare');
        expect(page.html).toContain('Speaker 2');

        expect((await newBrowser(api).open(`/proposals/${id}?token=${other.token}`)).status).toBe(
          404,
        );
        expect((await newBrowser(api).open(`/proposals/${id}`)).status).toBe(404);
      });

      it('withdraws through the page form, which needs its CSRF token', async () => {
        const { formats } = await openCall();
        const { id, token } = await submitted(formats);
        const browser = newBrowser(api);
        const page = await browser.open(`/proposals/${id}?token=${token}`);

        const forged = await browser.post(`/proposals/${id}/withdraw?token=${token}`, {}, null);
        expect(forged.status).toBe(403);
        const done = await browser.post(`/proposals/${id}/withdraw?token=${token}`, {}, page.csrf);

        expect(done.status).toBe(303);
        const [{ state }] = await ds.query<{ state: string }[]>(
          `SELECT state FROM proposals WHERE id = $1`,
          [id],
        );
        expect(state).toBe('withdrawn');
      });

      it('lets a co-speaker confirm through their own link, once', async () => {
        const { formats } = await openCall();
        const { id } = await submitted(formats);
        const [mail] = await mails(`template = 'speaker-confirmation'`);
        expect(mail.recipient).toBe('speaker2@example.org');
        const link = new URL(mail.data.confirmUrl);
        const path = `${link.pathname}${link.search}`;
        const browser = newBrowser(api);

        const page = await browser.open(path);
        expect(page.status).toBe(200);
        expect(page.html).toContain('Un tiers-lieu dans une ancienne gare');
        const confirmed = await browser.post(path, {}, page.csrf);
        expect(confirmed.status).toBe(200);
        await browser.post(path, {}, page.csrf);

        const speakers = await ds.query<{ email: string; confirmed: boolean }[]>(
          `SELECT email, confirmed_at IS NOT NULL AS confirmed FROM proposal_speakers
            WHERE proposal_id = $1 ORDER BY position`,
          [id],
        );
        expect(speakers).toEqual([
          { email: 'speaker1@example.org', confirmed: true },
          { email: 'speaker2@example.org', confirmed: true },
        ]);
        const audit = await ds.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM audit_events WHERE action = 'confirm_speaker' AND subject_id = $1`,
          [id],
        );
        expect(Number(audit[0].n)).toBe(1);
        const forged = `${link.pathname}?token=not-the-token`;
        expect((await newBrowser(api).open(forged)).status).toBe(404);
      });
    });

    it('refuses a submission before the call opens (422 call.closed)', async () => {
      const { formats } = await openCall({ opens: DAY });
      const res = await newBrowser(api).json(
        'post',
        '/api/v1/editions/lille-2027/proposals',
        proposal(formats.get('atelier')!),
      );
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'call.closed' });
      expect(await ds.query('SELECT id FROM proposals')).toEqual([]);
    });

    it('refuses a submission after the call closes (422 call.closed)', async () => {
      const { formats } = await openCall({ opens: -10 * DAY, closes: -DAY });
      const res = await newBrowser(api).json(
        'post',
        '/api/v1/editions/lille-2027/proposals',
        proposal(formats.get('atelier')!),
      );
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'call.closed' });
    });

    it("refuses a submission after the format's own deadline", async () => {
      const { formats } = await openCall();
      await ds.query(
        `UPDATE call_formats SET deadline = now() - interval '1 hour' WHERE key = 'atelier'`,
      );
      const res = await newBrowser(api).json(
        'post',
        '/api/v1/editions/lille-2027/proposals',
        proposal(formats.get('atelier')!),
      );
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'call.closed' });
    });

    it('writes the proposal, its speakers and an audit row, answers only the id, and stages the emails', async () => {
      const { edition, formats } = await openCall();
      const res = await newBrowser(api).json(
        'post',
        '/api/v1/editions/lille-2027/proposals',
        proposal(formats.get('atelier')!, { speakers: [speaker(1), speaker(2), speaker(3)] }),
      );
      expect(res.status).toBe(201);
      expect(Object.keys(res.body as object)).toEqual(['id']);
      const id = (res.body as { id: string }).id;

      const [row] = await ds.query<Record<string, unknown>[]>(
        `SELECT * FROM proposals WHERE id = $1`,
        [id],
      );
      expect(row).toMatchObject({ edition_id: edition.id, state: 'submitted', language: 'fr' });
      expect(row.submitted_at).toBeInstanceOf(Date);
      const speakers = await ds.query<Record<string, unknown>[]>(
        `SELECT email, is_submitter, confirmed_at IS NOT NULL AS confirmed FROM proposal_speakers
          WHERE proposal_id = $1 ORDER BY position`,
        [id],
      );
      expect(speakers).toEqual([
        { email: 'speaker1@example.org', is_submitter: true, confirmed: true },
        { email: 'speaker2@example.org', is_submitter: false, confirmed: false },
        { email: 'speaker3@example.org', is_submitter: false, confirmed: false },
      ]);
      expect(
        await ds.query(
          `SELECT action, from_state, to_state FROM audit_events WHERE subject_type = 'proposal' AND subject_id = $1`,
          [id],
        ),
      ).toEqual([{ action: 'submit', from_state: 'draft', to_state: 'submitted' }]);

      const staged = await mails();
      expect(staged.map((m) => [m.recipient, m.template])).toEqual([
        ['speaker1@example.org', 'proposal-received'],
        ['speaker2@example.org', 'speaker-confirmation'],
        ['speaker3@example.org', 'speaker-confirmation'],
      ]);
      const [, c2, c3] = staged;
      expect(c2.data.confirmUrl).not.toBe(c3.data.confirmUrl);
      expect(c2.data.confirmUrl).toMatch(
        /\/proposals\/[0-9a-f-]+\/speakers\/[0-9a-f-]+\/confirm\?token=/,
      );

      // The emailed link opens the proposal; the token is stored only hashed.
      const token = await tokenOf(id);
      expect(JSON.stringify(row)).not.toContain(token);
      const view = await withToken(newBrowser(api), 'get', id, token);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        id,
        state: 'submitted',
        title: 'Un tiers-lieu dans une ancienne gare',
      });
      expect((view.body as { speakers: unknown[] }).speakers).toHaveLength(3);
    });

    it("never opens a proposal with another one's token, nor without a token (404)", async () => {
      const { formats } = await openCall();
      const first = await submitted(formats);
      const second = await submitted(formats, { speakers: [speaker(5)] });
      const browser = newBrowser(api);
      for (const res of [
        await withToken(browser, 'get', first.id, second.token),
        await withToken(browser, 'get', first.id),
        await withToken(browser, 'get', first.id, 'not-a-token'),
        await withToken(browser, 'patch', first.id, second.token, { title: 'Pris' }),
        await withToken(browser, 'delete', first.id, second.token),
        await withToken(browser, 'get', 'not-a-uuid', first.token),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ code: 'proposal.not_found' });
      }
      const [row] = await ds.query<{ title: string; state: string }[]>(
        `SELECT title, state FROM proposals WHERE id = $1`,
        [first.id],
      );
      expect(row).toEqual({ title: 'Un tiers-lieu dans une ancienne gare', state: 'submitted' });
    });

    it('lets the link holder edit until the deadline, then refuses with call.closed', async () => {
      const { edition, formats } = await openCall();
      const { id, token } = await submitted(formats);
      const browser = newBrowser(api);
      const ok = await withToken(browser, 'patch', id, token, { title: 'Une gare, un tiers-lieu' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ title: 'Une gare, un tiers-lieu' });

      await ds.query(
        `UPDATE calls SET closes_at = now() - interval '1 minute', opens_at = now() - interval '10 days' WHERE edition_id = $1`,
        [edition.id],
      );
      const late = await withToken(browser, 'patch', id, token, { title: 'Trop tard' });
      expect(late.status).toBe(422);
      expect(late.body).toMatchObject({ code: 'call.closed' });
      const [row] = await ds.query<{ title: string }[]>(
        `SELECT title FROM proposals WHERE id = $1`,
        [id],
      );
      expect(row.title).toBe('Une gare, un tiers-lieu');
    });

    it('withdraws on DELETE, audited, and refuses a second withdrawal', async () => {
      const { formats } = await openCall();
      const { id, token } = await submitted(formats);
      const browser = newBrowser(api);
      expect((await withToken(browser, 'delete', id, token)).status).toBe(204);
      const [row] = await ds.query<{ state: string }[]>(
        `SELECT state FROM proposals WHERE id = $1`,
        [id],
      );
      expect(row.state).toBe('withdrawn');
      expect(
        await ds.query(
          `SELECT action, from_state, to_state FROM audit_events WHERE subject_id = $1 AND action = 'withdraw'`,
          [id],
        ),
      ).toEqual([{ action: 'withdraw', from_state: 'submitted', to_state: 'withdrawn' }]);
      expect((await withToken(browser, 'delete', id, token)).status).toBe(409);
    });

    it('creates one proposal for the same Idempotency-Key sent twice', async () => {
      const { formats } = await openCall();
      const body = proposal(formats.get('atelier')!);
      const browser = newBrowser(api);
      const send = () =>
        browser
          .json('post', '/api/v1/editions/lille-2027/proposals', body)
          .set('Idempotency-Key', 'double-click-1');
      const [a, b] = await Promise.all([send(), send()]);
      const c = await send();
      expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
      const ids = new Set([a, b, c].map((r) => (r.body as { id: string }).id));
      expect(ids.size).toBe(1);
      expect(await ds.query('SELECT count(*)::int AS n FROM proposals')).toEqual([{ n: 1 }]);
      expect(
        await ds.query(
          `SELECT count(*)::int AS n FROM outbox_messages WHERE template = 'proposal-received'`,
        ),
      ).toEqual([{ n: 1 }]);
    });

    it('refuses too many (or too few) speakers for the format, naming the field', async () => {
      const { formats } = await openCall();
      const tooMany = await newBrowser(api).json(
        'post',
        '/api/v1/editions/lille-2027/proposals',
        proposal(formats.get('temoignage')!, { speakers: [speaker(1), speaker(2), speaker(3)] }),
      );
      expect(tooMany.status).toBe(422);
      expect(tooMany.body).toMatchObject({
        fields: { speakers: [expect.stringContaining('between 1 and 2')] },
      });
      const tooFew = await newBrowser(api).json(
        'post',
        '/api/v1/editions/lille-2027/proposals',
        proposal(formats.get('table-ronde')!, { speakers: [speaker(1)] }),
      );
      expect(tooFew.status).toBe(422);
      expect(await ds.query('SELECT id FROM proposals')).toEqual([]);
    });

    it('refuses oversized texts and unknown stakeholder types with per-field messages', async () => {
      const { formats } = await openCall();
      const res = await newBrowser(api).json(
        'post',
        '/api/v1/editions/lille-2027/proposals',
        proposal(formats.get('atelier')!, {
          title: 'x'.repeat(201),
          speakers: [speaker(1, { stakeholderType: 'astronaut', bio: 'b'.repeat(1501) })],
        }),
      );
      expect(res.status).toBe(422);
      expect(Object.keys((res.body as { fields: object }).fields).sort()).toEqual([
        'speakers.0.bio',
        'speakers.0.stakeholderType',
        'title',
      ]);
    });

    it('stores hostile HTML in the title as text and escapes it in the email', async () => {
      const { formats } = await openCall();
      const hostile = '<script>alert(1)</script><b>Gare</b>';
      const { id, token } = await submitted(formats, { title: hostile });
      const view = await withToken(newBrowser(api), 'get', id, token);
      expect(view.body).toMatchObject({ title: hostile });
      const [mail] = await mails(`template = 'proposal-received'`);
      expect(mail.data.proposalTitle).toBe(hostile);
      const rendered = api.app.get(MailTemplates).render('proposal-received', 'fr', mail.data, {
        publicUrl: config.publicUrl,
        unsubscribeUrl: null,
      });
      expect(rendered.html).not.toContain('<script>');
      expect(rendered.html).toContain('&lt;script&gt;');
    });
  });
});
