import { randomUUID } from 'node:crypto';
import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { RegistrationService } from '@assises/registration';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

const DAY = 86_400_000;
const SLUG = 'load-2027';
const PROGRAMME = `/api/v1/editions/${SLUG}/programme`;

interface Outcome {
  id: string;
  status: string;
  position?: number;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const statusesOf = (results: Response[]) =>
  Object.fromEntries(
    [...new Set(results.map((r) => r.status))].map((s) => [
      s,
      results.filter((r) => r.status === s).length,
    ]),
  );

/**
 * Capacity under real parallel requests, against two api instances sharing one database (as two
 * replicas behind a load balancer): never more confirmed than seats — for the edition, a
 * category, a workshop —, the waiting list in order, one promotion per freed seat and in order,
 * one registration per double submit, the public form's rate limit. A control run with the
 * seat lock switched off (TEST_ONLY_UNGUARDED_SEATS, refused outside NODE_ENV=test) shows that
 * the same load does overbook without it: these tests can see a race.
 */
describe('Registration under load', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let apis: TestApi[];
  let ds: DataSource;
  let n = 0;

  const person = (overrides: Record<string, unknown> = {}) => {
    n += 1;
    return {
      name: `Personne ${n}`,
      email: `load-${n}@example.org`,
      stakeholderType: 'company',
      territoryType: 'urban',
      privacyConsent: true,
      ...overrides,
    };
  };

  /** Each request from its own client address (the form is rate-limited per address), alternating apis. */
  const register = (i: number, body: object, on: TestApi[] = apis) =>
    newBrowser(on[i % on.length]).json('post', `/api/v1/editions/${SLUG}/registrations`, body);

  const token = (id: string) => apis[0].app.get(RegistrationService).manageToken(id);
  const withToken = (i: number, method: 'delete' | 'post', path: string, id: string) =>
    newBrowser(apis[i % apis.length])
      .json(method, path)
      .set('Authorization', `Bearer ${token(id)}`);

  async function openEdition(settings: Record<string, unknown>): Promise<Browser> {
    const { members } = await createEdition(ds, {
      slug: SLUG,
      status: EditionStatus.RegistrationOpen,
      startsAt: new Date('2027-02-04T08:00:00Z'),
      endsAt: new Date('2027-02-05T17:00:00Z'),
      members: { owner: {} },
    });
    const owner = await loginJson(
      apis[0],
      (members.owner as CreatedAccount).email,
      DEFAULT_PASSWORD,
    );
    const res = await owner.json('put', `/api/v1/editions/${SLUG}/registration`, {
      opensAt: new Date(Date.now() - DAY).toISOString(),
      closesAt: new Date(Date.now() + 20 * DAY).toISOString(),
      ...settings,
    });
    if (res.status !== 200) throw new Error(`settings: ${JSON.stringify(res.body)}`);
    return owner;
  }

  const counts = async () => {
    const rows = await ds.query<{ state: string; n: number }[]>(
      `SELECT state, count(*)::int AS n FROM registrations GROUP BY state ORDER BY state`,
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  };

  /** The waiting list's length as the settings row keeps it (the newcomers' position). */
  const waitingCount = async () =>
    (
      await ds.query<{ waiting_count: number }[]>('SELECT waiting_count FROM registration_settings')
    )[0].waiting_count;

  /** The waiting list as the database orders it (ids, first = next). */
  const waitingIds = async () =>
    (
      await ds.query<{ id: string }[]>(
        `SELECT id FROM registrations WHERE state = 'waiting' ORDER BY seq`,
      )
    ).map((r) => r.id);

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { TRUST_PROXY: 'true', DATABASE_POOL_SIZE: '26' });
    apis = [await startApi(config), await startApi(config)];
    ds = apis[0].app.get(DataSource);
  });

  afterEach(async () => {
    await truncateAll(ds);
  });

  afterAll(async () => {
    for (const api of apis ?? []) await api.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it('confirms exactly 200 of 600 parallel registrations for 200 seats; 400 wait at positions 1..400', async () => {
    await openEdition({ capacity: 200 });
    const results = await Promise.all(range(600).map((i) => register(i, person())));
    expect(statusesOf(results)).toEqual({ 201: 600 });
    const outcomes = results.map((r) => r.body as Outcome);
    expect(outcomes.filter((o) => o.status === 'confirmed')).toHaveLength(200);
    const waiting = outcomes.filter((o) => o.status === 'waiting');
    expect(waiting.map((o) => o.position).sort((a, b) => a! - b!)).toEqual(range(400));
    expect(await counts()).toEqual({ confirmed: 200, waiting: 400 });
    expect(await waitingCount()).toBe(400);
    // The position each one was told is their place in the list the database keeps.
    const byId = new Map(outcomes.map((o) => [o.id, o.position]));
    expect((await waitingIds()).map((id) => byId.get(id))).toEqual(range(400));
    const [settings] = await ds.query<{ seats_left: number }[]>(
      'SELECT seats_left FROM registration_settings',
    );
    expect(settings.seats_left).toBe(0);
  });

  describe('control run: the seat lock switched off (TEST_ONLY_UNGUARDED_SEATS)', () => {
    let unguarded: TestApi[];

    beforeAll(async () => {
      const racy = testConfig(db.url, {
        TRUST_PROXY: 'true',
        DATABASE_POOL_SIZE: '8',
        QUEUE_PREFIX: config.redis.prefix,
        TEST_ONLY_UNGUARDED_SEATS: 'true',
      });
      unguarded = [await startApi(racy), await startApi(racy)];
    });

    afterAll(async () => {
      for (const api of unguarded ?? []) await api.close();
    });

    it('overbooks under the same load: the test above would see a race', async () => {
      await openEdition({ capacity: 200 });
      const results = await Promise.all(range(600).map((i) => register(i, person(), unguarded)));
      expect(statusesOf(results)).toEqual({ 201: 600 });
      const confirmed = results.filter((r) => (r.body as Outcome).status === 'confirmed');
      expect(confirmed.length).toBeGreaterThan(200);
      expect((await counts()).confirmed).toBeGreaterThan(200);
    });
  });

  it('keeps categories within their quotas and a multi-use invitation code within its uses, in parallel', async () => {
    const owner = await openEdition({
      capacity: 60,
      categories: [
        { key: 'participant', nameFr: 'P', nameEn: 'P', quota: 10 },
        { key: 'press', nameFr: 'Presse', nameEn: 'Press', quota: 8, hidden: true },
      ],
    });
    const code = await owner.json('post', `/api/v1/editions/${SLUG}/invitation-codes`, {
      category: 'press',
      maxUses: 5,
    });
    expect(code.status).toBe(201);
    const invitation = (code.body as { code: string }).code;
    const results = await Promise.all([
      ...range(40).map((i) => register(i, person())),
      ...range(15).map((i) => register(i, person({ invitationCode: invitation }))),
    ]);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    const invited = results.slice(40);
    expect(statusesOf(invited)).toEqual({ 201: 5, 422: 10 });
    expect(await counts()).toEqual({ confirmed: 15, waiting: 30 });
    const rows = await ds.query<{ key: string; seats_left: number; confirmed: number }[]>(
      `SELECT c.key, c.seats_left,
              (SELECT count(*)::int FROM registrations r
                WHERE r.category_id = c.id AND r.state = 'confirmed') AS confirmed
         FROM ticket_categories c ORDER BY c.key`,
    );
    expect(rows).toEqual([
      { key: 'participant', seats_left: 0, confirmed: 10 },
      { key: 'press', seats_left: 3, confirmed: 5 },
    ]);
    const [used] = await ds.query<{ used_count: number }[]>(
      'SELECT used_count FROM invitation_codes',
    );
    expect(used.used_count).toBe(5);
    const [settings] = await ds.query<{ seats_left: number }[]>(
      'SELECT seats_left FROM registration_settings',
    );
    expect(settings.seats_left).toBe(45);
  });

  it('hands the seats freed by 50 racing cancellations to the first 50 waiting, in order, once each, while 200 others register', async () => {
    await openEdition({ capacity: 100 });
    const first = await Promise.all(range(180).map((i) => register(i, person())));
    expect(statusesOf(first)).toEqual({ 201: 180 });
    const confirmed = first.map((r) => r.body as Outcome).filter((o) => o.status === 'confirmed');
    expect(confirmed).toHaveLength(100);
    const queue = await waitingIds();
    expect(queue).toHaveLength(80);

    // Sampled all along the race: never more seats held than the capacity.
    let racing = true;
    let most = 0;
    const watch = (async () => {
      while (racing) {
        const [row] = await ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM registrations WHERE state IN ('confirmed', 'offered')`,
        );
        most = Math.max(most, row.n);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const cancels = confirmed
      .slice(0, 50)
      .map((o, i) => withToken(i, 'delete', `/api/v1/registrations/${o.id}`, o.id));
    const newcomers = range(200).map((i) => register(i, person()));
    const results = await Promise.all([...cancels, ...newcomers]);
    racing = false;
    await watch;

    expect(statusesOf(results.slice(0, 50))).toEqual({ 204: 50 });
    expect(statusesOf(results.slice(50))).toEqual({ 201: 200 });
    expect(most).toBeLessThanOrEqual(100);
    // A seat is never free while someone waits: every newcomer joined the list.
    expect(results.slice(50).every((r) => (r.body as Outcome).status === 'waiting')).toBe(true);
    expect(await counts()).toEqual({ cancelled: 50, confirmed: 100, waiting: 230 });
    expect(await waitingCount()).toBe(230);

    // FIFO: exactly the first 50 of the list were promoted; the other 30 stay first in line.
    const promoted = queue.slice(0, 50);
    const states = await ds.query<{ id: string; state: string }[]>(
      `SELECT id, state FROM registrations WHERE id = ANY($1::uuid[])`,
      [queue],
    );
    const stateOf = new Map(states.map((s) => [s.id, s.state]));
    expect(promoted.map((id) => stateOf.get(id))).toEqual(Array(50).fill('confirmed'));
    expect((await waitingIds()).slice(0, 30)).toEqual(queue.slice(50));
    // Promotions happened in the order of the list (each under the edition's lock, one by one).
    const order = await ds.query<{ id: string }[]>(
      `SELECT id FROM registrations WHERE id = ANY($1::uuid[]) ORDER BY confirmed_at, seq`,
      [promoted],
    );
    expect(order.map((r) => r.id)).toEqual(promoted);

    // One "you're in" email per promoted person, none for anyone else.
    const emails = await ds.query<{ purpose: string; n: number }[]>(
      `SELECT purpose, count(*)::int AS n FROM outbox_messages
        WHERE template = 'registration-confirmed' AND purpose LIKE 'registration-promoted:%'
        GROUP BY purpose`,
    );
    expect(emails.map((e) => e.n)).toEqual(Array(50).fill(1));
    expect(emails.map((e) => e.purpose).sort()).toEqual(
      promoted.map((id) => `registration-promoted:${id}`).sort(),
    );
    const audits = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'promote'`,
    );
    expect(audits[0].n).toBe(50);
  });

  it('keeps each workshop within its seats under parallel sign-ups and cancellations on both apis', async () => {
    const owner = await openEdition({ capacity: 100 });
    const room = await owner.json('post', `${PROGRAMME}/rooms`, { name: 'Salle', capacity: 50 });
    expect(room.status).toBe(201);
    const workshops: { id: string; capacity: number }[] = [];
    for (const [i, capacity] of [5, 8, 12].entries()) {
      const created = await owner.json('post', `${PROGRAMME}/sessions`, {
        title: `Atelier ${i + 1}`,
        kind: 'workshop',
        durationMinutes: 90,
        capacity,
      });
      expect(created.status).toBe(201);
      const body = created.body as { id: string; version: number };
      const placed = await owner.json('put', `${PROGRAMME}/sessions/${body.id}/placement`, {
        roomId: (room.body as { id: string }).id,
        startsAt: `2027-02-04T${String(9 + 2 * i).padStart(2, '0')}:00`,
        version: body.version,
      });
      expect(placed.status).toBe(200);
      workshops.push({ id: body.id, capacity });
    }
    expect((await owner.json('post', `${PROGRAMME}/versions`, { name: 'V1' })).status).toBe(201);
    const people = await Promise.all(range(40).map((i) => register(i, person())));
    const ids = people.map((r) => (r.body as Outcome).id);

    // Everyone signs up to the three workshops at once, while 10 of them cancel.
    const signUps = ids.flatMap((id, i) =>
      workshops.map((w, j) =>
        withToken(i + j, 'post', `/api/v1/registrations/${id}/workshops/${w.id}`, id),
      ),
    );
    const cancels = ids
      .slice(0, 10)
      .map((id, i) => withToken(i, 'delete', `/api/v1/registrations/${id}`, id));
    const results = await Promise.all([...signUps, ...cancels]);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    // A sign-up after its registration's cancellation is refused; every other one is answered.
    expect(results.slice(0, 120).every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(statusesOf(results.slice(120))).toEqual({ 204: 10 });

    const rows = await ds.query<
      {
        session_id: string;
        capacity: number;
        seats_left: number;
        confirmed: number;
        waiting: number;
      }[]
    >(
      `SELECT s.session_id, s.capacity, s.seats_left,
              count(*) FILTER (WHERE w.state = 'confirmed')::int AS confirmed,
              count(*) FILTER (WHERE w.state = 'waiting')::int AS waiting
         FROM workshop_seats s JOIN workshop_signups w ON w.session_id = s.session_id
        GROUP BY s.session_id, s.capacity, s.seats_left`,
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      // Never over capacity, the counter true, and no seat free while someone waits.
      expect(row.confirmed).toBe(row.capacity);
      expect(row.seats_left).toBe(0);
      expect(row.confirmed + row.waiting).toBe(30);
    }
    const [orphans] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM workshop_signups w JOIN registrations r
          ON r.id = w.registration_id WHERE r.state = 'cancelled'`,
    );
    expect(orphans.n).toBe(0);
  });

  it('answers each registration of a grouped statement on its own: a duplicate address gets 409, the others their seat', async () => {
    await openEdition({ capacity: 100 });
    // 30 at once on one process: those arriving while a statement runs go in the next one.
    const bodies = range(30).map((i) => person({ email: `groupe-${i % 27}@example.org` }));
    const results = await Promise.all(bodies.map((body) => register(0, body, [apis[0]])));
    expect(statusesOf(results)).toEqual({ 201: 27, 409: 3 });
    expect(await counts()).toEqual({ confirmed: 27 });
  });

  it('register_attendees isolates each item: one refused by a unique index, the others written, in order', async () => {
    await openEdition({ capacity: 100 });
    const [{ edition_id: edition, id: category }] = await ds.query<
      { edition_id: string; id: string }[]
    >(`SELECT edition_id, id FROM ticket_categories WHERE key = 'participant'`);
    const item = (email: string) => ({
      edition,
      category,
      invitation: null,
      registration: {
        id: randomUUID(),
        name: email,
        email,
        organisation: '',
        role: '',
        stakeholder_type: 'company',
        territory_type: 'urban',
        city_or_region: '',
        heard_from: '',
        accessibility_needs: '',
        dietary_needs: '',
        privacy_notice_version: '1',
        public_listing: false,
        answers: {},
        locale: 'fr',
        manage_token_hash: randomUUID(),
        check_in_code: randomUUID().slice(0, 12),
        idempotency_key: null,
      },
      now: new Date().toISOString(),
      audit: {},
      confirmed_mails: [],
      waiting_mails: [],
    });
    const rows = await ds.query<{ ord: number; state: string | null; error_code: string | null }[]>(
      'SELECT ord, state, error_code FROM register_attendees($1) ORDER BY ord',
      [JSON.stringify([item('a@example.org'), item('a@example.org'), item('b@example.org')])],
    );
    expect(rows).toEqual([
      { ord: 1, state: 'confirmed', error_code: null },
      { ord: 2, state: null, error_code: '23505' },
      { ord: 3, state: 'confirmed', error_code: null },
    ]);
    expect(await counts()).toEqual({ confirmed: 2 });
    const [{ seats_left }] = await ds.query<{ seats_left: number }[]>(
      'SELECT seats_left FROM registration_settings',
    );
    expect(seats_left).toBe(98);
  });

  it('creates one registration for a form submitted twice at once', async () => {
    await openEdition({ capacity: 20 });
    const browser = newBrowser(apis[0]);
    const form = await browser.open(`/e/${SLUG}/register`);
    const fields = {
      name: 'Double Clic',
      email: 'double@example.org',
      stakeholderType: 'company',
      territoryType: 'rural',
      privacyConsent: 'true',
    };
    const results = await Promise.all([
      browser.post(`/e/${SLUG}/register`, fields, form.csrf),
      browser.post(`/e/${SLUG}/register`, fields, form.csrf),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 422]);
    expect(results.find((r) => r.status === 422)?.text).toContain(
      'Cette adresse est déjà inscrite',
    );
    expect(await counts()).toEqual({ confirmed: 1 });
  });

  describe('rate limit of the public form (10 a minute per client address, across api processes)', () => {
    it('answers 429 to the JSON API past 10 from one address; other addresses are unaffected', async () => {
      await openEdition({ capacity: 50 });
      const one = newBrowser(apis[0], { address: '198.51.100.7' });
      const two = newBrowser(apis[1], { address: '198.51.100.7' });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1)
        statuses.push(
          (await [one, two][i % 2].json('post', `/api/v1/editions/${SLUG}/registrations`, person()))
            .status,
        );
      expect(statuses).toEqual([...Array<number>(10).fill(201), 429, 429]);
      const refused = await one.json('post', `/api/v1/editions/${SLUG}/registrations`, person());
      expect(refused.body).toMatchObject({ code: 'request.rate_limited' });
      expect((await register(0, person(), [apis[0]])).status).toBe(201);
      expect(await counts()).toEqual({ confirmed: 11 });
    });

    it('answers 429 to the form past 10 posts from one address; other addresses are unaffected', async () => {
      await openEdition({ capacity: 50 });
      const one = newBrowser(apis[0], { address: '198.51.100.8' });
      const form = await one.open(`/e/${SLUG}/register`);
      const fields = () => {
        const p = person();
        return { ...p, privacyConsent: 'true' };
      };
      const statuses: number[] = [];
      for (let i = 0; i < 11; i += 1)
        statuses.push((await one.post(`/e/${SLUG}/register`, fields(), form.csrf)).status);
      expect(statuses).toEqual([...Array<number>(10).fill(303), 429]);
      const other = newBrowser(apis[0], { address: '198.51.100.9' });
      const page = await other.open(`/e/${SLUG}/register`);
      expect((await other.post(`/e/${SLUG}/register`, fields(), page.csrf)).status).toBe(303);
      expect(await counts()).toEqual({ confirmed: 11 });
    });
  });
});
