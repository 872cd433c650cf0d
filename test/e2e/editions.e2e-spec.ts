import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { DataSource } from 'typeorm';
import { createAccount, createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, loginJson, newBrowser, setCookie } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { outboxRows } from '../harness/outbox';

const DAY = 86_400_000;

interface AuditRow {
  action: string;
  from_state: string | null;
  to_state: string | null;
  actor_id: string | null;
  data: Record<string, unknown>;
}

describe('Editions', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;

  /** Signs `account` in through the JSON API. */
  const as = (account: CreatedAccount) => loginJson(api, account.email, DEFAULT_PASSWORD);

  const editionRow = async (slug: string) => {
    const [row] = await ds.query<Record<string, unknown>[]>(
      `SELECT * FROM editions WHERE slug = $1`,
      [slug],
    );
    return row;
  };

  const auditOf = (slug: string) =>
    ds.query<AuditRow[]>(
      `SELECT a.action, a.from_state, a.to_state, a.actor_id, a.data
         FROM audit_events a JOIN editions e ON e.id = a.subject_id
        WHERE e.slug = $1 ORDER BY a.created_at, a.id`,
      [slug],
    );

  const membersOf = (slug: string) =>
    ds.query<{ account_id: string; role: string }[]>(
      `SELECT m.account_id, m.role FROM memberships m JOIN editions e ON e.id = m.edition_id
        WHERE e.slug = $1 ORDER BY m.role, m.account_id`,
      [slug],
    );

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

  describe('public series', () => {
    it('lists the next edition, the upcoming ones in date order and the past ones, never a draft', async () => {
      const now = Date.now();
      const at = (days: number) => new Date(now + days * DAY);
      await createEdition(ds, {
        slug: 'draft-2027',
        startsAt: at(20),
        status: EditionStatus.Draft,
      });
      await createEdition(ds, {
        slug: 'lyon-2027',
        startsAt: at(60),
        status: EditionStatus.RegistrationOpen,
      });
      await createEdition(ds, {
        slug: 'nantes-2027',
        startsAt: at(30),
        status: EditionStatus.Announced,
      });
      await createEdition(ds, {
        slug: 'lille-2024',
        startsAt: at(-700),
        status: EditionStatus.Archived,
      });
      await createEdition(ds, {
        slug: 'brest-2025',
        startsAt: at(-300),
        status: EditionStatus.Closed,
      });

      const res = await newBrowser(api).json('get', '/api/v1/editions');

      expect(res.status).toBe(200);
      expect(res.body.next.slug).toBe('nantes-2027');
      expect(res.body.next.url).toBe('/e/nantes-2027');
      expect(res.body.upcoming.map((e: { slug: string }) => e.slug)).toEqual([
        'nantes-2027',
        'lyon-2027',
      ]);
      expect(res.body.past.map((e: { slug: string }) => e.slug)).toEqual([
        'brest-2025',
        'lille-2024',
      ]);
      expect(JSON.stringify(res.body)).not.toContain('draft-2027');
    });

    it('answers 404 for a draft on the API and on the public page, 200 once announced', async () => {
      const { edition } = await createEdition(ds, { slug: 'secret-2027' });

      const json = await newBrowser(api).json('get', '/api/v1/editions/secret-2027');
      const page = await newBrowser(api).open('/e/secret-2027');
      expect(json.status).toBe(404);
      expect(json.body.code).toBe('edition.not_found');
      expect(page.status).toBe(404);

      await ds.query(`UPDATE editions SET status = 'announced' WHERE id = $1`, [edition.id]);
      const announced = await newBrowser(api).json('get', '/api/v1/editions/secret-2027');
      expect(announced.status).toBe(200);
      expect(announced.body).toMatchObject({ slug: 'secret-2027', status: 'announced' });
    });
    it('shows the public page with wall-clock times of the edition and ISO instants for machines', async () => {
      await createEdition(ds, {
        slug: 'lyon-2027',
        title: 'Assises 2027 à Lyon',
        startsAt: new Date('2027-02-04T08:00:00Z'),
        endsAt: new Date('2027-02-05T17:00:00Z'),
        status: EditionStatus.Announced,
      });

      const page = await newBrowser(api).open('/e/lyon-2027');

      expect(page.status).toBe(200);
      expect(page.html).toContain('<h1>Assises 2027 à Lyon</h1>');
      expect(page.html).toContain(
        '<time datetime="2027-02-04T08:00:00.000Z">4 févr. 2027, 09:00</time>',
      );
      expect(page.html).toContain(
        '<time datetime="2027-02-05T17:00:00.000Z">5 févr. 2027, 18:00</time>',
      );
    });
  });

  describe('creating an edition', () => {
    const body = {
      capacity: 800,
      endsAt: '2027-02-05T18:00',
      hostCity: 'Clermont-Ferrand',
      slug: 'clermont-2027',
      startsAt: '2027-02-04T09:00',
      title: 'Assises du coworking 2027',
    };

    it('creates a draft owned by its creator, reading local times in Europe/Paris', async () => {
      const organiser = await createAccount(ds);
      await createEdition(ds, { members: { organiser } });
      const browser = await as(organiser);

      const res = await browser.json('post', '/api/v1/editions', body);

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        slug: 'clermont-2027',
        status: 'draft',
        timezone: 'Europe/Paris',
        startsAt: '2027-02-04T08:00:00.000Z',
        endsAt: '2027-02-05T17:00:00.000Z',
        capacity: 800,
      });
      expect(await membersOf('clermont-2027')).toEqual([
        { account_id: organiser.id, role: 'owner' },
      ]);
      expect(await auditOf('clermont-2027')).toEqual([
        expect.objectContaining({ action: 'create', to_state: 'draft', actor_id: organiser.id }),
      ]);
      // A draft is the organisers' business only.
      expect((await newBrowser(api).json('get', '/api/v1/editions/clermont-2027')).status).toBe(
        404,
      );
    });

    it('reads local times in the timezone given', async () => {
      const admin = await createAccount(ds, { isPlatformAdmin: true });
      const res = await (
        await as(admin)
      ).json('post', '/api/v1/editions', { ...body, timezone: 'America/Cayenne' });

      expect(res.status).toBe(201);
      expect(res.body.startsAt).toBe('2027-02-04T12:00:00.000Z');
    });

    it('refuses someone who organises no edition (403)', async () => {
      const reviewer = await createAccount(ds);
      await createEdition(ds, { members: { owner: {}, reviewer } });

      const res = await (await as(reviewer)).json('post', '/api/v1/editions', body);

      expect(res.status).toBe(403);
      expect(res.body.code).toBe('edition.forbidden');
      expect(await editionRow('clermont-2027')).toBeUndefined();
    });

    it('answers 409 edition.slug_taken when the slug is used', async () => {
      const owner = await createAccount(ds);
      await createEdition(ds, {
        slug: 'clermont-2027',
        title: 'The first one',
        members: { owner },
      });

      const res = await (await as(owner)).json('post', '/api/v1/editions', body);

      expect(res.status).toBe(409);
      expect(res.body.code).toBe('edition.slug_taken');
      expect((await editionRow('clermont-2027')).title).toBe('The first one');
    });

    it('answers 422 with the field when the end comes before the start', async () => {
      const owner = await createAccount(ds);
      await createEdition(ds, { members: { owner } });

      const res = await (
        await as(owner)
      ).json('post', '/api/v1/editions', { ...body, endsAt: '2027-02-03T18:00' });

      expect(res.status).toBe(422);
      expect(res.body.code).toBe('edition.invalid_dates');
      expect(Object.keys(res.body.fields)).toEqual(['endsAt']);
    });
  });

  describe('updating an edition', () => {
    it('changes the fields given, local times in the edition timezone, and audits which', async () => {
      const organiser = await createAccount(ds);
      const { edition } = await createEdition(ds, { slug: 'lyon-2027', members: { organiser } });

      const res = await (
        await as(organiser)
      ).json('patch', '/api/v1/editions/lyon-2027', {
        capacity: 450,
        startsAt: '2027-06-10T09:30',
        endsAt: '2027-06-11T17:00',
        venueName: 'La Sucrière',
      });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        capacity: 450,
        venueName: 'La Sucrière',
        startsAt: '2027-06-10T07:30:00.000Z', // summer time: UTC+2
        endsAt: '2027-06-11T15:00:00.000Z',
        hostCity: edition.hostCity,
      });
      expect(await editionRow('lyon-2027')).toMatchObject({ capacity: 450 });
      expect(await auditOf('lyon-2027')).toEqual([
        expect.objectContaining({
          action: 'update',
          actor_id: organiser.id,
          data: { fields: ['capacity', 'endsAt', 'startsAt', 'venueName'] },
        }),
      ]);
    });

    it("refuses another edition's slug with 409", async () => {
      const owner = await createAccount(ds);
      await createEdition(ds, { slug: 'lyon-2027', members: { owner } });
      await createEdition(ds, { slug: 'lille-2028' });

      const res = await (
        await as(owner)
      ).json('patch', '/api/v1/editions/lyon-2027', { slug: 'lille-2028' });

      expect(res.status).toBe(409);
      expect(res.body.code).toBe('edition.slug_taken');
      expect(await editionRow('lyon-2027')).toBeDefined();
    });

    it('gives one rename and one 409 when two renames race for the same slug, never a 500', async () => {
      const owner = await createAccount(ds);
      await createEdition(ds, { slug: 'lyon-2027', members: { owner } });
      await createEdition(ds, { slug: 'rennes-2028', members: { owner } });
      const session = await as(owner);

      const answers = await Promise.all([
        session.json('patch', '/api/v1/editions/lyon-2027', { slug: 'nantes-2029' }),
        session.json('patch', '/api/v1/editions/rennes-2028', { slug: 'nantes-2029' }),
      ]);

      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(answers.find((r) => r.status === 409)?.body.code).toBe('edition.slug_taken');
    });

    it('refuses a reviewer with 403', async () => {
      const reviewer = await createAccount(ds);
      await createEdition(ds, {
        slug: 'lyon-2027',
        capacity: 300,
        members: { owner: {}, reviewer },
      });

      const res = await (
        await as(reviewer)
      ).json('patch', '/api/v1/editions/lyon-2027', { capacity: 5 });

      expect(res.status).toBe(403);
      expect(res.body.code).toBe('edition.forbidden');
      expect((await editionRow('lyon-2027')).capacity).toBe(300);
    });
  });

  describe('status transitions', () => {
    it('applies a valid transition and audits it with from, to and actor', async () => {
      const organiser = await createAccount(ds);
      await createEdition(ds, { slug: 'lyon-2027', members: { owner: {}, organiser } });
      const browser = await as(organiser);

      const announce = await browser.json('post', '/api/v1/editions/lyon-2027/transitions', {
        transition: 'announce',
      });
      const openCall = await browser.json('post', '/api/v1/editions/lyon-2027/transitions', {
        transition: 'open_call',
      });

      expect(announce.status).toBe(200);
      expect(announce.body.status).toBe('announced');
      expect(openCall.body.status).toBe('cfp_open');
      expect(await auditOf('lyon-2027')).toEqual([
        {
          action: 'announce',
          from_state: 'draft',
          to_state: 'announced',
          actor_id: organiser.id,
          data: {},
        },
        {
          action: 'open_call',
          from_state: 'announced',
          to_state: 'cfp_open',
          actor_id: organiser.id,
          data: {},
        },
      ]);
      const history = await browser.json('get', '/api/v1/editions/lyon-2027/history');
      expect(history.body.map((e: { action: string }) => e.action).sort()).toEqual([
        'announce',
        'open_call',
      ]);
    });

    it('refuses a transition the current status does not allow with 409, changing and auditing nothing', async () => {
      const owner = await createAccount(ds);
      await createEdition(ds, {
        slug: 'lyon-2027',
        status: EditionStatus.Draft,
        members: { owner },
      });

      const res = await (
        await as(owner)
      ).json('post', '/api/v1/editions/lyon-2027/transitions', { transition: 'start' });

      expect(res.status).toBe(409);
      expect(res.body.code).toBe('edition.invalid_transition');
      expect((await editionRow('lyon-2027')).status).toBe('draft');
      expect(await auditOf('lyon-2027')).toEqual([]);
    });

    it('answers 422 for a transition that does not exist', async () => {
      const owner = await createAccount(ds);
      await createEdition(ds, { slug: 'lyon-2027', members: { owner } });

      const res = await (
        await as(owner)
      ).json('post', '/api/v1/editions/lyon-2027/transitions', { transition: 'teleport' });

      expect(res.status).toBe(422);
      expect(Object.keys(res.body.fields)).toEqual(['transition']);
    });
  });

  describe('cloning an edition', () => {
    async function previousEdition() {
      const owner = await createAccount(ds);
      const reviewer = await createAccount(ds);
      const volunteer = await createAccount(ds);
      const { edition } = await createEdition(ds, {
        slug: 'cayenne-2026',
        title: 'Assises du coworking 2026',
        timezone: 'America/Cayenne',
        capacity: 450,
        status: EditionStatus.Closed,
        members: { owner, reviewer, volunteer },
      });
      await ds.query(`UPDATE editions SET description = $1 WHERE id = $2`, [
        'Deux jours pour les tiers-lieux.',
        edition.id,
      ]);
      return { edition, owner, reviewer, volunteer };
    }

    const cloneBody = {
      slug: 'rennes-2027',
      hostCity: 'Rennes',
      startsAt: '2027-02-03T09:00',
      endsAt: '2027-02-04T18:00',
    };

    it('starts a draft from the previous edition: capacity, timezone and description copied', async () => {
      const { edition: previous, owner } = await previousEdition();

      const res = await (
        await as(owner)
      ).json('post', '/api/v1/editions/cayenne-2026/clone', cloneBody);

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        slug: 'rennes-2027',
        title: 'Assises du coworking 2027',
        hostCity: 'Rennes',
        status: 'draft',
        capacity: 450,
        timezone: 'America/Cayenne',
        description: 'Deux jours pour les tiers-lieux.',
        startsAt: '2027-02-03T12:00:00.000Z', // local times of the copied timezone
      });
      expect((await editionRow('rennes-2027')).previous_edition_id).toBe(previous.id);
      expect(await membersOf('rennes-2027')).toEqual([{ account_id: owner.id, role: 'owner' }]);
      expect(await auditOf('rennes-2027')).toEqual([
        expect.objectContaining({
          action: 'clone',
          to_state: 'draft',
          actor_id: owner.id,
          data: expect.objectContaining({ from: 'cayenne-2026', copyTeam: false }),
        }),
      ]);
    });

    it('brings the team along with copyTeam', async () => {
      const { owner, reviewer, volunteer } = await previousEdition();

      const res = await (
        await as(owner)
      ).json('post', '/api/v1/editions/cayenne-2026/clone', { ...cloneBody, copyTeam: true });

      expect(res.status).toBe(201);
      expect(await membersOf('rennes-2027')).toEqual(
        [
          { account_id: owner.id, role: 'owner' },
          { account_id: reviewer.id, role: 'reviewer' },
          { account_id: volunteer.id, role: 'volunteer' },
        ].sort((a, b) =>
          a.role === b.role
            ? a.account_id.localeCompare(b.account_id)
            : a.role.localeCompare(b.role),
        ),
      );
    });

    it('answers 409 when the new slug is taken', async () => {
      const { owner } = await previousEdition();
      await createEdition(ds, { slug: 'rennes-2027' });

      const res = await (
        await as(owner)
      ).json('post', '/api/v1/editions/cayenne-2026/clone', cloneBody);

      expect(res.status).toBe(409);
      expect(res.body.code).toBe('edition.slug_taken');
    });

    it('refuses a reviewer of the previous edition with 403', async () => {
      const { reviewer } = await previousEdition();

      const res = await (
        await as(reviewer)
      ).json('post', '/api/v1/editions/cayenne-2026/clone', cloneBody);

      expect(res.status).toBe(403);
      expect(await editionRow('rennes-2027')).toBeUndefined();
    });
  });

  describe('team', () => {
    it('emails an invitation; its page creates the account and the membership with the role', async () => {
      const owner = await createAccount(ds, { name: 'Dominique Owner' });
      const { edition } = await createEdition(ds, {
        slug: 'lyon-2027',
        title: 'Assises 2027 à Lyon',
        members: { owner },
      });

      const invited = await (
        await as(owner)
      ).json('post', '/api/v1/editions/lyon-2027/invitations', {
        email: 'Sacha@Example.org',
        role: 'reviewer',
      });

      expect(invited.status).toBe(201);
      expect(invited.body).toMatchObject({ email: 'sacha@example.org', role: 'reviewer' });
      const [mail] = await outboxRows(ds);
      expect(mail).toMatchObject({
        template: 'invitation',
        recipient: 'sacha@example.org',
        status: 'pending',
      });
      const [{ data, edition_id: mailEdition }] = await ds.query<
        { data: { acceptUrl: string; inviterName: string }; edition_id: string }[]
      >(`SELECT data, edition_id FROM outbox_messages WHERE id = $1`, [mail.id]);
      expect(mailEdition).toBe(edition.id);
      expect(data.inviterName).toBe('Dominique Owner');
      const path = new URL(data.acceptUrl).pathname;
      expect(path).toMatch(/^\/admin\/invitations\/[\w-]{40,}$/);

      const sacha = newBrowser(api);
      const page = await sacha.open(path);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Assises 2027 à Lyon');
      expect(page.html).toContain('name="password"');
      const accepted = await sacha.post(
        path,
        { name: 'Sacha Martin', password: 'sacha-chooses-a-password' },
        page.csrf,
      );

      expect(accepted.status).toBe(303);
      expect(accepted.headers.location).toBe('/admin/editions/lyon-2027');
      expect(setCookie(accepted, 'assises_session')).toMatch(/HttpOnly/);
      const [account] = await ds.query<{ id: string; name: string }[]>(
        `SELECT id, name FROM accounts WHERE email = 'sacha@example.org'`,
      );
      expect(account.name).toBe('Sacha Martin');
      expect(await membersOf('lyon-2027')).toContainEqual({
        account_id: account.id,
        role: 'reviewer',
      });
      const me = await sacha.json('get', '/api/v1/auth/me');
      expect(me.body.editions).toEqual([
        { slug: 'lyon-2027', title: 'Assises 2027 à Lyon', role: 'reviewer' },
      ]);
      expect((await sacha.open('/admin/editions/lyon-2027')).status).toBe(200);
      await loginJson(api, 'sacha@example.org', 'sacha-chooses-a-password');

      // The link is single-use.
      expect((await newBrowser(api).open(path)).status).toBe(404);
    });

    it('re-renders the invitation page with 422 when the name or password is missing', async () => {
      const owner = await createAccount(ds);
      await createEdition(ds, { slug: 'lyon-2027', members: { owner } });
      await (
        await as(owner)
      ).json('post', '/api/v1/editions/lyon-2027/invitations', {
        email: 'sam@example.org',
        role: 'volunteer',
      });
      const [{ data }] = await ds.query<{ data: { acceptUrl: string } }[]>(
        `SELECT data FROM outbox_messages`,
      );
      const path = new URL(data.acceptUrl).pathname;

      const res = await newBrowser(api).submit(path, path, { name: 'Sam', password: 'short' });

      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="f-password"[^>]*aria-invalid="true"/);
      expect(res.text).toContain('value="Sam"');
      const [{ n }] = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM accounts WHERE email = 'sam@example.org'`,
      );
      expect(n).toBe(0);
    });

    it('keeps an owner an owner when they accept an invitation to a smaller role', async () => {
      const owner = await createAccount(ds, { email: 'dominique@example.org' });
      await createEdition(ds, { slug: 'lyon-2027', members: { owner } });
      const dominique = await as(owner);
      await dominique.json('post', '/api/v1/editions/lyon-2027/invitations', {
        email: 'dominique@example.org',
        role: 'volunteer',
      });
      const [{ data }] = await ds.query<{ data: { acceptUrl: string } }[]>(
        `SELECT data FROM outbox_messages`,
      );
      const path = new URL(data.acceptUrl).pathname;
      const signedIn = newBrowser(api);
      await signedIn.signIn(owner.email, DEFAULT_PASSWORD);

      const accepted = await signedIn.submit(path, path);

      expect(accepted.status).toBe(303);
      expect(await membersOf('lyon-2027')).toEqual([{ account_id: owner.id, role: 'owner' }]);
    });

    it('refuses an invitation opened by someone signed in with another address', async () => {
      const owner = await createAccount(ds);
      const other = await createAccount(ds, { email: 'other@example.org' });
      await createEdition(ds, { slug: 'lyon-2027', members: { owner } });
      await (
        await as(owner)
      ).json('post', '/api/v1/editions/lyon-2027/invitations', {
        email: 'invited@example.org',
        role: 'reviewer',
      });
      const [{ data }] = await ds.query<{ data: { acceptUrl: string } }[]>(
        `SELECT data FROM outbox_messages`,
      );
      const path = new URL(data.acceptUrl).pathname;
      const intruder = newBrowser(api);
      await intruder.signIn(other.email, DEFAULT_PASSWORD);

      const res = await intruder.submit(path, path);

      expect(res.status).toBe(403);
      expect(await membersOf('lyon-2027')).toEqual([{ account_id: owner.id, role: 'owner' }]);
      // The invitation is still there for its addressee.
      expect((await newBrowser(api).open(path)).status).toBe(200);
    });

    it('does not let a reviewer invite (403)', async () => {
      const reviewer = await createAccount(ds);
      await createEdition(ds, { slug: 'lyon-2027', members: { owner: {}, reviewer } });

      const res = await (
        await as(reviewer)
      ).json('post', '/api/v1/editions/lyon-2027/invitations', {
        email: 'friend@example.org',
        role: 'reviewer',
      });

      expect(res.status).toBe(403);
      expect(res.body.code).toBe('edition.forbidden');
      expect(await outboxRows(ds)).toEqual([]);
    });

    it('does not let an organiser make someone owner (403), while an owner may', async () => {
      const owner = await createAccount(ds);
      const organiser = await createAccount(ds);
      await createEdition(ds, { slug: 'lyon-2027', members: { owner, organiser } });
      const invite = { email: 'new-owner@example.org', role: 'owner' };

      const byOrganiser = await (
        await as(organiser)
      ).json('post', '/api/v1/editions/lyon-2027/invitations', invite);
      const promoted = await (
        await as(organiser)
      ).json('patch', `/api/v1/editions/lyon-2027/team/${organiser.id}`, { role: 'owner' });
      const demoted = await (
        await as(organiser)
      ).json('patch', `/api/v1/editions/lyon-2027/team/${owner.id}`, { role: 'volunteer' });

      expect(byOrganiser.status).toBe(403);
      expect(byOrganiser.body.code).toBe('edition.forbidden');
      expect(promoted.status).toBe(403);
      expect(demoted.status).toBe(403);
      expect(await outboxRows(ds)).toEqual([]);
      expect(await membersOf('lyon-2027')).toContainEqual({ account_id: owner.id, role: 'owner' });
      expect(await membersOf('lyon-2027')).toContainEqual({
        account_id: organiser.id,
        role: 'organiser',
      });

      const byOwner = await (
        await as(owner)
      ).json('post', '/api/v1/editions/lyon-2027/invitations', invite);
      expect(byOwner.status).toBe(201);
    });

    it('keeps the last owner: removing or demoting them answers 409', async () => {
      const owner = await createAccount(ds);
      const organiser = await createAccount(ds);
      await createEdition(ds, { slug: 'lyon-2027', members: { owner, organiser } });
      const browser = await as(owner);

      const removed = await browser.json('delete', `/api/v1/editions/lyon-2027/team/${owner.id}`);
      const demoted = await browser.json('patch', `/api/v1/editions/lyon-2027/team/${owner.id}`, {
        role: 'organiser',
      });

      expect(removed.status).toBe(409);
      expect(removed.body.code).toBe('team.last_owner');
      expect(demoted.status).toBe(409);
      expect(await membersOf('lyon-2027')).toContainEqual({ account_id: owner.id, role: 'owner' });

      // With a second owner, the first may step down.
      const promoted = await browser.json(
        'patch',
        `/api/v1/editions/lyon-2027/team/${organiser.id}`,
        {
          role: 'owner',
        },
      );
      const left = await browser.json('delete', `/api/v1/editions/lyon-2027/team/${owner.id}`);
      expect(promoted.status).toBe(204);
      expect(left.status).toBe(204);
      expect(await membersOf('lyon-2027')).toEqual([{ account_id: organiser.id, role: 'owner' }]);
    });

    it('lists the team to every member', async () => {
      const owner = await createAccount(ds, { name: 'Alex' });
      const volunteer = await createAccount(ds, { name: 'Bea' });
      await createEdition(ds, { slug: 'lyon-2027', members: { owner, volunteer } });

      const res = await (await as(volunteer)).json('get', '/api/v1/editions/lyon-2027/team');

      expect(res.status).toBe(200);
      expect(res.body.map((m: { name: string; role: string }) => [m.name, m.role])).toEqual([
        ['Alex', 'owner'],
        ['Bea', 'volunteer'],
      ]);
    });
  });

  describe('API tokens', () => {
    let organiser: CreatedAccount;
    let browser: Browser;

    beforeEach(async () => {
      organiser = await createAccount(ds);
      await createEdition(ds, { slug: 'lyon-2027', members: { organiser } });
      await createEdition(ds, { slug: 'lille-2028', members: { owner: organiser } });
      browser = await as(organiser);
    });

    const bearer = (token: string, method: 'get' | 'patch' | 'post', path: string, body?: object) =>
      newBrowser(api).json(method, path, body).set('Authorization', `Bearer ${token}`);

    it('gives a token that reaches its edition with its role, nothing elsewhere, and dies when revoked', async () => {
      const created = await browser.json('post', '/api/v1/editions/lyon-2027/api-tokens', {
        label: 'Network website',
        role: 'reviewer',
      });

      expect(created.status).toBe(201);
      expect(created.body.token).toMatch(/^asst_[\w-]{40,}$/);
      expect(created.body.role).toBe('reviewer');
      const token = created.body.token as string;
      const [{ token_hash: stored }] = await ds.query<{ token_hash: string }[]>(
        `SELECT token_hash FROM api_tokens WHERE id = $1`,
        [created.body.id],
      );
      expect(stored).not.toContain(token.slice(5)); // only a hash is kept

      const team = await bearer(token, 'get', '/api/v1/editions/lyon-2027/team');
      expect(team.status).toBe(200);
      const me = await bearer(token, 'get', '/api/v1/auth/me');
      expect(me.body.token).toMatchObject({ role: 'reviewer' });
      expect(me.body.editions.map((e: { slug: string }) => e.slug)).toEqual(['lyon-2027']);
      // A reviewer token may read, not edit, even though its holder organises.
      const edit = await bearer(token, 'patch', '/api/v1/editions/lyon-2027', { capacity: 10 });
      expect(edit.status).toBe(403);
      // Another edition of the same person does not exist for this token.
      const elsewhere = await bearer(token, 'get', '/api/v1/editions/lille-2028/team');
      expect(elsewhere.status).toBe(404);
      expect(elsewhere.body.code).toBe('edition.not_found');
      // A token never mints tokens.
      const minted = await bearer(token, 'post', '/api/v1/editions/lyon-2027/api-tokens', {
        label: 'Sneaky',
        role: 'reviewer',
      });
      expect(minted.status).toBe(403);

      const revoked = await browser.json('delete', `/api/v1/me/api-tokens/${created.body.id}`);
      expect(revoked.status).toBe(204);
      const after = await bearer(token, 'get', '/api/v1/editions/lyon-2027/team');
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('auth.required');
      const listed = await browser.json('get', '/api/v1/me/api-tokens');
      expect(listed.body).toEqual([
        expect.objectContaining({ id: created.body.id, revokedAt: expect.any(String) }),
      ]);
    });

    it('lets an organiser token edit its edition', async () => {
      const created = await browser.json('post', '/api/v1/editions/lyon-2027/api-tokens', {
        label: 'Sync',
        role: 'organiser',
      });

      const edit = await bearer(
        created.body.token as string,
        'patch',
        '/api/v1/editions/lyon-2027',
        {
          capacity: 321,
        },
      );

      expect(edit.status).toBe(200);
      expect((await editionRow('lyon-2027')).capacity).toBe(321);
    });

    it('refuses a token above one’s own role (403)', async () => {
      const reviewer = await createAccount(ds);
      await createEdition(ds, { slug: 'nantes-2029', members: { owner: {}, reviewer } });

      const aboveReviewer = await (
        await as(reviewer)
      ).json('post', '/api/v1/editions/nantes-2029/api-tokens', {
        label: 'Mine',
        role: 'organiser',
      });
      const ownerToken = await browser.json('post', '/api/v1/editions/lyon-2027/api-tokens', {
        label: 'Mine',
        role: 'owner',
      });

      expect(aboveReviewer.status).toBe(403);
      expect(ownerToken.status).toBe(403);
      const [{ n }] = await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM api_tokens`);
      expect(n).toBe(0);
    });

    it('answers 401 for a token that was never issued', async () => {
      const res = await bearer(
        'asst_not-a-real-token-at-all',
        'get',
        '/api/v1/editions/lyon-2027/team',
      );

      expect(res.status).toBe(401);
    });
  });
});
