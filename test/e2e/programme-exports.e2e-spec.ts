import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { validateXML } from 'xmllint-wasm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

/** Copies of voc/schedule's schemas (EUPL-1.2), see test/fixtures/frab/README.md. */
const FIXTURES = join(__dirname, '../fixtures/frab');
const XSD = readFileSync(join(FIXTURES, 'frab-schedule.xml.xsd'), 'utf8');
const JSON_SCHEMA = JSON.parse(readFileSync(join(FIXTURES, 'frab-schedule.schema.json'), 'utf8'));

const SLUG = 'lyon-2027';
const BASE = `/api/v1/editions/${SLUG}/programme`;
const HOSTILE = '<script>alert("x")</script> & ]]> Débat ; virgule, antislash \\ fin\u0001';
const LONG = `Tiers-lieux, fablabs et coworkings : ${'une très longue histoire '.repeat(5)}`;

/** The lines of an iCalendar text, unfolded (RFC 5545 §3.1). */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n');
}

describe('Programme exports', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;
  let owner: Browser;
  let visitor: Browser;
  const ids: Record<string, string> = {};

  async function post(path: string, body: object) {
    const res = await owner.json('post', `${BASE}${path}`, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string; version: number };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { TRUST_PROXY: 'true' });
    api = await startApi(config);
    ds = api.app.get(DataSource);
    const { edition, members } = await createEdition(ds, {
      slug: SLUG,
      title: `Assises 2027 <b>&</b>`,
      status: EditionStatus.Announced,
      startsAt: new Date('2027-02-04T08:00:00Z'),
      endsAt: new Date('2027-02-05T17:00:00Z'),
      members: { owner: {} },
    });
    owner = await loginJson(api, (members.owner as CreatedAccount).email, DEFAULT_PASSWORD);
    visitor = newBrowser(api);
    const [{ id: themeId }] = await ds.query<{ id: string }[]>(
      `INSERT INTO call_themes (edition_id, name_fr, name_en) VALUES ($1, 'Ruralité & "territoires"', 'Rural') RETURNING id`,
      [edition.id],
    );
    ids.amphi = (await post('/rooms', { name: 'Amphi <A> & "co"', capacity: 200 })).id;
    ids.salle = (await post('/rooms', { name: 'Salle B', capacity: 30 })).id;
    const hostile = await post('/sessions', {
      title: HOSTILE,
      abstract: `Ligne 1\nLigne 2 <i>${HOSTILE}</i>`,
      kind: 'workshop',
      durationMinutes: 90,
      themeId,
      speakers: [
        { name: 'Zoé <img src=x onerror=alert(1)>', email: 'zoe@example.org', bio: 'Bio & co' },
      ],
    });
    ids.hostile = hostile.id;
    const long = await post('/sessions', { title: LONG, kind: 'talk', durationMinutes: 45 });
    ids.long = long.id;
    for (const [session, room, start] of [
      [hostile, ids.amphi, '2027-02-04T10:00'],
      [long, ids.salle, '2027-02-05T14:15'],
    ] as const) {
      const res = await owner.json('put', `${BASE}/sessions/${session.id}/placement`, {
        roomId: room,
        startsAt: start,
        version: session.version,
      });
      expect(res.status).toBe(200);
    }
    await post('/versions', { name: 'v1' });
  });

  afterAll(async () => {
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  describe('frab schedule.xml', () => {
    it('validates against the frab XSD with hostile text escaped', async () => {
      const res = await visitor.get(`/e/${SLUG}/programme/schedule.xml`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      const xml = res.text;
      const result = await validateXML({
        xml: [{ fileName: 'schedule.xml', contents: xml }],
        schema: [XSD],
      });
      expect(result.errors).toEqual([]);
      expect(result.valid).toBe(true);
      expect(xml).not.toContain('<script>');
      expect(xml).not.toContain('<img');
      expect(xml).toContain('&lt;script&gt;alert("x")&lt;/script&gt; &amp; ]]&gt; Débat');
      expect(xml).not.toContain('\u0001');
      expect(xml).toContain('<time_zone_name>Europe/Paris</time_zone_name>');
      expect(xml).toContain('<date>2027-02-04T10:00:00+01:00</date>');
      expect(xml).toContain('<start>10:00</start>');
      expect(xml).toContain('<duration>01:30</duration>');
      expect(xml).toContain(`guid="${ids.hostile}"`);
      expect(xml).toContain('<acronym>lyon_2027</acronym>');
    });

    it('answers 304 to a matching If-None-Match', async () => {
      const first = await visitor.get(`/e/${SLUG}/programme/schedule.xml`);
      const again = await visitor
        .get(`/e/${SLUG}/programme/schedule.xml`)
        .set('If-None-Match', first.headers.etag);
      expect(again.status).toBe(304);
    });
  });

  describe('frab schedule.json', () => {
    it('validates against the frab JSON schema with the text kept as text', async () => {
      const res = await visitor.get(`/e/${SLUG}/programme/schedule.json`);
      expect(res.status).toBe(200);
      const ajv = new Ajv({ strict: false, allErrors: true });
      ajv.addMetaSchema(draft6);
      addFormats(ajv);
      ajv.addFormat('color', /^#[0-9a-f]{6}$/i);
      const validate = ajv.compile(JSON_SCHEMA);
      const body = JSON.parse(res.text);
      expect(validate(body) ? [] : validate.errors).toEqual([]);
      const day1 = body.schedule.conference.days[0];
      const [event] = day1.rooms['Amphi <A> & "co"'];
      expect(event).toMatchObject({
        guid: ids.hostile,
        title: HOSTILE.replace('\u0001', ''),
        date: '2027-02-04T10:00:00+01:00',
        end: '2027-02-04T11:30:00+01:00',
        duration: '01:30',
        track: 'Ruralité & "territoires"',
        persons: [{ name: 'Zoé <img src=x onerror=alert(1)>', biography: 'Bio & co' }],
      });
      expect(res.text).not.toContain('zoe@example.org');
    });
  });

  describe('iCal', () => {
    it('gives the whole programme with its time zone, escaped text and folded lines', async () => {
      const res = await visitor.get(`/e/${SLUG}/programme/calendar.ics`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/calendar/);
      const ics = res.text;
      expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
      for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
      const lines = unfold(ics);
      expect(lines).toContain('BEGIN:VTIMEZONE');
      expect(lines).toContain('TZID:Europe/Paris');
      expect(lines).toContain('TZOFFSETTO:+0200');
      expect(lines).toContain('DTSTART;TZID=Europe/Paris:20270204T100000');
      expect(lines).toContain('DTEND;TZID=Europe/Paris:20270204T113000');
      expect(lines).toContain('DTSTART;TZID=Europe/Paris:20270205T141500');
      expect(lines).toContain(
        'SUMMARY:<script>alert("x")</script> & ]]> Débat \\; virgule\\, antislash \\\\ fin',
      );
      expect(lines).toContain(`SUMMARY:${LONG.trim().replace(/,/g, '\\,')}`);
      expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
      expect(ics).not.toContain('\u0001');
    });

    it('gives one session for "add to my calendar", and 404 for an unknown one', async () => {
      const res = await visitor.get(`/e/${SLUG}/programme/sessions/${ids.long}/calendar.ics`);
      expect(res.status).toBe(200);
      const lines = unfold(res.text);
      expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
      expect(lines).toContain('DTSTART;TZID=Europe/Paris:20270205T141500');
      const unknown = await visitor.get(
        `/e/${SLUG}/programme/sessions/00000000-0000-4000-8000-000000000000/calendar.ics`,
      );
      expect(unknown.status).toBe(404);
    });
  });

  describe('embeddable view', () => {
    it('may be framed by any site, opens its links in the parent page, and escapes hostile text', async () => {
      const res = await visitor.get(`/e/${SLUG}/programme/embed`);
      expect(res.status).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain('frame-ancestors *');
      expect(csp).toContain("script-src 'self'");
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const html = res.text;
      expect(html).toContain('<base target="_top">');
      expect(html).toContain(
        `<a href="/e/${SLUG}/programme/sessions/${ids.hostile}" target="_top">`,
      );
      expect(html).not.toContain('<script>alert');
      expect(html).toContain('&lt;script&gt;alert');
      // No site navigation in the frame.
      expect(html).not.toContain('/admin/login');
    });

    it('leaves every other page unframeable', async () => {
      for (const path of [
        `/e/${SLUG}/programme`,
        `/e/${SLUG}/programme/embed/../sessions/${ids.long}`,
      ]) {
        const res = await visitor.get(path);
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
      }
    });
  });

  it('follows each published version', async () => {
    const before = await visitor.get(`/e/${SLUG}/programme/schedule.xml`);
    const current = await owner.json('get', `${BASE}/sessions/${ids.long}`);
    const moved = await owner.json('put', `${BASE}/sessions/${ids.long}/placement`, {
      roomId: ids.amphi,
      startsAt: '2027-02-05T09:00',
      version: (current.body as { version: number }).version,
    });
    expect(moved.status).toBe(200);
    await post('/versions', { name: 'v2' });
    const after = await visitor
      .get(`/e/${SLUG}/programme/schedule.xml`)
      .set('If-None-Match', before.headers.etag);
    expect(after.status).toBe(200);
    expect(after.text).toContain('<version>2 v2</version>');
    expect(after.text).toContain('<date>2027-02-05T09:00:00+01:00</date>');
    const ics = unfold((await visitor.get(`/e/${SLUG}/programme/calendar.ics`)).text);
    expect(ics).toContain('DTSTART;TZID=Europe/Paris:20270205T090000');
    expect(ics).toContain('SEQUENCE:2');
  });
});
