import type { AppConfig } from '@assises/config';
import { DataSource } from 'typeorm';
import { seedDemo } from '../../apps/cli/src/seed';
import { startApi, TestApi } from '../harness/app';
import { newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

/** What `npm start` shows a newcomer on an empty database. */
describe('Demo data', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;
  const today = new Date('2026-11-29T10:00:00Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    api = await startApi(config);
    ds = api.app.get(DataSource);
  });

  afterAll(async () => {
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it('seeds once: a second run leaves the database alone', async () => {
    const seed = await seedDemo(ds, today);
    expect(seed?.editions.upcoming.slug).toBe('clermont-ferrand-2027');
    expect(await seedDemo(ds, today)).toBeNull();
    const [{ count }] = await ds.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM editions',
    );
    expect(count).toBe(2);
  });

  it('opens the upcoming call with its formats and themes', async () => {
    const res = await newBrowser(api).json('get', '/api/v1/editions/clermont-ferrand-2027/call');
    expect(res.status).toBe(200);
    const call = res.body as {
      opensAt: string;
      closesAt: string;
      formats: { key: string }[];
      themes: { nameFr: string }[];
    };
    expect(new Date(call.opensAt).getTime()).toBeLessThan(today.getTime());
    expect(new Date(call.closesAt).getTime()).toBeGreaterThan(today.getTime());
    expect(call.formats.map((f) => f.key)).toEqual([
      'atelier',
      'table-ronde',
      'temoignage',
      'conference',
    ]);
    expect(call.themes.map((t) => t.nameFr)).toContain('Coworking en territoires ruraux');
  });

  it('has a dozen French proposals upcoming, some reviewed, and 2017’s confirmed ones', async () => {
    const rows = await ds.query<{ slug: string; state: string; count: number }[]>(
      `SELECT e.slug, p.state, count(*)::int AS count FROM proposals p
         JOIN editions e ON e.id = p.edition_id GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    expect(rows).toEqual([
      { slug: 'clermont-ferrand-2027', state: 'submitted', count: 12 },
      { slug: 'lyon-2017', state: 'confirmed', count: 4 },
    ]);
    const [{ reviewed }] = await ds.query<{ reviewed: number }[]>(
      'SELECT count(DISTINCT proposal_id)::int AS reviewed FROM reviews',
    );
    expect(reviewed).toBeGreaterThanOrEqual(4);
    const mix = await ds.query<{ kinds: number; territories: number }[]>(
      `SELECT count(DISTINCT stakeholder_type)::int AS kinds,
              count(DISTINCT territory_type)::int AS territories FROM proposal_speakers`,
    );
    expect(mix[0]).toEqual({ kinds: 8, territories: 3 });
  });

  it('gives every proposal a number of speakers its format allows', async () => {
    const wrong = await ds.query(
      `SELECT p.title FROM proposals p JOIN call_formats f ON f.id = p.format_id
        WHERE (SELECT count(*) FROM proposal_speakers s WHERE s.proposal_id = p.id)
              NOT BETWEEN f.min_speakers AND f.max_speakers`,
    );
    expect(wrong).toEqual([]);
  });

  it('has the 2017 attendees with their mix and check-ins, and registration open for the next edition', async () => {
    const rows = await ds.query<
      { slug: string; confirmed: number; checked_in: number; kinds: number }[]
    >(
      `SELECT e.slug, count(*)::int AS confirmed, count(r.checked_in_at)::int AS checked_in,
              count(DISTINCT r.stakeholder_type)::int AS kinds
         FROM registrations r JOIN editions e ON e.id = r.edition_id
        WHERE r.state = 'confirmed' GROUP BY e.slug ORDER BY e.slug`,
    );
    expect(rows).toEqual([
      { slug: 'clermont-ferrand-2027', confirmed: 48, checked_in: 0, kinds: 8 },
      { slug: 'lyon-2017', confirmed: 200, checked_in: 180, kinds: 8 },
    ]);
    const form = await newBrowser(api).open('/e/clermont-ferrand-2027/register');
    expect(form.html).toContain('Places restantes : 352');
  });

  it('gives the next edition a published workshop that is full, with a waiting list in order', async () => {
    const [workshop] = await ds.query<
      { capacity: number; seats_left: number; confirmed: number; waiting: number }[]
    >(
      `SELECT w.capacity, w.seats_left,
              count(*) FILTER (WHERE s.state = 'confirmed')::int AS confirmed,
              count(*) FILTER (WHERE s.state = 'waiting')::int AS waiting
         FROM workshop_seats w JOIN editions e ON e.id = w.edition_id
         JOIN workshop_signups s ON s.session_id = w.session_id
        WHERE e.slug = 'clermont-ferrand-2027' GROUP BY w.capacity, w.seats_left`,
    );
    expect(workshop).toEqual({
      capacity: workshop.confirmed,
      seats_left: 0,
      confirmed: workshop.capacity,
      waiting: 8,
    });
    expect(workshop.capacity).toBeGreaterThan(0);
    const categories = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ticket_categories c JOIN editions e ON e.id = c.edition_id
        WHERE e.slug = 'clermont-ferrand-2027'`,
    );
    expect(categories).toEqual([{ n: 5 }]);
  });

  it('shows the series on the home page', async () => {
    const res = await newBrowser(api).open('/');
    expect(res.status).toBe(200);
    expect(res.html).toContain('Clermont-Ferrand');
    expect(res.html).toContain('Lyon');
  });
});
