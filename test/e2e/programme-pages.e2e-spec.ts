import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, flashIn, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

const SLUG = 'rennes-2027';
const BASE = `/api/v1/editions/${SLUG}/programme`;
const EDITOR = `/admin/editions/${SLUG}/programme`;
const HOSTILE = '<script>alert(1)</script> Atelier';

describe('Programme pages', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;
  let owner: Browser;
  let reviewer: Browser;
  const ids: Record<string, string> = {};

  const versionOf = async (id: string) =>
    (await owner.json('get', `${BASE}/sessions/${id}`)).body as { version: number };

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { TRUST_PROXY: 'true' });
    api = await startApi(config);
    ds = api.app.get(DataSource);
    const { members } = await createEdition(ds, {
      slug: SLUG,
      status: EditionStatus.Announced,
      startsAt: new Date('2027-02-04T08:00:00Z'),
      endsAt: new Date('2027-02-04T17:00:00Z'),
      members: { owner: {}, reviewer: {} },
    });
    // Both sign in through the JSON API; the session cookie also opens the pages.
    owner = await loginJson(api, (members.owner as CreatedAccount).email, DEFAULT_PASSWORD);
    reviewer = await loginJson(api, (members.reviewer as CreatedAccount).email, DEFAULT_PASSWORD);
    for (const [key, name, capacity] of [
      ['amphi', 'Amphi', 200],
      ['salle', 'Salle <B>', 30],
    ] as const)
      ids[key] = (
        (await owner.json('post', `${BASE}/rooms`, { name, capacity })).body as { id: string }
      ).id;
    const speakers = [{ name: 'Camille <i>Martin</i>', email: 'camille@example.org', bio: 'Bio' }];
    for (const [key, title] of [
      ['hostile', HOSTILE],
      ['other', 'Table ronde'],
    ] as const)
      ids[key] = (
        (
          await owner.json('post', `${BASE}/sessions`, {
            title,
            kind: 'workshop',
            durationMinutes: 60,
            speakers,
          })
        ).body as { id: string }
      ).id;
  });

  afterAll(async () => {
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it('shows the editor with rooms, the unscheduled sessions and hostile text as text', async () => {
    const page = await owner.open(EDITOR);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Salle &lt;B&gt;');
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Atelier');
    expect(page.html).not.toContain('<script>alert(1)');
    expect(page.html).toContain(`action="${EDITOR}/sessions/${ids.hostile}/placement"`);
    expect(page.html).toContain('value="2027-02-04T09:00"');
  });

  it('places a session through the no-JavaScript form, then refuses a clash naming it', async () => {
    const placed = await owner.submit(EDITOR, `${EDITOR}/sessions/${ids.hostile}/placement`, {
      roomId: ids.amphi,
      startsAt: '2027-02-04T09:00',
      version: (await versionOf(ids.hostile)).version,
    });
    expect(placed.status).toBe(303);
    expect(placed.headers.location).toBe(`${EDITOR}#session-${ids.hostile}`);
    expect(flashIn(placed)).toMatchObject({ kind: 'success', key: 'programme.flash.placed' });
    const grid = await owner.open(EDITOR);
    expect(grid.html).toMatch(/<option value="2027-02-04T09:00" selected>/);

    const clash = await owner.submit(EDITOR, `${EDITOR}/sessions/${ids.other}/placement`, {
      roomId: ids.salle,
      startsAt: '2027-02-04T09:30',
      version: (await versionOf(ids.other)).version,
    });
    expect(clash.status).toBe(422);
    expect(clash.text).toContain('Placement refusé');
    expect(clash.text).toContain('Intervenant·e à deux endroits en même temps');

    const stale = await owner.submit(EDITOR, `${EDITOR}/sessions/${ids.other}/placement`, {
      roomId: ids.salle,
      startsAt: '2027-02-04T11:00',
      version: 99,
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Quelqu&#x27;un a modifié cette session');

    const forced = await owner.submit(EDITOR, `${EDITOR}/sessions/${ids.other}/placement`, {
      roomId: ids.salle,
      startsAt: '2027-02-04T09:30',
      version: (await versionOf(ids.other)).version,
      force: 'on',
    });
    expect(forced.status).toBe(303);
    const withConflict = await owner.open(EDITOR);
    expect(withConflict.html).toContain('class="session-item conflicted"');
  });

  it('lets a reviewer look at the editor without forms, and refuses their placement', async () => {
    const page = await reviewer.open(EDITOR);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(`/sessions/${ids.hostile}/placement`);
    const csrf = await reviewer.csrf(EDITOR);
    const res = await reviewer.post(
      `${EDITOR}/sessions/${ids.hostile}/placement`,
      { roomId: ids.salle, startsAt: '2027-02-04T15:00', version: 1 },
      csrf,
    );
    expect(res.status).toBe(403);
  });

  it('publishes from the editor; the public programme groups, filters and links to each session', async () => {
    const published = await owner.submit(EDITOR, `${EDITOR}/publish`, { name: 'Version <1>' });
    expect(published.status).toBe(303);
    expect(flashIn(published)).toMatchObject({ key: 'programme.flash.published' });

    const visitor = newBrowser(api);
    const byDay = await visitor.open(`/e/${SLUG}/programme`);
    expect(byDay.status).toBe(200);
    expect(byDay.html).toContain('Version 1 : Version &lt;1&gt;');
    expect(byDay.html).toContain('jeudi 4 février 2027');
    expect(byDay.html).toContain('09:00–10:00');
    expect(byDay.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Atelier');
    expect(byDay.html).not.toContain('<script>alert(1)');
    expect(byDay.html).not.toContain('camille@example.org');

    const byRoom = await visitor.open(`/e/${SLUG}/programme?by=room&room=${ids.salle}&lang=en`);
    expect(byRoom.html).toContain('<h2>Salle &lt;B&gt;</h2>');
    expect(byRoom.html).toContain('Table ronde');
    expect(byRoom.html).not.toContain('alert(1)&lt;/script&gt; Atelier</a>');

    const session = await visitor.open(`/e/${SLUG}/programme/sessions/${ids.hostile}`);
    expect(session.status).toBe(200);
    expect(session.html).toContain('Camille &lt;i&gt;Martin&lt;/i&gt;');
    expect(session.html).toContain(`/e/${SLUG}/programme/sessions/${ids.hostile}/calendar.ics`);
    const missing = await visitor.open(`/e/${SLUG}/programme/sessions/${ids.amphi}`);
    expect(missing.status).toBe(404);
  });

  it('imports confirmed contributions and starts the automatic scheduler from the editor', async () => {
    const imported = await owner.submit(EDITOR, `${EDITOR}/import`);
    expect(imported.status).toBe(303);
    expect(flashIn(imported)).toMatchObject({ key: 'programme.flash.imported' });
    const started = await owner.submit(EDITOR, `${EDITOR}/scheduling-runs`, { mode: 'reoptimise' });
    expect(started.status).toBe(303);
    const page = await owner.open(EDITOR);
    expect(page.html).toContain('Dernier calcul : en attente, 0 %');
  });
  it('offers the next edition, cloned without rooms, to copy them in one click (rooms only, once)', async () => {
    const evening = await owner.json('post', `${BASE}/rooms`, {
      name: 'Salle du soir',
      capacity: 40,
      stepFree: false,
      accessNotes: 'Escalier <raide>',
      availability: [{ start: '2027-02-04T14:00', end: '2027-02-04T17:00' }],
    });
    expect(evening.status).toBe(201);
    const cloned = await owner.json('post', `/api/v1/editions/${SLUG}/clone`, {
      slug: 'brest-2028',
      hostCity: 'Brest',
      startsAt: '2028-03-09T09:00',
      endsAt: '2028-03-10T18:00',
    });
    expect(cloned.status).toBe(201);
    const next = '/admin/editions/brest-2028/programme';
    const rooms = async () =>
      (await owner.json('get', '/api/v1/editions/brest-2028/programme/rooms')).body as {
        name: string;
        capacity: number;
        stepFree: boolean;
        accessNotes: string;
        availability: { start: string; end: string }[];
      }[];
    expect(await rooms()).toEqual([]);
    const [{ title }] = await ds.query<{ title: string }[]>(
      'SELECT title FROM editions WHERE slug = $1',
      [SLUG],
    );
    const offer = await owner.open(next);
    expect(offer.html).toContain(`action="${next}/rooms/copy-previous"`);
    expect(offer.html).toContain(`Copier les salles de « ${title} »`);
    // The edition it came from has nothing to copy from.
    expect((await owner.open(EDITOR)).html).not.toContain('/rooms/copy-previous');

    const copied = await owner.submit(next, `${next}/rooms/copy-previous`);
    expect(copied.status).toBe(303);
    expect(flashIn(copied)).toMatchObject({ key: 'programme.flash.rooms_copied' });
    const after = await rooms();
    expect(after.map((r) => [r.name, r.capacity])).toEqual([
      ['Amphi', 200],
      ['Salle <B>', 30],
      ['Salle du soir', 40],
    ]);
    expect(after[2]).toMatchObject({
      stepFree: false,
      accessNotes: 'Escalier <raide>',
      // Same local hours, moved to the new edition's first day.
      availability: [{ start: '2028-03-09T13:00:00.000Z', end: '2028-03-09T16:00:00.000Z' }],
    });
    const sessions = await owner.json('get', '/api/v1/editions/brest-2028/programme/sessions');
    expect((sessions.body as { sessions: unknown[] }).sessions).toEqual([]);

    // Once copied, the offer goes; asking again copies nothing.
    expect((await owner.open(next)).html).not.toContain('/rooms/copy-previous');
    const again = await owner.json(
      'post',
      '/api/v1/editions/brest-2028/programme/rooms/copy-previous',
    );
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ copied: 0, from: SLUG });
    expect(await rooms()).toHaveLength(3);
  });
});
