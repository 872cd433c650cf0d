import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { RegistrationService } from '@assises/registration';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, startWorker, TestApi, TestWorker } from '../harness/app';
import { Browser, flashIn, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { SmtpSink, startSmtpSink } from '../harness/smtp';

const DAY = 86_400_000;
const SLUG = 'rennes-2027';
const SETTINGS = `/admin/editions/${SLUG}/registration-settings`;
const PROGRAMME = `/api/v1/editions/${SLUG}/programme`;

interface Outcome {
  id: string;
  status: string;
  position?: number;
}

/**
 * The organisers' registration pages: the settings page (dates, capacity, waiting list,
 * reminders, categories, invitation codes, questions), workshops on the dashboard and a page per
 * workshop with its exports, the stakeholder mix beside the previous edition, the emails of a
 * workshop sign-up, and the check-in desk showing the person and their workshops.
 */
describe('Registration, organisers’ pages', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let worker: TestWorker;
  let sink: SmtpSink;
  let ds: DataSource;
  let people = 0;

  const tokenOf = (id: string) => api.app.get(RegistrationService).manageToken(id);

  /** An edition open for registration (not set up), with a signed-in owner (page and JSON). */
  async function edition(overrides: { slug?: string; previousOf?: string } = {}) {
    const slug = overrides.slug ?? SLUG;
    const created = await createEdition(ds, {
      slug,
      title: `Assises ${slug}`,
      status: EditionStatus.RegistrationOpen,
      startsAt: new Date('2027-03-04T08:00:00Z'),
      endsAt: new Date('2027-03-05T17:00:00Z'),
      capacity: 120,
      members: { owner: {}, volunteer: {} },
    });
    if (overrides.previousOf)
      await ds.query(
        'UPDATE editions SET previous_edition_id = (SELECT id FROM editions WHERE slug = $2) WHERE slug = $1',
        [slug, overrides.previousOf],
      );
    const ownerAccount = created.members.owner as CreatedAccount;
    const page = newBrowser(api);
    await page.signIn(ownerAccount.email, DEFAULT_PASSWORD);
    const json = await loginJson(api, ownerAccount.email, DEFAULT_PASSWORD);
    return { ...created, page, json };
  }

  async function setUp(json: Browser, slug = SLUG, extra: object = {}) {
    const res = await json.json('put', `/api/v1/editions/${slug}/registration`, {
      opensAt: new Date(Date.now() - DAY).toISOString(),
      closesAt: new Date(Date.now() + 20 * DAY).toISOString(),
      ...extra,
    });
    expect(res.status).toBe(200);
  }

  const register = (slug: string, overrides: Record<string, unknown> = {}) => {
    people += 1;
    return newBrowser(api).json('post', `/api/v1/editions/${slug}/registrations`, {
      name: `Personne ${people}`,
      email: `personne-${people}@example.org`,
      stakeholderType: 'coworking_operator',
      territoryType: 'rural',
      privacyConsent: true,
      ...overrides,
    });
  };

  const settingsRow = async () =>
    (
      await ds.query<
        {
          capacity: number | null;
          seats_left: number;
          waitlist_mode: string;
          offer_hours: number;
          reminder_days: number[];
          privacy_notice_version: string;
          questions: { key: string; labelFr: string; required: boolean }[];
        }[]
      >(
        `SELECT capacity, seats_left, waitlist_mode, offer_hours, reminder_days,
                privacy_notice_version, questions
           FROM registration_settings`,
      )
    )[0];

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

  describe('the settings page', () => {
    it('sets registration up from nothing, then changes capacity, waiting list, reminders and the privacy notice', async () => {
      const { page } = await edition();
      const empty = await page.open(SETTINGS);
      expect(empty.status).toBe(200);
      expect(empty.html).toContain('pas encore paramétrées');

      const created = await page.post(
        SETTINGS,
        { opensAt: '2026-12-01T09:00', closesAt: '2027-02-28T23:59', capacity: '' },
        empty.csrf,
      );
      expect(created.status).toBe(303);
      expect(flashIn(created)).toMatchObject({ kind: 'success', key: 'common.flash.saved' });
      expect(await settingsRow()).toMatchObject({ capacity: null, seats_left: 120 });
      const categories = await ds.query<{ key: string }[]>(
        'SELECT key FROM ticket_categories ORDER BY position',
      );
      expect(categories.map((c) => c.key)).toEqual([
        'participant',
        'speaker',
        'volunteer',
        'organiser',
        'press',
      ]);

      const form = await page.open(SETTINGS);
      expect(form.html).toContain('value="2026-12-01T09:00"');
      const changed = await page.post(
        SETTINGS,
        {
          opensAt: '2026-12-01T09:00',
          closesAt: '2027-02-28T23:59',
          capacity: '80',
          waitlistMode: 'offer',
          offerHours: '24',
          reminderDays: '10, 2',
          privacyNoticeVersion: '2026-12',
        },
        form.csrf,
      );
      expect(changed.status).toBe(303);
      expect(await settingsRow()).toMatchObject({
        capacity: 80,
        seats_left: 80,
        waitlist_mode: 'offer',
        offer_hours: 24,
        reminder_days: [10, 2],
        privacy_notice_version: '2026-12',
      });
      const shown = await page.open(SETTINGS);
      expect(shown.html).toContain('value="10, 2"');
      expect(shown.html).toMatch(/<option value="offer"\s+selected>/);
    });

    it('keeps what was typed and shows each error beside its field, storing nothing', async () => {
      const { page, json } = await edition();
      await setUp(json, SLUG, { capacity: 50 });
      const before = await settingsRow();
      const form = await page.open(SETTINGS);
      const bad = await page.post(
        SETTINGS,
        {
          opensAt: '2027-02-01T09:00',
          closesAt: '2027-01-01T09:00',
          capacity: '-3',
          waitlistMode: 'auto',
          offerHours: '1000',
          reminderDays: '7, soon',
          privacyNoticeVersion: '<b>v3</b>',
        },
        form.csrf,
      );
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('value="2027-01-01T09:00"');
      expect(bad.text).toContain('value="-3"');
      expect(bad.text).toContain('value="7, soon"');
      expect(bad.text).toContain('&lt;b&gt;v3&lt;/b&gt;');
      expect(bad.text).not.toContain('<b>v3</b>');
      for (const field of ['capacity', 'offerHours', 'reminderDays'])
        expect(bad.text).toContain(`id="settings-${field}-error"`);

      // The dates pass the DTO but not the service: the closing must come after the opening.
      const dates = await page.post(
        SETTINGS,
        { opensAt: '2027-02-01T09:00', closesAt: '2027-01-01T09:00', waitlistMode: 'auto' },
        form.csrf,
      );
      expect(dates.status).toBe(422);
      expect(dates.text).toContain('id="settings-closesAt-error"');
      expect(dates.text).toContain('après l&#x27;ouverture');
      expect(await settingsRow()).toEqual(before);
    });

    it('adds, changes and removes ticket categories; a used or duplicate one is refused', async () => {
      const { page, json } = await edition();
      await setUp(json);
      let form = await page.open(SETTINGS);
      const added = await page.post(
        `${SETTINGS}/categories`,
        { key: 'elus', nameFr: 'Élu·es', nameEn: 'Elected officials', quota: '10', hidden: 'on' },
        form.csrf,
      );
      expect(added.status).toBe(303);
      const twice = await page.post(
        `${SETTINGS}/categories`,
        { key: 'elus', nameFr: 'Encore', nameEn: 'Again', quota: 'x' },
        form.csrf,
      );
      expect(twice.status).toBe(422);
      expect(twice.text).toContain('id="category-new-quota-error"');
      expect(twice.text).toContain('value="Encore"');
      const taken = await page.post(
        `${SETTINGS}/categories`,
        { key: 'elus', nameFr: 'Encore', nameEn: 'Again' },
        form.csrf,
      );
      expect(taken.status).toBe(422);
      expect(taken.text).toContain('Cette clé est déjà prise.');

      const changed = await page.post(
        `${SETTINGS}/categories/elus`,
        { nameFr: 'Élu·es locaux', nameEn: 'Local officials', quota: '4' },
        form.csrf,
      );
      expect(changed.status).toBe(303);
      expect(
        await ds.query(
          `SELECT name_fr, hidden, quota, seats_left FROM ticket_categories WHERE key = 'elus'`,
        ),
      ).toEqual([{ name_fr: 'Élu·es locaux', hidden: false, quota: 4, seats_left: 4 }]);

      // A category someone registered in stays; participant always stays.
      expect((await register(SLUG, { category: 'elus' })).status).toBe(201);
      form = await page.open(SETTINGS);
      const used = await page.post(`${SETTINGS}/categories/elus/delete`, {}, form.csrf);
      expect(flashIn(used)).toMatchObject({
        kind: 'error',
        key: 'registration.error.registration_category_in_use',
      });
      const participant = await page.post(
        `${SETTINGS}/categories/participant/delete`,
        {},
        form.csrf,
      );
      expect(flashIn(participant)?.kind).toBe('error');
      const press = await page.post(`${SETTINGS}/categories/press/delete`, {}, form.csrf);
      expect(flashIn(press)).toMatchObject({ kind: 'success' });
      const keys = await ds.query<{ key: string }[]>(
        'SELECT key FROM ticket_categories ORDER BY position',
      );
      expect(keys.map((k) => k.key)).toEqual([
        'participant',
        'speaker',
        'volunteer',
        'organiser',
        'elus',
      ]);
      expect((await page.open(SETTINGS)).html).toContain('3 places restantes dans le quota');
    });

    it('creates single- and multi-use invitation codes, lists their uses, and revokes one', async () => {
      const { page, json } = await edition();
      await setUp(json);
      const form = await page.open(SETTINGS);
      const single = await page.post(
        `${SETTINGS}/invitation-codes`,
        { category: 'press', code: 'presse-ouest', maxUses: '1', note: 'Ouest-France' },
        form.csrf,
      );
      expect(single.status).toBe(303);
      expect(flashIn(single)).toMatchObject({ key: 'registration.flash.code_created' });
      const multi = await page.post(
        `${SETTINGS}/invitation-codes`,
        { category: 'volunteer', maxUses: '30', note: '=cmd|calc' },
        form.csrf,
      );
      expect(multi.status).toBe(303);
      const bad = await page.post(
        `${SETTINGS}/invitation-codes`,
        { category: 'nope', code: 'a b', maxUses: '0', note: 'gardée' },
        form.csrf,
      );
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('id="code-new-code-error"');
      expect(bad.text).toContain('id="code-new-maxUses-error"');
      expect(bad.text).toContain('value="gardée"');
      const unknown = await page.post(
        `${SETTINGS}/invitation-codes`,
        { category: 'nope', maxUses: '1' },
        form.csrf,
      );
      expect(unknown.status).toBe(422);
      expect(unknown.text).toContain('id="code-new-category-error"');
      const duplicate = await page.post(
        `${SETTINGS}/invitation-codes`,
        { category: 'press', code: 'PRESSE-OUEST', maxUses: '1' },
        form.csrf,
      );
      expect(duplicate.status).toBe(422);
      expect(duplicate.text).toContain('Ce code est déjà utilisé.');

      const [volunteerCode] = await ds.query<{ id: string; code: string }[]>(
        `SELECT id, code FROM invitation_codes WHERE max_uses = 30`,
      );
      expect((await register(SLUG, { invitationCode: volunteerCode.code })).status).toBe(201);
      expect((await register(SLUG, { invitationCode: 'PRESSE-OUEST' })).status).toBe(201);
      const list = await page.open(SETTINGS);
      expect(list.html).toContain('PRESSE-OUEST');
      expect(list.html).toMatch(/1 \/ 30/);
      expect(list.html).toMatch(/1 \/ 1/);
      expect(list.html).toContain('Épuisé');

      const revoked = await page.post(
        `${SETTINGS}/invitation-codes/${volunteerCode.id}/revoke`,
        {},
        list.csrf,
      );
      expect(flashIn(revoked)).toMatchObject({
        kind: 'success',
        key: 'registration.flash.code_revoked',
      });
      const refused = await register(SLUG, { invitationCode: volunteerCode.code });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ fields: { invitationCode: expect.any(Array) } });
      const codes = await json.json('get', `/api/v1/editions/${SLUG}/invitation-codes`);
      expect(codes.body).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            code: volunteerCode.code,
            usedCount: 1,
            revokedAt: expect.any(String),
          }),
        ]),
      );
      expect((await page.open(SETTINGS)).html).toContain('Révoqué le');
      const unknownRevoke = await page.post(
        `${SETTINGS}/invitation-codes/00000000-0000-4000-8000-000000000000/revoke`,
        {},
        list.csrf,
      );
      expect(unknownRevoke.status).toBe(404);
    });

    it('adds, changes and removes custom questions, which the public form then asks', async () => {
      const { page, json } = await edition();
      await setUp(json);
      const form = await page.open(SETTINGS);
      const added = await page.post(
        `${SETTINGS}/questions`,
        { key: 'covoiturage', labelFr: 'Covoiturage ?', labelEn: 'Car sharing?', required: 'on' },
        form.csrf,
      );
      expect(added.status).toBe(303);
      const bad = await page.post(
        `${SETTINGS}/questions`,
        { key: 'Pas Une Clé', labelFr: '', labelEn: 'Kept' },
        form.csrf,
      );
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('id="question-new-key-error"');
      expect(bad.text).toContain('id="question-new-labelFr-error"');
      expect(bad.text).toContain('value="Kept"');
      expect((await settingsRow()).questions).toEqual([
        { key: 'covoiturage', labelFr: 'Covoiturage ?', labelEn: 'Car sharing?', required: true },
      ]);
      expect((await newBrowser(api).open(`/e/${SLUG}/register`)).html).toContain('Covoiturage ?');

      await page.post(
        `${SETTINGS}/questions/covoiturage`,
        { labelFr: 'Venez-vous en covoiturage ?', labelEn: 'Car sharing?' },
        form.csrf,
      );
      expect((await settingsRow()).questions).toEqual([
        {
          key: 'covoiturage',
          labelFr: 'Venez-vous en covoiturage ?',
          labelEn: 'Car sharing?',
          required: false,
        },
      ]);
      const removed = await page.post(`${SETTINGS}/questions/covoiturage/delete`, {}, form.csrf);
      expect(removed.status).toBe(303);
      expect((await settingsRow()).questions).toEqual([]);
    });
  });

  describe('workshops', () => {
    /** A published programme with one workshop of `capacity` seats; returns its id. */
    async function publishedWorkshop(json: Browser, title: string, capacity: number) {
      const room = await json.json('post', `${PROGRAMME}/rooms`, {
        name: 'Salle Vilaine',
        capacity: 40,
      });
      expect(room.status).toBe(201);
      const session = await json.json('post', `${PROGRAMME}/sessions`, {
        title,
        kind: 'workshop',
        durationMinutes: 90,
        capacity,
      });
      expect(session.status).toBe(201);
      const body = session.body as { id: string; version: number };
      const placed = await json.json('put', `${PROGRAMME}/sessions/${body.id}/placement`, {
        roomId: (room.body as { id: string }).id,
        startsAt: '2027-03-04T10:00',
        version: body.version,
      });
      expect(placed.status).toBe(200);
      expect((await json.json('post', `${PROGRAMME}/versions`, { name: 'V1' })).status).toBe(201);
      return body.id;
    }

    it('emails a seat or a waiting-list place (FR or EN), counts the workshop on the dashboard and lists who is in and who waits, with formula-safe exports', async () => {
      const { page, json } = await edition();
      await setUp(json);
      const workshopId = await publishedWorkshop(json, 'Atelier <i>tiers-lieux</i>', 2);
      const ids: string[] = [];
      for (const [i, overrides] of [
        { name: '=HYPERLINK("http://evil")' },
        { name: 'Claude Deux' },
        { name: 'Sacha Trois', locale: 'en' },
      ].entries()) {
        const res = await register(SLUG, { ...overrides, email: `atelier-${i}@example.org` });
        expect(res.status).toBe(201);
        ids.push((res.body as Outcome).id);
      }
      await sink.waitFor(3);
      sink.messages.length = 0;
      for (const id of ids) {
        const res = await newBrowser(api)
          .json('post', `/api/v1/registrations/${id}/workshops/${workshopId}`)
          .set('Authorization', `Bearer ${tokenOf(id)}`);
        expect(res.status).toBe(200);
      }
      const mails = await sink.waitFor(3);
      const byTo = (address: string) => mails.find((m) => m.to.includes(address))!;
      expect(byTo('atelier-1@example.org').subject).toContain("Inscription à l'atelier");
      expect(byTo('atelier-1@example.org').html).toContain(
        'Atelier &lt;i&gt;tiers-lieux&lt;/i&gt;',
      );
      expect(byTo('atelier-1@example.org').text).toContain('Salle : Salle Vilaine');
      const waiting = byTo('atelier-2@example.org');
      expect(waiting.subject).toContain('Waiting list for the workshop');
      expect(waiting.text).toContain('at position 1');
      expect(waiting.text).toContain(`/registrations/${ids[2]}?token=`);
      // Signing up again sends nothing more.
      await newBrowser(api)
        .json('post', `/api/v1/registrations/${ids[2]}/workshops/${workshopId}`)
        .set('Authorization', `Bearer ${tokenOf(ids[2])}`);
      expect(
        await ds.query(
          `SELECT template, count(*)::int AS n FROM outbox_messages
            WHERE template LIKE 'workshop-%' GROUP BY template ORDER BY template`,
        ),
      ).toEqual([
        { template: 'workshop-confirmed', n: 2 },
        { template: 'workshop-waiting', n: 1 },
      ]);

      const dashboard = await page.open(`/admin/editions/${SLUG}/registrations`);
      expect(dashboard.html).toContain(`/admin/editions/${SLUG}/workshops/${workshopId}`);
      expect(dashboard.html).toMatch(/<td>2<\/td><td>2<\/td><td>1<\/td><td>0<\/td>/);
      expect((await json.json('get', `/api/v1/editions/${SLUG}/workshops`)).body).toMatchObject({
        workshops: [{ id: workshopId, capacity: 2, confirmed: 2, waiting: 1, seatsLeft: 0 }],
      });

      const detail = await page.open(`/admin/editions/${SLUG}/workshops/${workshopId}`);
      expect(detail.status).toBe(200);
      expect(detail.html).toContain('Inscrit·es (2)');
      expect(detail.html).toContain('Liste d&#x27;attente (1)');
      expect(detail.html).toContain('<td>1</td><td>Sacha Trois</td>');
      expect(detail.html).toContain('&#x3D;HYPERLINK(&quot;http://evil&quot;)');
      expect(detail.html).toContain('<h1>Atelier &lt;i&gt;tiers-lieux&lt;/i&gt;</h1>');
      const people = await json.json('get', `/api/v1/editions/${SLUG}/workshops/${workshopId}`);
      expect(people.body).toMatchObject({
        confirmed: [{ name: '=HYPERLINK("http://evil")' }, { name: 'Claude Deux' }],
        waiting: [{ name: 'Sacha Trois', position: 1 }],
      });

      const csv = await json.agent.get(
        `/api/v1/editions/${SLUG}/workshops/${workshopId}/export.csv`,
      );
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.text.startsWith('\ufeffstate,position,name,email')).toBe(true);
      expect(csv.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(csv.text).toContain('waiting,1,Sacha Trois');
      const xlsx = await json.agent
        .get(`/api/v1/editions/${SLUG}/workshops/${workshopId}/export.xlsx`)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(xlsx.status).toBe(200);
      expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body as ArrayBuffer);
      const cell = book.getWorksheet('workshop')!.getRow(2).getCell(3);
      expect(cell.value).toBe(`'=HYPERLINK("http://evil")`);

      const missing = await page.open(
        `/admin/editions/${SLUG}/workshops/00000000-0000-4000-8000-000000000000`,
      );
      expect(missing.status).toBe(404);
    });

    it('shows the person and their workshops at the check-in desk after a code is typed', async () => {
      const { json, members } = await edition();
      await setUp(json);
      const workshopId = await publishedWorkshop(json, 'Atelier accueil', 10);
      const res = await register(SLUG, { name: 'Dominique Présente', organisation: 'Le Cowork' });
      const { id } = res.body as Outcome;
      await newBrowser(api)
        .json('post', `/api/v1/registrations/${id}/workshops/${workshopId}`)
        .set('Authorization', `Bearer ${tokenOf(id)}`);
      const [{ check_in_code: code }] = await ds.query<{ check_in_code: string }[]>(
        'SELECT check_in_code FROM registrations WHERE id = $1',
        [id],
      );
      const desk = newBrowser(api);
      await desk.signIn((members.volunteer as CreatedAccount).email, DEFAULT_PASSWORD);
      const empty = await desk.open(`/admin/editions/${SLUG}/check-in`);
      expect(empty.html).toContain('0 présent·es sur 1 inscrit·es');
      expect(empty.html).toContain(
        'data-template="{checkedIn} présent·es sur {confirmed} inscrit·es"',
      );
      const done = await desk.post(`/admin/editions/${SLUG}/check-in`, { code }, empty.csrf);
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe(`/admin/editions/${SLUG}/check-in?shown=${id}#person`);
      expect(done.headers.location).not.toContain(code);
      const card = await desk.open(done.headers.location);
      expect(card.html).toContain('Dominique Présente');
      expect(card.html).toContain('Le Cowork');
      expect(card.html).toContain('Atelier accueil');
      expect(card.html).toContain('1 présent·es sur 1 inscrit·es');
      const search = await desk.open(`/admin/editions/${SLUG}/check-in?q=domin`);
      expect(search.html).toContain('Atelier accueil');
      expect(search.html).toMatch(/déjà enregistré·e à \d{2}:\d{2}/);
      const again = await desk.post(`/admin/editions/${SLUG}/check-in`, { code }, empty.csrf);
      expect(flashIn(again)?.key).toBe('registration.flash.already_checked_in');
    });
  });

  describe('the stakeholder mix', () => {
    it('is compared with the previous edition of the series when there is one', async () => {
      const previous = await edition({ slug: 'brest-2026' });
      await setUp(previous.json, 'brest-2026');
      for (const territoryType of ['rural', 'rural', 'urban', 'urban'])
        expect((await register('brest-2026', { territoryType })).status).toBe(201);

      const { page, json } = await edition({ previousOf: 'brest-2026' });
      await setUp(json);
      expect((await register(SLUG, { territoryType: 'rural' })).status).toBe(201);
      expect(
        (await register(SLUG, { territoryType: 'urban', stakeholderType: 'local_authority' }))
          .status,
      ).toBe(201);

      const dashboard = await json.json('get', `/api/v1/editions/${SLUG}/registrations/dashboard`);
      expect(dashboard.body).toMatchObject({
        mix: [
          { stakeholderType: 'coworking_operator', territoryType: 'rural', count: 1 },
          { stakeholderType: 'local_authority', territoryType: 'urban', count: 1 },
        ],
        previous: {
          slug: 'brest-2026',
          confirmed: 4,
          mix: [
            { stakeholderType: 'coworking_operator', territoryType: 'rural', count: 2 },
            { stakeholderType: 'coworking_operator', territoryType: 'urban', count: 2 },
          ],
        },
      });
      const html = (await page.open(`/admin/editions/${SLUG}/registrations`)).html;
      expect(html).toContain('Comparé à Assises brest-2026 (4 confirmé·es)');
      expect(html).toMatch(/Précédente : 2 \(50[\u00a0\u202f]%\)/);
      expect(html).toMatch(/1 <small>\(50[\u00a0\u202f]%\)<\/small>/);

      // An edition started from scratch has nothing to compare with.
      const alone = await previous.json.json(
        'get',
        '/api/v1/editions/brest-2026/registrations/dashboard',
      );
      expect(alone.body).toMatchObject({ previous: null });
    });
  });
});
