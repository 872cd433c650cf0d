import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { RegistrationService } from '@assises/registration';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

const DAY = 86_400_000;

interface Outcome {
  id: string;
  status: string;
  position?: number;
}

/**
 * Capacity under real parallel requests, against two api instances sharing one database (as two
 * replicas behind a load balancer): never more confirmed than seats, the waiting list in order,
 * one promotion per freed seat, one registration per double submit.
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
  const register = (i: number, body: object) =>
    newBrowser(apis[i % apis.length]).json(
      'post',
      '/api/v1/editions/load-2027/registrations',
      body,
    );

  async function openEdition(settings: Record<string, unknown>) {
    const { members } = await createEdition(ds, {
      slug: 'load-2027',
      status: EditionStatus.RegistrationOpen,
      startsAt: new Date(Date.now() + 30 * DAY),
      endsAt: new Date(Date.now() + 31 * DAY),
      members: { owner: {} },
    });
    const owner = await loginJson(
      apis[0],
      (members.owner as CreatedAccount).email,
      DEFAULT_PASSWORD,
    );
    const res = await owner.json('put', '/api/v1/editions/load-2027/registration', {
      opensAt: new Date(Date.now() - DAY).toISOString(),
      closesAt: new Date(Date.now() + 20 * DAY).toISOString(),
      ...settings,
    });
    if (res.status !== 200) throw new Error(`settings: ${JSON.stringify(res.body)}`);
  }

  const counts = async () => {
    const rows = await ds.query<{ state: string; n: number }[]>(
      `SELECT state, count(*)::int AS n FROM registrations GROUP BY state ORDER BY state`,
    );
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  };

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

  it('confirms exactly 20 of 50 parallel registrations for 20 seats; 30 wait at positions 1..30', async () => {
    await openEdition({ capacity: 20 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => register(i, person())));
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(results.map((r) => r.status).every((s) => s === 201)).toBe(true);
    const outcomes = results.map((r) => r.body as Outcome);
    expect(outcomes.filter((o) => o.status === 'confirmed')).toHaveLength(20);
    const waiting = outcomes.filter((o) => o.status === 'waiting');
    expect(waiting).toHaveLength(30);
    expect(await counts()).toEqual({ confirmed: 20, waiting: 30 });
    // Positions as seen now are the order of arrival in the database, 1..30 without gaps.
    const positions = await ds.query<{ position: number }[]>(
      `SELECT row_number() OVER (ORDER BY seq)::int AS position FROM registrations WHERE state = 'waiting'`,
    );
    expect(positions.map((p) => p.position)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    const [settings] = await ds.query<{ seats_left: number }[]>(
      'SELECT seats_left FROM registration_settings',
    );
    expect(settings.seats_left).toBe(0);
  });

  it('keeps a category within its quota under parallel requests', async () => {
    await openEdition({
      capacity: 30,
      categories: [{ key: 'participant', nameFr: 'P', nameEn: 'P', quota: 10 }],
    });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => register(i, person())));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(await counts()).toEqual({ confirmed: 10, waiting: 30 });
    const [row] = await ds.query<{ seats_left: number; edition_left: number }[]>(
      `SELECT c.seats_left, s.seats_left AS edition_left FROM ticket_categories c
         JOIN registration_settings s ON s.edition_id = c.edition_id WHERE c.key = 'participant'`,
    );
    expect(row).toEqual({ seats_left: 0, edition_left: 20 });
  });

  it('hands each seat freed by 10 racing cancellations to the people waiting, in order, once, while 20 others register', async () => {
    await openEdition({ capacity: 20 });
    const first = [];
    for (let i = 0; i < 30; i += 1) first.push((await register(i, person())).body as Outcome);
    const confirmed = first.filter((o) => o.status === 'confirmed');
    const waiting = first.filter((o) => o.status === 'waiting');
    expect(confirmed).toHaveLength(20);

    const token = (id: string) => apis[0].app.get(RegistrationService).manageToken(id);
    const cancels = confirmed.slice(0, 10).map((o, i) =>
      newBrowser(apis[i % 2])
        .json('delete', `/api/v1/registrations/${o.id}`)
        .set('Authorization', `Bearer ${token(o.id)}`),
    );
    const newcomers = Array.from({ length: 20 }, (_, i) => register(i + 1, person()));
    const results = await Promise.all([...cancels, ...newcomers]);
    expect(results.filter((r) => r.status >= 500)).toEqual([]);

    expect(await counts()).toEqual({ cancelled: 10, confirmed: 20, waiting: 20 });
    const states = await ds.query<{ id: string; state: string }[]>(
      `SELECT id, state FROM registrations WHERE id = ANY($1::uuid[]) ORDER BY seq`,
      [waiting.map((o) => o.id)],
    );
    // Every one of the 10 who waited first got a freed seat (FIFO): newcomers only joined the list.
    expect(states.map((s) => s.state)).toEqual(Array(10).fill('confirmed'));
    const promotions = await ds.query<{ purpose: string }[]>(
      `SELECT purpose FROM outbox_messages WHERE purpose LIKE 'registration-promoted:%'`,
    );
    expect(promotions.map((p) => p.purpose).sort()).toEqual(
      waiting.map((o) => `registration-promoted:${o.id}`).sort(),
    );
    const audits = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'promote'`,
    );
    expect(audits[0].n).toBe(10);
  });

  it('creates one registration for a form submitted twice at once', async () => {
    await openEdition({ capacity: 20 });
    const browser = newBrowser(apis[0]);
    const form = await browser.open('/e/load-2027/register');
    const fields = {
      name: 'Double Clic',
      email: 'double@example.org',
      stakeholderType: 'company',
      territoryType: 'rural',
      privacyConsent: 'true',
    };
    const results = await Promise.all([
      browser.post('/e/load-2027/register', fields, form.csrf),
      browser.post('/e/load-2027/register', fields, form.csrf),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([303, 422]);
    expect(results.find((r) => r.status === 422)?.text).toContain(
      'Cette adresse est déjà inscrite',
    );
    expect(await counts()).toEqual({ confirmed: 1 });
  });
});
