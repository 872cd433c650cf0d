import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { DataSource } from 'typeorm';
import {
  createEdition,
  CreatedAccount,
  createFormat,
  createProposal,
  DEFAULT_PASSWORD,
} from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

interface SessionBody {
  id: string;
  version: number;
  roomId: string | null;
  startsAt: string | null;
  durationMinutes: number;
  kind: string;
  expectedAudience: number | null;
  speakers: { name: string; email: string }[];
}

const SLUG = 'clermont-2027';
const BASE = `/api/v1/editions/${SLUG}/programme`;

describe('Programme', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;

  const as = (account: CreatedAccount) => loginJson(api, account.email, DEFAULT_PASSWORD);

  /** A public two-day edition in Paris time (9:00–18:00 local each day) with its team. */
  async function edition(status = EditionStatus.Announced) {
    const created = await createEdition(ds, {
      slug: SLUG,
      status,
      startsAt: new Date('2027-02-04T08:00:00Z'),
      endsAt: new Date('2027-02-05T17:00:00Z'),
      members: { owner: {}, organiser: {}, reviewer: {}, volunteer: {} },
    });
    const owner = await as(created.members.owner as CreatedAccount);
    return { ...created, owner };
  }

  async function room(browser: Browser, name: string, capacity: number, extra: object = {}) {
    const res = await browser.json('post', `${BASE}/rooms`, { name, capacity, ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string };
  }

  async function session(browser: Browser, title: string, extra: object = {}) {
    const res = await browser.json('post', `${BASE}/sessions`, {
      title,
      kind: 'talk',
      durationMinutes: 60,
      ...extra,
    });
    expect(res.status).toBe(201);
    return res.body as SessionBody;
  }

  const place = (
    browser: Browser,
    s: { id: string; version: number },
    roomId: string | null,
    startsAt: string | null,
    force?: boolean,
  ) =>
    browser.json('put', `${BASE}/sessions/${s.id}/placement`, {
      roomId,
      startsAt,
      version: s.version,
      ...(force === undefined ? {} : { force }),
    });

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

  describe('rooms, grid and fixed blocks', () => {
    it('are set up by an organiser, with local times read in the edition zone', async () => {
      const { owner } = await edition();
      await room(owner, 'Amphithéâtre', 200, { equipment: ['projector'], stepFree: true });
      const b = await room(owner, 'Salle B', 30, {
        availability: [{ start: '2027-02-04T09:00', end: '2027-02-04T13:00' }],
      });
      const rooms = await owner.json('get', `${BASE}/rooms`);
      expect(rooms.body).toHaveLength(2);
      expect(
        (rooms.body as { id: string; availability: unknown }[]).find((r) => r.id === b.id),
      ).toMatchObject({
        availability: [{ start: '2027-02-04T08:00:00.000Z', end: '2027-02-04T12:00:00.000Z' }],
      });

      const grid = await owner.json('put', `${BASE}/grid`, { stepMinutes: 30, dayEnd: '17:30' });
      expect(grid.status).toBe(200);
      expect(grid.body).toEqual({ stepMinutes: 30, dayStart: '09:00', dayEnd: '17:30' });

      const lunch = await owner.json('post', `${BASE}/blocks`, {
        kind: 'lunch',
        title: 'Déjeuner',
        startsAt: '2027-02-04T12:30',
        endsAt: '2027-02-04T14:00',
      });
      expect(lunch.status).toBe(201);
      expect(lunch.body).toMatchObject({ startsAt: '2027-02-04T11:30:00.000Z' });
    });

    it('refuses bad input with per-field messages and stores nothing', async () => {
      const { owner } = await edition();
      await room(owner, 'Amphi', 200);
      const negative = await owner.json('post', `${BASE}/rooms`, { name: 'X', capacity: -1 });
      expect(negative.status).toBe(422);
      expect(negative.body).toMatchObject({ code: 'validation.failed' });
      expect(JSON.stringify(negative.body)).toContain('capacity');
      const twice = await owner.json('post', `${BASE}/rooms`, { name: 'Amphi', capacity: 10 });
      expect(twice.status).toBe(422);
      expect(twice.body).toMatchObject({
        code: 'programme.invalid',
        fields: { name: [expect.any(String)] },
      });
      const backwards = await owner.json('post', `${BASE}/blocks`, {
        kind: 'break',
        title: 'Pause',
        startsAt: '2027-02-04T10:30',
        endsAt: '2027-02-04T10:00',
      });
      expect(backwards.status).toBe(422);
      expect(backwards.body).toMatchObject({ fields: { endsAt: [expect.any(String)] } });
      const grid = await owner.json('put', `${BASE}/grid`, { dayStart: '18:00', dayEnd: '09:00' });
      expect(grid.status).toBe(422);
      const [{ count }] = await ds.query<{ count: string }[]>(
        'SELECT (SELECT count(*) FROM rooms) + (SELECT count(*) FROM fixed_blocks) + (SELECT count(*) FROM programme_grids) AS count',
      );
      expect(Number(count)).toBe(1);
    });
  });

  describe('sessions', () => {
    it('imports each confirmed proposal once, with its format duration and its speakers', async () => {
      const { edition: e, owner } = await edition();
      const atelier = await createFormat(ds, e.id, { key: 'atelier', defaultDurationMinutes: 90 });
      await createProposal(ds, e.id, atelier, {
        title: 'Coworking rural',
        expectedAudience: 40,
        availability: ['2027-02-04'],
        speakers: [
          { name: 'Camille Martin', email: 'camille@example.org' },
          { name: 'Sami Benali', email: 'sami@example.org' },
        ],
      });
      await createProposal(ds, e.id, atelier, { title: 'Pas encore confirmée', state: 'accepted' });

      const first = await owner.json('post', `${BASE}/sessions/import`);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ imported: 1 });
      expect((await owner.json('post', `${BASE}/sessions/import`)).body).toEqual({ imported: 0 });

      // Two organisers importing at once import a new proposal once.
      await createProposal(ds, e.id, atelier, { title: 'Tiers-lieux et mairies' });
      const both = await Promise.all([
        owner.json('post', `${BASE}/sessions/import`),
        owner.json('post', `${BASE}/sessions/import`),
      ]);
      expect(both.map((r) => (r.body as { imported: number }).imported).sort()).toEqual([0, 1]);

      const working = await owner.json('get', `${BASE}/sessions`);
      const sessions = (working.body as { sessions: (SessionBody & { title: string })[] }).sessions;
      expect(sessions.map((s) => s.title).sort()).toEqual([
        'Coworking rural',
        'Tiers-lieux et mairies',
      ]);
      expect(sessions.find((s) => s.title === 'Coworking rural')).toMatchObject({
        durationMinutes: 90,
        kind: 'workshop',
        expectedAudience: 40,
        availability: ['2027-02-04'],
        roomId: null,
        speakers: [
          { name: 'Camille Martin', email: 'camille@example.org' },
          { name: 'Sami Benali', email: 'sami@example.org' },
        ],
      });
    });

    it('are created directly by organisers, with a capacity defaulting to the room’s', async () => {
      const { owner } = await edition();
      const amphi = await room(owner, 'Amphi', 200);
      const plenary = await session(owner, 'Plénière d’ouverture', { kind: 'plenary' });
      const placed = await place(owner, plenary, amphi.id, '2027-02-04T09:00');
      expect(placed.status).toBe(200);
      expect(placed.body).toMatchObject({
        capacity: 200,
        roomId: amphi.id,
        startsAt: '2027-02-04T08:00:00.000Z',
        endsAt: '2027-02-04T09:00:00.000Z',
        version: 2,
      });
      const bad = await owner.json('post', `${BASE}/sessions`, {
        title: '',
        kind: 'dance',
        durationMinutes: 2,
      });
      expect(bad.status).toBe(422);
      expect(Object.keys((bad.body as { fields: object }).fields).sort()).toEqual([
        'durationMinutes',
        'kind',
        'title',
      ]);
    });
  });

  describe('placing sessions', () => {
    it('refuses a placement that breaks hard constraints with a 422 naming each one', async () => {
      const { owner } = await edition();
      const amphi = await room(owner, 'Amphi', 200);
      const salle = await room(owner, 'Salle B', 30, {
        availability: [{ start: '2027-02-04T09:00', end: '2027-02-04T12:00' }],
      });
      await owner.json('post', `${BASE}/blocks`, {
        kind: 'lunch',
        title: 'Déjeuner',
        startsAt: '2027-02-04T12:30',
        endsAt: '2027-02-04T14:00',
      });
      const speakers = [{ name: 'Camille', email: 'camille@example.org' }];
      const s1 = await session(owner, 'Un', { speakers });
      const s2 = await session(owner, 'Deux', { speakers, availability: ['2027-02-04-am'] });
      expect((await place(owner, s1, amphi.id, '2027-02-04T09:00')).status).toBe(200);

      const cases: [string, string, string[]][] = [
        [salle.id, '2027-02-04T09:30', ['speaker_clash']],
        [amphi.id, '2027-02-04T09:00', ['room_overlap', 'speaker_clash']],
        [amphi.id, '2027-02-04T12:00', ['fixed_block']],
        [amphi.id, '2027-02-04T10:10', ['outside_grid']],
        [amphi.id, '2027-02-04T17:30', ['outside_grid', 'speaker_unavailable']],
        [salle.id, '2027-02-04T11:30', ['room_unavailable']],
      ];
      for (const [roomId, start, constraints] of cases) {
        const res = await place(owner, s2, roomId, start);
        expect([start, res.status, res.body]).toEqual([
          start,
          422,
          expect.objectContaining({
            code: 'schedule.constraint',
            fields: { placement: constraints },
          }),
        ]);
      }
      const fine = await place(owner, s2, salle.id, '2027-02-04T10:00');
      expect(fine.status).toBe(200);
    });

    it('saves a breaking placement when the organiser forces it, and lists the conflicts', async () => {
      const { owner } = await edition();
      const amphi = await room(owner, 'Amphi', 200);
      const salle = await room(owner, 'Salle B', 30);
      const speakers = [{ name: 'Camille', email: 'camille@example.org' }];
      const s1 = await session(owner, 'Un', { speakers });
      const s2 = await session(owner, 'Deux', { speakers, estimatedDemand: 45 });
      await place(owner, s1, amphi.id, '2027-02-04T09:00');
      const forced = await place(owner, s2, salle.id, '2027-02-04T09:30', true);
      expect(forced.status).toBe(200);
      const conflicts = await owner.json('get', `${BASE}/conflicts`);
      expect(conflicts.status).toBe(200);
      expect(conflicts.body).toEqual([
        { code: 'over_capacity', sessionIds: [s2.id], roomId: salle.id, amount: 15 },
        {
          code: 'speaker_clash',
          sessionIds: [s1.id, s2.id].sort(),
          speaker: 'camille@example.org',
        },
      ]);
      const audit = await ds.query<{ action: string; data: { forced: boolean } }[]>(
        `SELECT action, data FROM audit_events WHERE subject_id = $1 AND action = 'schedule'`,
        [s2.id],
      );
      expect(audit).toEqual([
        { action: 'schedule', data: expect.objectContaining({ forced: true }) },
      ]);
    });

    it('gives two organisers editing at once a 409 on the stale version, never a silent overwrite', async () => {
      const { owner, members } = await edition();
      const organiser = await as(members.organiser as CreatedAccount);
      const amphi = await room(owner, 'Amphi', 200);
      const salle = await room(owner, 'Salle B', 30);
      const s = await session(owner, 'Un');
      const results = await Promise.all([
        place(owner, s, amphi.id, '2027-02-04T09:00'),
        place(organiser, s, salle.id, '2027-02-04T10:00'),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const refused = results.find((r) => r.status === 409)!;
      expect(refused.body).toMatchObject({ code: 'schedule.stale' });
      const winner = results.find((r) => r.status === 200)!.body as SessionBody;
      const now = await owner.json('get', `${BASE}/sessions/${s.id}`);
      expect(now.body).toMatchObject({
        roomId: winner.roomId,
        startsAt: winner.startsAt,
        version: 2,
      });

      // Two sessions raced into the same free spot: one gets it, the other is told why.
      const a = await session(owner, 'A');
      const b = await session(owner, 'B');
      const race = await Promise.all([
        place(owner, a, salle.id, '2027-02-05T09:00'),
        place(organiser, b, salle.id, '2027-02-05T09:00'),
      ]);
      expect(race.map((r) => r.status).sort()).toEqual([200, 422]);
    });

    it('lets reviewers and volunteers read the working schedule but not change it', async () => {
      const { owner, members } = await edition();
      const amphi = await room(owner, 'Amphi', 200);
      const s = await session(owner, 'Un');
      for (const role of ['reviewer', 'volunteer'] as const) {
        const browser = await as(members[role] as CreatedAccount);
        expect((await browser.json('get', `${BASE}/sessions`)).status).toBe(200);
        const res = await place(browser, s, amphi.id, '2027-02-04T09:00');
        expect(res.status).toBe(403);
      }
      expect((await newBrowser(api).json('get', `${BASE}/sessions`)).status).toBe(401);
    });
  });

  describe('publishing', () => {
    it('freezes named versions with a changelog, tells speakers whose session moved, and serves the latest', async () => {
      const { owner } = await edition();
      const amphi = await room(owner, 'Amphi', 200);
      const salle = await room(owner, 'Salle B', 30);
      const moving = await session(owner, 'Le tiers-lieu qui bouge', {
        speakers: [
          { name: 'Alex Doe', email: 'alex@example.org', locale: 'en' },
          { name: 'Sans adresse' },
        ],
      });
      const staying = await session(owner, 'Plénière', { kind: 'plenary' });
      const going = await session(owner, 'Annulée');
      await session(owner, 'Pas encore placée');
      const m1 = (await place(owner, moving, salle.id, '2027-02-04T10:00')).body as SessionBody;
      await place(owner, staying, amphi.id, '2027-02-04T09:00');
      await place(owner, going, amphi.id, '2027-02-04T11:00');

      const before = await newBrowser(api).json('get', BASE);
      expect(before.status).toBe(404);
      expect(before.body).toMatchObject({ code: 'programme.not_published' });

      const v1 = await owner.json('post', `${BASE}/versions`, { name: 'Première version' });
      expect(v1.status).toBe(201);
      expect(v1.body).toMatchObject({ number: 1, sessions: 3 });
      expect((v1.body as { changelog: { added: unknown[] } }).changelog.added).toHaveLength(3);

      const visitor = newBrowser(api);
      const first = await visitor.json('get', BASE);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ version: { number: 1, name: 'Première version' } });
      expect(first.text).not.toContain('alex@example.org');
      expect(first.headers.etag).toMatch(/^"/);
      expect(first.headers['last-modified']).toBeTruthy();
      const again = await visitor.json('get', BASE).set('If-None-Match', first.headers.etag);
      expect(again.status).toBe(304);
      expect(again.text ?? '').toBe('');
      // Served before the rest of the stack (no session, no cookie), with helmet's JSON headers.
      expect(first.headers['set-cookie']).toBeUndefined();
      expect(first.headers['x-content-type-options']).toBe('nosniff');
      expect(first.headers['content-security-policy']).toContain("default-src 'none'");
      expect(first.headers['access-control-allow-origin']).toBe('*');
      // Once the bytes are held, the http server answers them before Express: the same answer.
      const held = await visitor.json('get', `${BASE}?from=cache`);
      expect(held.status).toBe(200);
      expect(held.text).toBe(first.text);
      for (const header of [
        'content-type',
        'content-length',
        'etag',
        'last-modified',
        'cache-control',
        'content-security-policy',
        'x-content-type-options',
        'referrer-policy',
        'access-control-allow-origin',
      ])
        expect(held.headers[header]).toBe(first.headers[header]);
      expect(held.headers['set-cookie']).toBeUndefined();

      // Changes to the working schedule stay private until published.
      await place(owner, m1, amphi.id, '2027-02-04T14:00');
      await owner.json('delete', `${BASE}/sessions/${going.id}`);
      expect((await visitor.json('get', BASE)).body).toMatchObject({ version: { number: 1 } });

      const v2 = await owner.json('post', `${BASE}/versions`, { name: 'Après échange' });
      expect(v2.body).toMatchObject({
        number: 2,
        changelog: {
          added: [],
          moved: [
            {
              sessionId: moving.id,
              title: 'Le tiers-lieu qui bouge',
              from: { roomName: 'Salle B', start: '2027-02-04T09:00:00.000Z' },
              to: { roomName: 'Amphi', start: '2027-02-04T13:00:00.000Z' },
            },
          ],
          cancelled: [{ sessionId: going.id, title: 'Annulée' }],
        },
      });
      const mails = await ds.query<
        { recipient: string; template: string; locale: string; data: Record<string, string> }[]
      >(`SELECT recipient, template, locale, data FROM outbox_messages`);
      expect(mails).toEqual([
        {
          recipient: 'alex@example.org',
          template: 'session-moved',
          locale: 'en',
          data: expect.objectContaining({
            sessionTitle: 'Le tiers-lieu qui bouge',
            fromRoom: 'Salle B',
            toRoom: 'Amphi',
            toTime: 'Thursday 4 February 2027, 14:00',
          }),
        },
      ]);

      const latest = await visitor.json('get', BASE).set('If-None-Match', first.headers.etag);
      expect(latest.status).toBe(200);
      expect(latest.headers.etag).not.toBe(first.headers.etag);
      expect(latest.body).toMatchObject({ version: { number: 2 } });
      expect(
        (latest.body as { sessions: { title: string }[] }).sessions.map((s) => s.title).sort(),
      ).toEqual(['Le tiers-lieu qui bouge', 'Plénière']);
      const versions = await owner.json('get', `${BASE}/versions`);
      expect((versions.body as { number: number }[]).map((v) => v.number)).toEqual([2, 1]);
    });

    it('keeps a draft edition’s programme private, even published', async () => {
      const { owner } = await edition(EditionStatus.Draft);
      await owner.json('post', `${BASE}/versions`, { name: 'v1' });
      const res = await newBrowser(api).json('get', BASE);
      expect(res.status).toBe(404);
    });
  });
});
