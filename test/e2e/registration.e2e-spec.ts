import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { RegistrationService } from '@assises/registration';
import { DataSource } from 'typeorm';
import { OfferExpirySweep } from '../../apps/worker/src/sweeps/offer-expiry.sweep';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, startWorker, TestApi, TestWorker } from '../harness/app';
import { Browser, flashIn, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { SmtpSink, startSmtpSink } from '../harness/smtp';
import { eventually } from '../harness/wait';

const DAY = 86_400_000;

interface Outcome {
  id: string;
  status: string;
  position?: number;
}

describe('Registration', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let worker: TestWorker;
  let sink: SmtpSink;
  let ds: DataSource;

  const as = (account: CreatedAccount) => loginJson(api, account.email, DEFAULT_PASSWORD);
  const startsAt = () => new Date(Date.now() + 30 * DAY);

  /** An edition open for registration, its owner and a volunteer; settings put through the API. */
  async function openEdition(settings: Record<string, unknown> = {}, slug = 'lyon-2027') {
    const created = await createEdition(ds, {
      slug,
      status: EditionStatus.RegistrationOpen,
      startsAt: startsAt(),
      endsAt: new Date(startsAt().getTime() + DAY),
      capacity: 300,
      members: { owner: {}, volunteer: {} },
    });
    const owner = await as(created.members.owner as CreatedAccount);
    const res = await owner.json('put', `/api/v1/editions/${slug}/registration`, {
      opensAt: new Date(Date.now() - DAY).toISOString(),
      closesAt: new Date(Date.now() + 20 * DAY).toISOString(),
      ...settings,
    });
    if (res.status !== 200) throw new Error(`settings: ${res.status} ${JSON.stringify(res.body)}`);
    return { ...created, owner };
  }

  let people = 0;
  const person = (overrides: Record<string, unknown> = {}) => {
    people += 1;
    return {
      name: `Personne ${people}`,
      email: `personne-${people}@example.org`,
      organisation: 'La Gare numérique',
      stakeholderType: 'coworking_operator',
      territoryType: 'rural',
      privacyConsent: true,
      ...overrides,
    };
  };

  const register = (body: object, slug = 'lyon-2027', key?: string) => {
    const req = newBrowser(api).json('post', `/api/v1/editions/${slug}/registrations`, body);
    return key ? req.set('Idempotency-Key', key) : req;
  };

  /** The manage token, as the emails carry it (derived from the id with the server secret). */
  const tokenOf = (id: string) => api.app.get(RegistrationService).manageToken(id);
  const bearer = (
    browser: Browser,
    method: 'get' | 'patch' | 'delete' | 'post',
    path: string,
    id: string,
    body?: object,
  ) => browser.json(method, path, body).set('Authorization', `Bearer ${tokenOf(id)}`);

  const states = async () =>
    ds.query<{ email: string; state: string }[]>(
      `SELECT email, state FROM registrations ORDER BY seq`,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpSink();
    config = testConfig(db.url, { TRUST_PROXY: 'true', SMTP_URL: sink.url });
    api = await startApi(config);
    worker = await startWorker(config);
    ds = api.app.get(DataSource);
  });

  afterEach(async () => {
    await truncateAll(ds);
    sink.messages.length = 0;
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  describe('registering', () => {
    it('confirms with a seat, emails a summary with the iCal event, the QR code and the manage link, and schedules J-7 and J-1', async () => {
      await openEdition({ capacity: 10 });
      const res = await register(person({ email: 'Camille@Example.org', name: 'Camille <b>' }));
      expect(res.status).toBe(201);
      const outcome = res.body as Outcome;
      expect(outcome).toEqual({ id: expect.any(String), status: 'confirmed' });

      const [mail] = await sink.waitFor(1);
      expect(mail.to).toEqual(['camille@example.org']);
      expect(mail.subject).toContain('Inscription confirmée');
      expect(mail.html).toContain('Camille &lt;b&gt;');
      expect(mail.text).toContain(`/registrations/${outcome.id}?token=${tokenOf(outcome.id)}`);
      const ics = mail.attachments.find((a) => a.filename.endsWith('.ics'));
      expect(ics?.content.toString('utf8')).toContain('BEGIN:VEVENT');
      const qr = mail.attachments.find((a) => a.contentType === 'image/png');
      expect(qr?.cid).toBe('check-in-qr@assises');
      expect(qr?.content.subarray(1, 4).toString()).toBe('PNG');

      const reminders = await ds.query<{ purpose: string; not_before: Date; status: string }[]>(
        `SELECT purpose, not_before, status FROM outbox_messages WHERE template = 'registration-reminder' ORDER BY not_before`,
      );
      expect(reminders.map((r) => r.purpose)).toEqual([
        `registration-reminder:${outcome.id}:7d`,
        `registration-reminder:${outcome.id}:1d`,
      ]);
      expect(reminders.every((r) => r.status === 'pending')).toBe(true);

      const audit = await ds.query<{ action: string; to_state: string }[]>(
        `SELECT action, to_state FROM audit_events WHERE subject_type = 'registration'`,
      );
      expect(audit).toEqual([{ action: 'confirm', to_state: 'confirmed' }]);
    });

    it('answers 422 registration.closed before it opens, after it closes and when not set up', async () => {
      await openEdition({
        opensAt: new Date(Date.now() + DAY).toISOString(),
        closesAt: new Date(Date.now() + 2 * DAY).toISOString(),
      });
      const early = await register(person());
      expect(early.status).toBe(422);
      expect(early.body).toMatchObject({ code: 'registration.closed' });
      await createEdition(ds, { slug: 'nantes-2028', status: EditionStatus.Announced });
      const none = await register(person(), 'nantes-2028');
      expect(none.body).toMatchObject({ code: 'registration.closed' });
      const state = await newBrowser(api).json('get', '/api/v1/editions/lyon-2027/registration');
      expect(state.body).toMatchObject({
        open: false,
        reason: 'not_yet',
        categories: [{ key: 'participant' }],
      });
      const page = await newBrowser(api).open('/e/lyon-2027/register');
      expect(page.status).toBe(200);
      expect(page.html).toContain('Les inscriptions ne sont pas encore ouvertes.');
      expect(page.html).not.toContain('name="email"');
    });

    it('sees a change made elsewhere (another api process, psql) at once, though it keeps the edition in memory', async () => {
      await openEdition();
      expect((await register(person())).status).toBe(201);
      // Another process closes registration and hides the category: this one hears it from
      // PostgreSQL (NOTIFY) instead of waiting for its copy to expire.
      await ds.query(
        `UPDATE registration_settings SET closes_at = now() - interval '1 minute'
          WHERE edition_id = (SELECT id FROM editions WHERE slug = 'lyon-2027')`,
      );
      const closed = await eventually(
        async () => {
          const res = await register(person());
          return res.status === 422 && res.body;
        },
        { what: 'registration seen closed', timeoutMs: 5_000, intervalMs: 20 },
      );
      expect(closed).toMatchObject({ code: 'registration.closed' });
      await ds.query(
        `UPDATE registration_settings SET closes_at = now() + interval '1 day'
          WHERE edition_id = (SELECT id FROM editions WHERE slug = 'lyon-2027')`,
      );
      await ds.query(`UPDATE ticket_categories SET hidden = true WHERE key = 'participant'`);
      const hidden = await eventually(
        async () => {
          const res = await register(person());
          return res.status === 422 && res.body.fields?.category && res.body;
        },
        { what: 'category seen hidden', timeoutMs: 5_000, intervalMs: 20 },
      );
      expect(hidden).toMatchObject({ fields: { category: expect.any(Array) } });
    });

    it('refuses bad input with per-field messages and stores nothing', async () => {
      await openEdition();
      const res = await register({ name: '', email: 'nope', privacyConsent: false });
      expect(res.status).toBe(422);
      const text = JSON.stringify(res.body);
      for (const field of ['email', 'privacyConsent', 'stakeholderType', 'territoryType'])
        expect(text).toContain(field);
      expect(await states()).toEqual([]);
    });

    it('puts people on a waiting list with a visible position once full', async () => {
      await openEdition({ capacity: 1 });
      expect((await register(person())).body).toMatchObject({ status: 'confirmed' });
      expect((await register(person())).body).toMatchObject({ status: 'waiting', position: 1 });
      const third = (await register(person())).body as Outcome;
      expect(third).toMatchObject({ status: 'waiting', position: 2 });
      const view = await bearer(
        newBrowser(api),
        'get',
        `/api/v1/registrations/${third.id}`,
        third.id,
      );
      expect(view.body).toMatchObject({ status: 'waiting', position: 2, checkInCode: null });
      const mails = await sink.waitFor(3);
      expect(mails.map((m) => m.subject).sort()[2]).toContain("Liste d'attente");
    });

    it('gives a retried request with the same Idempotency-Key the same registration', async () => {
      await openEdition();
      const body = person();
      const [a, b] = await Promise.all([
        register(body, 'lyon-2027', 'k-1'),
        register(body, 'lyon-2027', 'k-1'),
      ]);
      expect([a.status, b.status].sort()).toEqual([201, 201]);
      expect((a.body as Outcome).id).toBe((b.body as Outcome).id);
      expect(await states()).toHaveLength(1);
    });

    it('refuses the same address twice (409), even in parallel', async () => {
      await openEdition();
      const body = person();
      const results = await Promise.all([register(body), register(body), register(body)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(results.find((r) => r.status === 409)?.body).toMatchObject({
        code: 'registration.already_registered',
      });
      expect(await states()).toHaveLength(1);
    });

    it('opens a hidden category only with an invitation code, single use', async () => {
      const { owner } = await openEdition();
      const hidden = await register(person({ category: 'press' }));
      expect(hidden.status).toBe(422);
      expect(JSON.stringify(hidden.body)).toContain('category');
      const code = await owner.json('post', '/api/v1/editions/lyon-2027/invitation-codes', {
        category: 'press',
        code: 'PRESSE-2027',
      });
      expect(code.status).toBe(201);
      const ok = await register(person({ invitationCode: 'presse-2027' }));
      expect(ok.status).toBe(201);
      const again = await register(person({ invitationCode: 'PRESSE-2027' }));
      expect(again.status).toBe(422);
      expect(JSON.stringify(again.body)).toContain('invitationCode');
      const [row] = await ds.query<{ key: string }[]>(
        `SELECT c.key FROM registrations r JOIN ticket_categories c ON c.id = r.category_id`,
      );
      expect(row.key).toBe('press');
    });

    it('keeps a category within its quota', async () => {
      const { owner } = await openEdition({
        capacity: 10,
        categories: [
          { key: 'participant', nameFr: 'Participant', nameEn: 'Participant', quota: 1 },
          { key: 'press', nameFr: 'Presse', nameEn: 'Press', hidden: true },
        ],
      });
      await owner.json('post', '/api/v1/editions/lyon-2027/invitation-codes', {
        category: 'press',
        code: 'PRESS',
        maxUses: 5,
      });
      expect((await register(person())).body).toMatchObject({ status: 'confirmed' });
      expect((await register(person())).body).toMatchObject({ status: 'waiting', position: 1 });
      expect((await register(person({ invitationCode: 'PRESS' }))).body).toMatchObject({
        status: 'confirmed',
      });
    });
  });

  describe('the manage link', () => {
    it('shows, changes and cancels with the Bearer token; any other token gets 404', async () => {
      await openEdition();
      const mine = (await register(person())).body as Outcome;
      const other = (await register(person())).body as Outcome;
      const browser = newBrowser(api);
      const view = await bearer(browser, 'get', `/api/v1/registrations/${mine.id}`, mine.id);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        status: 'confirmed',
        checkInCode: expect.stringMatching(/^.{4}-.{4}-.{4}$/),
      });
      const stolen = await browser
        .json('get', `/api/v1/registrations/${mine.id}`)
        .set('Authorization', `Bearer ${tokenOf(other.id)}`);
      expect(stolen.status).toBe(404);
      expect((await browser.json('get', `/api/v1/registrations/${mine.id}`)).status).toBe(404);

      const patched = await bearer(browser, 'patch', `/api/v1/registrations/${mine.id}`, mine.id, {
        dietaryNeeds: 'végétarien',
        publicListing: true,
      });
      expect(patched.body).toMatchObject({ dietaryNeeds: 'végétarien', publicListing: true });

      const cancelled = await bearer(
        browser,
        'delete',
        `/api/v1/registrations/${mine.id}`,
        mine.id,
      );
      expect(cancelled.status).toBe(204);
      const reminders = await ds.query<{ status: string }[]>(
        `SELECT status FROM outbox_messages WHERE purpose LIKE $1`,
        [`registration-reminder:${mine.id}:%`],
      );
      expect(reminders.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
      const twice = await bearer(browser, 'delete', `/api/v1/registrations/${mine.id}`, mine.id);
      expect(twice.status).toBe(409);
    });
  });

  describe('the waiting list', () => {
    it('promotes the first person waiting at once when a seat frees (mode auto), with a "you are in" email', async () => {
      await openEdition({ capacity: 1 });
      const first = (await register(person())).body as Outcome;
      const second = (await register(person({ email: 'second@example.org' }))).body as Outcome;
      const third = (await register(person())).body as Outcome;
      await sink.waitFor(3);
      await bearer(newBrowser(api), 'delete', `/api/v1/registrations/${first.id}`, first.id);
      const rows = await ds.query<{ id: string; state: string }[]>(
        'SELECT id, state FROM registrations ORDER BY seq',
      );
      expect(rows.map((r) => r.state)).toEqual(['cancelled', 'confirmed', 'waiting']);
      const view = await bearer(
        newBrowser(api),
        'get',
        `/api/v1/registrations/${third.id}`,
        third.id,
      );
      expect(view.body).toMatchObject({ position: 1 });
      const mail = await eventually(
        () =>
          sink.messages.find(
            (m) => m.to.includes('second@example.org') && m.subject.includes('place'),
          ),
        { what: 'the promotion email' },
      );
      expect(mail.attachments).toHaveLength(2);
      expect(mail.text).toContain(tokenOf(second.id));
    });

    it('offers the seat for N hours in mode offer; an expired offer passes to the next person', async () => {
      await openEdition({ capacity: 1, waitlistMode: 'offer', offerHours: 2 });
      const first = (await register(person())).body as Outcome;
      const second = (await register(person())).body as Outcome;
      const third = (await register(person())).body as Outcome;
      await bearer(newBrowser(api), 'delete', `/api/v1/registrations/${first.id}`, first.id);
      expect((await states()).map((r) => r.state)).toEqual(['cancelled', 'offered', 'waiting']);
      const [offer] = await ds.query<{ template: string }[]>(
        `SELECT template FROM outbox_messages WHERE purpose = $1`,
        [`registration-offer:${second.id}`],
      );
      expect(offer.template).toBe('registration-offer');

      await ds.query(
        `UPDATE registrations SET offer_expires_at = now() - interval '1 minute' WHERE id = $1`,
        [second.id],
      );
      const late = await bearer(
        newBrowser(api),
        'post',
        `/api/v1/registrations/${second.id}/accept`,
        second.id,
      );
      expect(late.status).toBe(409);
      // The worker's sweep (every minute) does this; here it is run at once.
      expect(await worker.app.get(OfferExpirySweep).runOnce()).toBe(1);
      expect((await states()).map((r) => r.state)).toEqual(['cancelled', 'expired', 'offered']);

      const accepted = await bearer(
        newBrowser(api),
        'post',
        `/api/v1/registrations/${third.id}/accept`,
        third.id,
      );
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'confirmed' });
    });

    it('promotes when organisers raise the capacity', async () => {
      await openEdition({ capacity: 1 });
      await register(person());
      await register(person());
      await register(person());
      const { owner } = { owner: await loginOwner() };
      const res = await owner.json('put', '/api/v1/editions/lyon-2027/registration', {
        opensAt: new Date(Date.now() - DAY).toISOString(),
        closesAt: new Date(Date.now() + 20 * DAY).toISOString(),
        capacity: 2,
      });
      expect(res.body).toMatchObject({ capacity: 2, seatsLeft: 0 });
      expect((await states()).map((r) => r.state)).toEqual(['confirmed', 'confirmed', 'waiting']);
    });
  });

  describe('following the edition', () => {
    it('opens seats when the edition capacity grows and registration follows it', async () => {
      const { owner, edition } = await openEdition();
      await ds.query('UPDATE registration_settings SET seats_left = 1 WHERE edition_id = $1', [
        edition.id,
      ]);
      await register(person());
      expect((await register(person())).body).toMatchObject({ status: 'waiting', position: 1 });
      const res = await owner.json('patch', '/api/v1/editions/lyon-2027', { capacity: 301 });
      expect(res.status).toBe(200);
      expect((await states()).map((r) => r.state)).toEqual(['confirmed', 'confirmed']);
    });
  });

  /** Signs in the owner of lyon-2027 (created by openEdition). */
  async function loginOwner(): Promise<Browser> {
    const [row] = await ds.query<{ email: string }[]>(
      `SELECT a.email FROM accounts a JOIN memberships m ON m.account_id = a.id
        JOIN editions e ON e.id = m.edition_id WHERE e.slug = 'lyon-2027' AND m.role = 'owner'`,
    );
    return loginJson(api, row.email, DEFAULT_PASSWORD);
  }

  describe('pages', () => {
    it('registers through the form without JavaScript, then views, edits and cancels from the manage page', async () => {
      await openEdition({
        capacity: 5,
        questions: [
          { key: 'atelier', labelFr: 'Atelier souhaité', labelEn: 'Workshop', required: true },
        ],
      });
      const browser = newBrowser(api);
      const form = await browser.open('/e/lyon-2027/register');
      expect(form.status).toBe(200);
      expect(form.html).toContain('Places restantes : 5');
      expect(form.html).toContain('Atelier souhaité');

      const bad = await browser.post(
        '/e/lyon-2027/register',
        { name: 'Camille', email: 'x' },
        form.csrf,
      );
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('aria-invalid="true"');
      expect(bad.text).toContain('Votre accord est nécessaire');
      expect(bad.text).toContain('value="Camille"');

      const fields = {
        name: '<script>alert(1)</script>',
        email: 'page@example.org',
        stakeholderType: 'local_authority',
        territoryType: 'urban',
        answer_atelier: 'Tiers-lieux ruraux',
        privacyConsent: 'true',
        publicListing: 'true',
      };
      const missing = await browser.post(
        '/e/lyon-2027/register',
        { ...fields, answer_atelier: '' },
        form.csrf,
      );
      expect(missing.status).toBe(422);
      expect(missing.text).toContain('Cette réponse est obligatoire.');
      const ok = await browser.post('/e/lyon-2027/register', fields, form.csrf);
      expect(ok.status).toBe(303);
      expect(flashIn(ok)?.key).toBe('registration.flash.confirmed');
      const noCsrf = await newBrowser(api).post(
        '/e/lyon-2027/register',
        { ...fields, email: 'csrf@example.org' },
        null,
      );
      expect(noCsrf.status).toBe(403);

      const [row] = await ds.query<{ id: string; answers: Record<string, string> }[]>(
        `SELECT id, answers FROM registrations WHERE email = 'page@example.org'`,
      );
      expect(row.answers).toEqual({ atelier: 'Tiers-lieux ruraux' });
      const url = `/registrations/${row.id}?token=${tokenOf(row.id)}`;
      const manage = await browser.open(url);
      expect(manage.status).toBe(200);
      expect(manage.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(manage.html).not.toContain('<script>alert(1)</script>');
      expect((await browser.open(`/registrations/${row.id}?token=nope`)).status).toBe(404);

      const edited = await browser.post(
        `/registrations/${row.id}/edit?token=${tokenOf(row.id)}`,
        {
          name: 'Camille Martin',
          stakeholderType: 'local_authority',
          territoryType: 'urban',
          answer_atelier: 'Tiers-lieux ruraux',
          dietaryNeeds: 'sans gluten',
          publicListing: 'true',
        },
        manage.csrf,
      );
      expect(edited.status).toBe(303);
      const participants = await newBrowser(api).open('/e/lyon-2027/participants');
      expect(participants.html).toContain('Camille Martin');
      expect(participants.html).not.toContain('page@example.org');

      const cancelled = await browser.post(
        `/registrations/${row.id}/cancel?token=${tokenOf(row.id)}`,
        {},
        manage.csrf,
      );
      expect(cancelled.status).toBe(303);
      expect((await states()).map((r) => r.state)).toEqual(['cancelled']);
      expect((await newBrowser(api).open('/e/lyon-2027/participants')).html).not.toContain(
        'Camille Martin',
      );
    });
  });

  describe('organisers and volunteers', () => {
    it('see the dashboard per category with the stakeholder mix, filter the list and export it formula-safe', async () => {
      const { owner } = await openEdition({ capacity: 2 });
      await register(person({ name: '=HYPERLINK("http://evil")', territoryType: 'urban' }));
      await register(person({ stakeholderType: 'local_authority' }));
      await register(person());
      const dashboard = await owner.json(
        'get',
        '/api/v1/editions/lyon-2027/registrations/dashboard',
      );
      expect(dashboard.status).toBe(200);
      expect(dashboard.body).toMatchObject({
        capacity: 2,
        seatsLeft: 0,
        totals: { confirmed: 2, waiting: 1, cancelled: 0, checkedIn: 0 },
      });
      const body = dashboard.body as {
        categories: { key: string; confirmed: number }[];
        mix: unknown[];
      };
      expect(body.categories.find((c) => c.key === 'participant')).toMatchObject({ confirmed: 2 });
      expect(body.mix).toEqual([
        { stakeholderType: 'coworking_operator', territoryType: 'urban', count: 1 },
        { stakeholderType: 'local_authority', territoryType: 'rural', count: 1 },
      ]);

      const waiting = await owner.json(
        'get',
        '/api/v1/editions/lyon-2027/registrations?state=waiting',
      );
      expect((waiting.body as { total: number }).total).toBe(1);
      const search = await owner.json(
        'get',
        '/api/v1/editions/lyon-2027/registrations?q=HYPERLINK',
      );
      expect((search.body as { total: number }).total).toBe(1);

      const csv = await owner.agent.get('/api/v1/editions/lyon-2027/registrations/export.csv');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.text.startsWith('\ufeffname,email')).toBe(true);
      expect(csv.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
      const xlsx = await owner.agent
        .get('/api/v1/editions/lyon-2027/registrations/export.xlsx')
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(xlsx.status).toBe(200);
      expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');

      const page = await owner.open('/admin/editions/lyon-2027/registrations');
      expect(page.status).toBe(200);
      expect(page.html).toContain('HYPERLINK(&quot;http://evil&quot;)');
    });

    it('move someone to another category and cancel them, which promotes the next person', async () => {
      const { owner } = await openEdition({ capacity: 1 });
      const first = (await register(person())).body as Outcome;
      await register(person());
      const moved = await owner.json(
        'patch',
        `/api/v1/editions/lyon-2027/registrations/${first.id}`,
        {
          category: 'press',
        },
      );
      expect(moved.status).toBe(200);
      expect(moved.body).toMatchObject({ category: { key: 'press' } });
      const cancelled = await owner.json(
        'post',
        `/api/v1/editions/lyon-2027/registrations/${first.id}/cancel`,
      );
      expect(cancelled.status).toBe(204);
      expect((await states()).map((r) => r.state)).toEqual(['cancelled', 'confirmed']);
      const [audit] = await ds.query<{ actor_id: string }[]>(
        `SELECT actor_id FROM audit_events WHERE subject_id = $1 AND action = 'cancel'`,
        [first.id],
      );
      expect(audit.actor_id).toEqual(expect.any(String));
    });

    it('check people in once, by code or name, even with several volunteers scanning at once', async () => {
      const { members } = await openEdition();
      const { id } = (await register(person({ name: 'Dominique Arrivée' }))).body as Outcome;
      const [{ check_in_code: code }] = await ds.query<{ check_in_code: string }[]>(
        'SELECT check_in_code FROM registrations WHERE id = $1',
        [id],
      );
      const volunteers = await Promise.all(
        Array.from({ length: 5 }, () => as(members.volunteer as CreatedAccount)),
      );
      const scans = await Promise.all(
        volunteers.map((v) =>
          v.json('post', '/api/v1/editions/lyon-2027/check-ins', {
            code: code.toLowerCase().replace(/(.{4})(?=.)/g, '$1-'),
          }),
        ),
      );
      expect(scans.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
      const firsts = scans.filter((s) => (s.body as { already: boolean }).already === false);
      expect(firsts).toHaveLength(1);
      expect(scans[0].body).toMatchObject({
        name: 'Dominique Arrivée',
        checkedIn: 1,
        confirmed: 1,
      });
      const audits = await ds.query(`SELECT 1 FROM audit_events WHERE action = 'check_in'`);
      expect(audits).toHaveLength(1);

      const desk = newBrowser(api);
      await desk.signIn((members.volunteer as CreatedAccount).email, DEFAULT_PASSWORD);
      const found = await desk.open('/admin/editions/lyon-2027/check-in?q=domini');
      expect(found.status).toBe(200);
      expect(found.html).toContain('Dominique Arrivée');
      expect(found.html).toContain('1 présent·es sur 1 inscrit·es');
      expect(found.html).toMatch(/déjà enregistré·e à \d{2}:\d{2}/);
      const again = await desk.post('/admin/editions/lyon-2027/check-in', { code }, found.csrf);
      expect(again.status).toBe(303);
      expect(flashIn(again)?.key).toBe('registration.flash.already_checked_in');
      const unknown = await volunteers[0].json('post', '/api/v1/editions/lyon-2027/check-ins', {
        code: 'ZZZZ-ZZZZ-ZZZZ',
      });
      expect(unknown.status).toBe(404);
    });
  });

  describe('a new edition from this one', () => {
    it('copies categories, questions, reminder offsets and the waiting-list mode', async () => {
      const { owner } = await openEdition({
        reminderDays: [10, 2],
        waitlistMode: 'offer',
        questions: [{ key: 'atelier', labelFr: 'Atelier', labelEn: 'Workshop' }],
      });
      const clone = await owner.json('post', '/api/v1/editions/lyon-2027/clone', {
        slug: 'brest-2028',
        hostCity: 'Brest',
        startsAt: '2028-03-01T09:00',
        endsAt: '2028-03-02T17:00',
      });
      expect(clone.status).toBe(201);
      const settings = await owner.json('get', '/api/v1/editions/brest-2028/registration');
      expect(settings.status).toBe(404); // a draft: not public yet
      const [row] = await ds.query<
        { reminder_days: number[]; waitlist_mode: string; questions: unknown[] }[]
      >(
        `SELECT s.reminder_days, s.waitlist_mode, s.questions FROM registration_settings s
           JOIN editions e ON e.id = s.edition_id WHERE e.slug = 'brest-2028'`,
      );
      expect(row).toMatchObject({ reminder_days: [10, 2], waitlist_mode: 'offer' });
      expect(row.questions).toHaveLength(1);
      const categories = await ds.query<{ key: string }[]>(
        `SELECT c.key FROM ticket_categories c JOIN editions e ON e.id = c.edition_id
          WHERE e.slug = 'brest-2028' ORDER BY c.position`,
      );
      expect(categories.map((c) => c.key)).toEqual([
        'participant',
        'speaker',
        'volunteer',
        'organiser',
        'press',
      ]);
    });
  });

  describe('reminders', () => {
    it('move with the edition dates, and those now past are cancelled', async () => {
      const { owner } = await openEdition();
      const { id } = (await register(person())).body as Outcome;
      const newStart = new Date(Date.now() + 40 * DAY);
      const res = await owner.json('patch', '/api/v1/editions/lyon-2027', {
        startsAt: newStart.toISOString(),
        endsAt: new Date(newStart.getTime() + DAY).toISOString(),
      });
      expect(res.status).toBe(200);
      const rows = await ds.query<{ purpose: string; not_before: Date }[]>(
        `SELECT purpose, not_before FROM outbox_messages WHERE template = 'registration-reminder' ORDER BY not_before`,
      );
      expect(rows.map((r) => [r.purpose, r.not_before.toISOString()])).toEqual([
        [`registration-reminder:${id}:7d`, new Date(newStart.getTime() - 7 * DAY).toISOString()],
        [`registration-reminder:${id}:1d`, new Date(newStart.getTime() - DAY).toISOString()],
      ]);
      const soon = new Date(Date.now() + 3 * DAY);
      await owner.json('patch', '/api/v1/editions/lyon-2027', {
        startsAt: soon.toISOString(),
        endsAt: new Date(soon.getTime() + DAY).toISOString(),
      });
      const after = await ds.query<{ purpose: string; status: string }[]>(
        `SELECT purpose, status FROM outbox_messages WHERE template = 'registration-reminder' ORDER BY purpose`,
      );
      expect(after).toEqual([
        { purpose: `registration-reminder:${id}:1d`, status: 'pending' },
        { purpose: `registration-reminder:${id}:7d`, status: 'cancelled' },
      ]);
    });
  });
});
