import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { MailTemplates } from '@assises/mail';
import { RegistrationService } from '@assises/registration';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, flashIn, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

const DAY = 86_400_000;
const SLUG = 'nantes-2027';
const PROGRAMME = `/api/v1/editions/${SLUG}/programme`;

interface Outcome {
  id: string;
  status: string;
  position?: number;
}

interface Workshop {
  sessionId: string;
  status: string;
  position?: number;
}

/**
 * Interest marks feed the programme's demand; workshop sign-ups take seats decided in the
 * database, with a waiting list per workshop, promotion on leave and on cancellation, and no
 * two workshops at the same time.
 */
describe('Workshops', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;
  let owner: Browser;
  let people = 0;

  const tokenOf = (id: string) => api.app.get(RegistrationService).manageToken(id);
  const as = (
    browser: Browser,
    method: 'get' | 'put' | 'post' | 'delete',
    path: string,
    id: string,
    body?: object,
  ) => browser.json(method, path, body).set('Authorization', `Bearer ${tokenOf(id)}`);

  /** A registration-open edition in Paris time, 4–5 February 2027, with 100 seats. */
  async function openEdition() {
    const created = await createEdition(ds, {
      slug: SLUG,
      status: EditionStatus.RegistrationOpen,
      startsAt: new Date('2027-02-04T08:00:00Z'),
      endsAt: new Date('2027-02-05T17:00:00Z'),
      capacity: 100,
      members: { owner: {} },
    });
    owner = await loginJson(api, (created.members.owner as CreatedAccount).email, DEFAULT_PASSWORD);
    const res = await owner.json('put', `/api/v1/editions/${SLUG}/registration`, {
      opensAt: new Date(Date.now() - DAY).toISOString(),
      closesAt: new Date(Date.now() + 20 * DAY).toISOString(),
    });
    if (res.status !== 200) throw new Error(`settings: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** `count` confirmed registrations, each registered from its own address. */
  async function registrations(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      people += 1;
      const res = await newBrowser(api).json('post', `/api/v1/editions/${SLUG}/registrations`, {
        name: `Personne ${people}`,
        email: `atelier-${people}@example.org`,
        stakeholderType: 'coworking_operator',
        territoryType: 'rural',
        privacyConsent: true,
      });
      expect(res.status).toBe(201);
      expect((res.body as Outcome).status).toBe('confirmed');
      ids.push((res.body as Outcome).id);
    }
    return ids;
  }

  async function room(name: string, capacity: number) {
    const res = await owner.json('post', `${PROGRAMME}/rooms`, { name, capacity });
    expect(res.status).toBe(201);
    return res.body as { id: string };
  }

  /** A session placed in `roomId` at `startsAt` (local time). */
  async function session(title: string, roomId: string, startsAt: string, extra: object = {}) {
    const created = await owner.json('post', `${PROGRAMME}/sessions`, {
      title,
      kind: 'workshop',
      durationMinutes: 90,
      ...extra,
    });
    expect(created.status).toBe(201);
    const body = created.body as { id: string; version: number };
    const placed = await owner.json('put', `${PROGRAMME}/sessions/${body.id}/placement`, {
      roomId,
      startsAt,
      version: body.version,
    });
    expect(placed.status).toBe(200);
    return body;
  }

  const publish = async () => {
    const res = await owner.json('post', `${PROGRAMME}/versions`, { name: 'Version 1' });
    expect(res.status).toBe(201);
  };

  const signUp = (id: string, sessionId: string) =>
    as(newBrowser(api), 'post', `/api/v1/registrations/${id}/workshops/${sessionId}`, id);

  const signups = async (sessionId: string) =>
    ds.query<{ registration_id: string; state: string }[]>(
      'SELECT registration_id, state FROM workshop_signups WHERE session_id = $1 ORDER BY seq',
      [sessionId],
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

  describe('interest marks', () => {
    it('feed the programme’s demand: marks above a room’s capacity are a conflict, a cancelled registration’s marks no longer count', async () => {
      await openEdition();
      const small = await room('Petite salle', 2);
      const s = await session('Tiers-lieux ruraux', small.id, '2027-02-04T10:00', { kind: 'talk' });
      const other = await session('Autre', small.id, '2027-02-04T14:00', { kind: 'talk' });
      expect((await owner.json('get', `${PROGRAMME}/conflicts`)).body).toEqual([]);

      const ids = await registrations(3);
      for (const id of ids) {
        const res = await as(newBrowser(api), 'put', `/api/v1/registrations/${id}/interests`, id, {
          sessionIds: [s.id],
        });
        expect(res.status).toBe(200);
        const marked = (res.body as { sessions: { id: string; marked: boolean }[] }).sessions;
        expect(marked.find((m) => m.id === s.id)?.marked).toBe(true);
        expect(marked.find((m) => m.id === other.id)?.marked).toBe(false);
      }
      const conflicts = await owner.json('get', `${PROGRAMME}/conflicts`);
      expect(conflicts.body).toEqual([
        { code: 'over_capacity', sessionIds: [s.id], roomId: small.id, amount: 1 },
      ]);

      const cancelled = await as(
        newBrowser(api),
        'delete',
        `/api/v1/registrations/${ids[0]}`,
        ids[0],
      );
      expect(cancelled.status).toBe(204);
      expect((await owner.json('get', `${PROGRAMME}/conflicts`)).body).toEqual([]);
    });

    it('refuses unknown sessions and a wrong token, storing nothing; the manage page form saves marks', async () => {
      await openEdition();
      const r = await room('Salle', 50);
      const s = await session('Atelier', r.id, '2027-02-04T10:00');
      const [id] = await registrations(1);
      const bad = await as(newBrowser(api), 'put', `/api/v1/registrations/${id}/interests`, id, {
        sessionIds: [s.id, '00000000-0000-4000-8000-000000000000'],
      });
      expect(bad.status).toBe(422);
      expect(bad.body).toMatchObject({ code: 'registration.invalid_interests' });
      const junk = await as(newBrowser(api), 'put', `/api/v1/registrations/${id}/interests`, id, {
        sessionIds: 'nope',
      });
      expect(junk.status).toBe(422);
      const wrong = await newBrowser(api)
        .json('put', `/api/v1/registrations/${id}/interests`, { sessionIds: [s.id] })
        .set('Authorization', 'Bearer nope');
      expect(wrong.status).toBe(404);
      expect(await ds.query('SELECT * FROM session_interests')).toEqual([]);

      const browser = newBrowser(api);
      const url = `/registrations/${id}?token=${tokenOf(id)}`;
      const page = await browser.open(url);
      expect(page.status).toBe(200);
      expect(page.html).toContain(`name="sessionIds" value="${s.id}"`);
      const saved = await browser.post(
        `/registrations/${id}/interests?token=${tokenOf(id)}`,
        { sessionIds: s.id },
        page.csrf,
      );
      expect(saved.status).toBe(303);
      expect(flashIn(saved)).toMatchObject({
        kind: 'success',
        key: 'workshops.flash.interests_saved',
      });
      expect(await ds.query('SELECT session_id FROM session_interests')).toEqual([
        { session_id: s.id },
      ]);
    });
  });

  describe('workshop sign-ups', () => {
    it('seats exactly 10 of 30 parallel sign-ups, queues 20 in order; a leave and a cancellation each promote exactly one', async () => {
      await openEdition();
      const salle = await room('Salle des ateliers', 50);
      const w = await session('Animer une communauté', salle.id, '2027-02-04T10:00', {
        capacity: 10,
      });
      await publish();
      const ids = await registrations(30);

      const results = await Promise.all(ids.map((id) => signUp(id, w.id)));
      expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
      const outcomes = results.map((r) => r.body as Workshop);
      expect(outcomes.filter((o) => o.status === 'confirmed')).toHaveLength(10);
      const waiting = outcomes.filter((o) => o.status === 'waiting');
      expect(waiting.map((o) => o.position).sort((a, b) => a! - b!)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      const rows = await signups(w.id);
      expect(rows.filter((row) => row.state === 'confirmed')).toHaveLength(10);
      // The positions answered are the order of the waiting list.
      const queue = rows.filter((row) => row.state === 'waiting').map((row) => row.registration_id);
      for (const [i, registrationId] of queue.entries())
        expect(outcomes[ids.indexOf(registrationId)].position).toBe(i + 1);
      expect(
        await ds.query('SELECT capacity, seats_left FROM workshop_seats WHERE session_id = $1', [
          w.id,
        ]),
      ).toEqual([{ capacity: 10, seats_left: 0 }]);

      // Signing up again answers the same place.
      const again = await signUp(queue[0], w.id);
      expect(again.body).toEqual({ sessionId: w.id, status: 'waiting', position: 1 });

      // A seated attendee leaves: the first waiting is promoted, and only them.
      const seated = rows.find((row) => row.state === 'confirmed')!.registration_id;
      const left = await as(
        newBrowser(api),
        'delete',
        `/api/v1/registrations/${seated}/workshops/${w.id}`,
        seated,
      );
      expect(left.status).toBe(204);
      let now = await signups(w.id);
      expect(now.filter((row) => row.state === 'confirmed')).toHaveLength(10);
      expect(now.find((row) => row.registration_id === queue[0])?.state).toBe('confirmed');
      expect(
        now.filter((row) => row.state === 'waiting').map((row) => row.registration_id),
      ).toEqual(queue.slice(1));
      const promoted = await ds.query<{ to_address: string; purpose: string }[]>(
        `SELECT purpose FROM outbox_messages WHERE template = 'workshop-promoted'`,
      );
      expect(promoted).toHaveLength(1);

      // A seated attendee cancels their registration: their workshop seat goes to the next one.
      const canceller = now.find(
        (row) => row.state === 'confirmed' && row.registration_id !== queue[0],
      )!.registration_id;
      const cancelled = await as(
        newBrowser(api),
        'delete',
        `/api/v1/registrations/${canceller}`,
        canceller,
      );
      expect(cancelled.status).toBe(204);
      now = await signups(w.id);
      expect(now.some((row) => row.registration_id === canceller)).toBe(false);
      expect(now.filter((row) => row.state === 'confirmed')).toHaveLength(10);
      expect(now.find((row) => row.registration_id === queue[1])?.state).toBe('confirmed');
      expect(now.filter((row) => row.state === 'waiting')).toHaveLength(18);
      expect(
        await ds.query(
          `SELECT count(*)::int AS n FROM outbox_messages WHERE template = 'workshop-promoted'`,
        ),
      ).toEqual([{ n: 2 }]);

      // The waiting list of the workshop, as the attendee sees it.
      const list = await as(
        newBrowser(api),
        'get',
        `/api/v1/registrations/${queue[2]}/workshops`,
        queue[2],
      );
      expect(list.body).toMatchObject({
        workshops: [{ id: w.id, capacity: 10, seatsLeft: 0, status: 'waiting', position: 1 }],
      });
    });

    it('refuses two workshops at the same time (409 workshop.clash), unknown workshops and other sessions', async () => {
      await openEdition();
      const a = await room('Salle A', 20);
      const b = await room('Salle B', 20);
      const first = await session('Premier atelier', a.id, '2027-02-04T10:00');
      const overlapping = await session('Atelier en même temps', b.id, '2027-02-04T11:00');
      const later = await session('Atelier plus tard', b.id, '2027-02-04T14:00');
      const talk = await session('Conférence', a.id, '2027-02-04T14:00', { kind: 'talk' });
      const [id] = await registrations(1);

      const unpublished = await signUp(id, first.id);
      expect(unpublished.status).toBe(404);
      expect(unpublished.body).toMatchObject({ code: 'workshop.not_found' });
      await publish();

      expect((await signUp(id, first.id)).body).toEqual({
        sessionId: first.id,
        status: 'confirmed',
      });
      const clash = await signUp(id, overlapping.id);
      expect(clash.status).toBe(409);
      expect(clash.body).toMatchObject({ code: 'workshop.clash' });
      expect((clash.body as { message: string }).message).toContain('Premier atelier');
      expect((await signUp(id, later.id)).status).toBe(200);
      expect((await signUp(id, talk.id)).status).toBe(404);
      const wrong = await newBrowser(api)
        .json('post', `/api/v1/registrations/${id}/workshops/${later.id}`)
        .set('Authorization', 'Bearer nope');
      expect(wrong.status).toBe(404);
      expect(await signups(overlapping.id)).toEqual([]);

      // Leaving the first frees the slot for the other.
      const browser = newBrowser(api);
      const page = await browser.open(`/registrations/${id}?token=${tokenOf(id)}`);
      expect(page.html).toContain('Atelier en même temps');
      const leave = await browser.post(
        `/registrations/${id}/workshops/${first.id}/leave?token=${tokenOf(id)}`,
        {},
        page.csrf,
      );
      expect(leave.status).toBe(303);
      expect(flashIn(leave)).toMatchObject({ kind: 'success', key: 'workshops.flash.left' });
      const joined = await browser.post(
        `/registrations/${id}/workshops/${overlapping.id}?token=${tokenOf(id)}`,
        {},
        page.csrf,
      );
      expect(flashIn(joined)).toMatchObject({ kind: 'success', key: 'workshops.flash.confirmed' });
      const refused = await browser.post(
        `/registrations/${id}/workshops/${first.id}?token=${tokenOf(id)}`,
        {},
        page.csrf,
      );
      expect(flashIn(refused)).toMatchObject({
        kind: 'error',
        key: 'workshops.error.workshop_clash',
      });
      const after = await browser.open(`/registrations/${id}?token=${tokenOf(id)}`);
      expect(after.html).toContain('Vous êtes inscrit·e.');

      // A cancelled registration gives its seats back and can no longer sign up.
      const cancelled = await as(newBrowser(api), 'delete', `/api/v1/registrations/${id}`, id);
      expect(cancelled.status).toBe(204);
      expect(
        await ds.query('SELECT seats_left FROM workshop_seats ORDER BY seats_left', []),
      ).toEqual([{ seats_left: 20 }, { seats_left: 20 }, { seats_left: 20 }]);
      const refusedAfter = await signUp(id, first.id);
      expect(refusedAfter.status).toBe(409);
      expect(refusedAfter.body).toMatchObject({ code: 'workshop.registration_not_confirmed' });
    });
  });
  describe('when a new programme version is published', () => {
    const publishAs = async (name: string) => {
      const res = await owner.json('post', `${PROGRAMME}/versions`, { name });
      expect(res.status).toBe(201);
    };
    const current = async (id: string) =>
      ((await owner.json('get', `${PROGRAMME}/sessions/${id}`)).body as { version: number })
        .version;
    const emailOf = async (id: string) =>
      (
        await ds.query<{ email: string }[]>('SELECT email FROM registrations WHERE id = $1', [id])
      )[0].email;
    const changedMails = () =>
      ds.query<{ recipient: string; purpose: string; data: { workshops: object[] } }[]>(
        `SELECT recipient, purpose, data FROM outbox_messages WHERE template = 'workshops-changed'
          ORDER BY recipient`,
      );

    it('tells each attendee of a moved or cancelled workshop once, in one email listing them', async () => {
      await openEdition();
      const a = await room('Salle A', 20);
      const b = await room('Salle B', 20);
      const moving = await session('Atelier <b>déplacé</b>', a.id, '2027-02-04T10:00');
      const going = await session('Atelier annulé', b.id, '2027-02-04T14:00');
      const staying = await session('Atelier qui reste', a.id, '2027-02-04T16:00');
      const [both, one, other] = await registrations(3);
      await publish();
      for (const [id, sessionId] of [
        [both, moving.id],
        [both, going.id],
        [one, moving.id],
        [other, staying.id],
      ])
        expect((await signUp(id, sessionId)).status).toBe(200);

      const placed = await owner.json('put', `${PROGRAMME}/sessions/${moving.id}/placement`, {
        roomId: b.id,
        startsAt: '2027-02-05T09:00',
        version: await current(moving.id),
      });
      expect(placed.status).toBe(200);
      expect((await owner.json('delete', `${PROGRAMME}/sessions/${going.id}`)).status).toBe(204);
      await publishAs('Version 2');

      const edition = (await ds.query<{ id: string }[]>('SELECT id FROM editions'))[0].id;
      const mails = await changedMails();
      expect(mails.map((m) => [m.recipient, m.purpose])).toEqual([
        [await emailOf(both), `workshops-changed:${edition}:v2`],
        [await emailOf(one), `workshops-changed:${edition}:v2`],
      ]);
      expect(mails[0].data.workshops).toEqual([
        expect.objectContaining({
          title: 'Atelier <b>déplacé</b>',
          cancelled: false,
          room: 'Salle B',
          after: expect.stringContaining('09:00') as unknown,
        }),
        expect.objectContaining({ title: 'Atelier annulé', cancelled: true }),
      ]);
      expect(mails[1].data.workshops).toHaveLength(1);
      const rendered = new MailTemplates().render('workshops-changed', 'fr', mails[0].data, {
        publicUrl: config.publicUrl,
        unsubscribeUrl: null,
      });
      expect(rendered.html).toContain('Atelier &lt;b&gt;déplacé&lt;/b&gt;');
      expect(rendered.text).toContain('annulé');

      // A version that changes nothing for them sends nothing more.
      await publishAs('Version 3');
      expect(await changedMails()).toHaveLength(2);
      // A cancelled workshop no longer takes the attendee's time.
      const late = await session('Atelier au même horaire', a.id, '2027-02-04T14:00');
      await publishAs('Version 4');
      expect((await signUp(both, late.id)).status).toBe(200);
    });

    it('resizes workshop seats to the new capacity: seats people waiting in order, once; never unseats anyone', async () => {
      await openEdition();
      const a = await room('Salle A', 20);
      const w = await session('Atelier', a.id, '2027-02-04T10:00', { capacity: 2 });
      await publish();
      const ids = await registrations(6);
      for (const id of ids.slice(0, 5)) expect((await signUp(id, w.id)).status).toBe(200);
      const states = async () => (await signups(w.id)).map((row) => row.state);
      expect(await states()).toEqual(['confirmed', 'confirmed', 'waiting', 'waiting', 'waiting']);

      const raise = await owner.json('patch', `${PROGRAMME}/sessions/${w.id}`, {
        capacity: 4,
        version: await current(w.id),
      });
      expect(raise.status).toBe(200);
      await publishAs('Plus de places');
      expect((await signups(w.id)).map((row) => [row.registration_id, row.state])).toEqual([
        [ids[0], 'confirmed'],
        [ids[1], 'confirmed'],
        [ids[2], 'confirmed'],
        [ids[3], 'confirmed'],
        [ids[4], 'waiting'],
      ]);
      const promoted = () =>
        ds.query<{ recipient: string }[]>(
          `SELECT recipient FROM outbox_messages WHERE template = 'workshop-promoted' ORDER BY recipient`,
        );
      expect((await promoted()).map((m) => m.recipient)).toEqual([
        await emailOf(ids[2]),
        await emailOf(ids[3]),
      ]);
      await publishAs('Rien de neuf');
      expect(await promoted()).toHaveLength(2);

      const lower = await owner.json('patch', `${PROGRAMME}/sessions/${w.id}`, {
        capacity: 1,
        version: await current(w.id),
      });
      expect(lower.status).toBe(200);
      await publishAs('Moins de places');
      expect(await states()).toEqual([
        'confirmed',
        'confirmed',
        'confirmed',
        'confirmed',
        'waiting',
      ]);
      expect((await signUp(ids[5], w.id)).body).toMatchObject({ status: 'waiting', position: 2 });
      // A seated person leaving still leaves three seated for one seat: nobody is promoted.
      const left = await as(
        newBrowser(api),
        'delete',
        `/api/v1/registrations/${ids[0]}/workshops/${w.id}`,
        ids[0],
      );
      expect(left.status).toBe(204);
      expect(await states()).toEqual(['confirmed', 'confirmed', 'confirmed', 'waiting', 'waiting']);
      const [seats] = await ds.query<{ capacity: number; seats_left: number }[]>(
        'SELECT capacity, seats_left FROM workshop_seats WHERE session_id = $1',
        [w.id],
      );
      expect(seats).toEqual({ capacity: 1, seats_left: 0 });
    });
  });
  describe('personal agenda', () => {
    it('lists the plenaries and the attendee’s workshops in time order, as a page, JSON and iCal', async () => {
      await openEdition();
      const a = await room('Amphi', 100);
      const b = await room('Salle B', 20);
      const opening = await session('<b>Plénière</b> & ouverture', a.id, '2027-02-04T09:00', {
        kind: 'plenary',
        durationMinutes: 60,
      });
      const full = await session('Atelier complet', b.id, '2027-02-04T10:30', { capacity: 1 });
      const seated = await session('Atelier choisi', b.id, '2027-02-04T14:00');
      await session('Atelier non choisi', a.id, '2027-02-04T14:00');
      await session('Conférence', a.id, '2027-02-04T16:00', { kind: 'talk' });
      const [id, other] = await registrations(2);
      const agenda = () => as(newBrowser(api), 'get', `/api/v1/registrations/${id}/agenda`, id);

      expect((await agenda()).body).toEqual({ version: null, items: [] });
      await publish();
      expect((await signUp(other, full.id)).status).toBe(200);
      expect((await signUp(id, full.id)).body).toMatchObject({ status: 'waiting' });
      expect((await signUp(id, seated.id)).body).toMatchObject({ status: 'confirmed' });

      const json = await agenda();
      expect(json.status).toBe(200);
      expect(
        (json.body as { items: { id: string; place: string; roomName: string }[] }).items.map(
          (item) => [item.id, item.place, item.roomName],
        ),
      ).toEqual([
        [opening.id, 'everyone', 'Amphi'],
        [full.id, 'waiting', 'Salle B'],
        [seated.id, 'confirmed', 'Salle B'],
      ]);

      // The calendar holds where the attendee has a place: not the workshop they wait for.
      const ics = await as(newBrowser(api), 'get', `/api/v1/registrations/${id}/agenda.ics`, id);
      expect(ics.status).toBe(200);
      expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
      expect(ics.headers['content-disposition']).toContain('agenda.ics');
      const text = ics.text.replace(/\r\n[ \t]/g, '');
      expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(2);
      expect(text).toContain('SUMMARY:<b>Plénière</b> & ouverture');
      expect(text).toContain('SUMMARY:Atelier choisi');
      expect(text).toContain('DTSTART;TZID=Europe/Paris:20270204T140000');
      expect(text).not.toContain('Atelier complet');
      const wrong = await newBrowser(api)
        .json('get', `/api/v1/registrations/${id}/agenda`)
        .set('Authorization', 'Bearer nope');
      expect(wrong.status).toBe(404);

      // From the manage link, without JavaScript.
      const browser = newBrowser(api);
      const manage = await browser.open(`/registrations/${id}?token=${tokenOf(id)}`);
      const link = `/registrations/${id}/agenda?token=${tokenOf(id)}`;
      expect(manage.html).toContain(`href="${link}"`);
      const page = await browser.open(link);
      expect(page.status).toBe(200);
      expect(page.html).toContain('&lt;b&gt;Plénière&lt;/b&gt; &amp; ouverture');
      expect(page.html).not.toContain('<b>Plénière');
      const order = ['Plénière', 'Atelier complet', 'Atelier choisi'].map((t) =>
        page.html.indexOf(t),
      );
      expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]))).toBe(true);
      expect(page.html).toContain('liste d&#x27;attente');
      expect(page.html).not.toContain('Atelier non choisi');
      expect(page.html).toContain(`href="/registrations/${id}/agenda.ics?token=${tokenOf(id)}"`);
      const download = await browser.get(`/registrations/${id}/agenda.ics?token=${tokenOf(id)}`);
      expect(download.status).toBe(200);
      expect(download.text).toContain('BEGIN:VCALENDAR');
      expect((await browser.get(`/registrations/${id}/agenda?token=nope`)).status).toBe(404);
    });
  });
});
