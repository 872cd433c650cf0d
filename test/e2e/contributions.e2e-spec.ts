import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

describe('Call for contributions', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;

  const as = (account: CreatedAccount) => loginJson(api, account.email, DEFAULT_PASSWORD);

  /** An announced edition in Paris time with its owner, and a reviewer who may not edit. */
  const announcedEdition = (slug = 'lille-2027') =>
    createEdition(ds, {
      slug,
      status: EditionStatus.Announced,
      startsAt: new Date('2027-03-10T08:00:00Z'),
      endsAt: new Date('2027-03-11T17:00:00Z'),
      members: { owner: {}, reviewer: {} },
    });

  const putCall = {
    closesAt: '2027-01-15T23:59',
    introduction: 'Venez raconter.',
    opensAt: '2026-10-01T09:00',
  };

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

  describe('the call', () => {
    it('is created by an organiser with the four default formats, then public', async () => {
      const { members } = await announcedEdition();
      const owner = members.owner as CreatedAccount;

      const put = await (await as(owner)).json('put', '/api/v1/editions/lille-2027/call', putCall);
      expect(put.status).toBe(200);

      const res = await newBrowser(api).json('get', '/api/v1/editions/lille-2027/call');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        edition: 'lille-2027',
        introduction: 'Venez raconter.',
        opensAt: '2026-10-01T07:00:00.000Z', // local time in Europe/Paris (summer time)
        closesAt: '2027-01-15T22:59:00.000Z',
        themes: [],
      });
      expect(
        (res.body as { formats: Record<string, unknown>[] }).formats.map((f) => [
          f.key,
          f.defaultDurationMinutes,
          f.minSpeakers,
          f.maxSpeakers,
        ]),
      ).toEqual([
        ['atelier', 90, 1, 4],
        ['table-ronde', 60, 3, 6],
        ['temoignage', 20, 1, 2],
        ['conference', 45, 1, 2],
      ]);
      const audit = await ds.query<{ action: string }[]>(
        `SELECT action FROM audit_events WHERE subject_type = 'call'`,
      );
      expect(audit).toEqual([{ action: 'create' }]);
    });

    it('changes its dates without duplicating the formats', async () => {
      const { members } = await announcedEdition();
      const owner = await as(members.owner as CreatedAccount);
      await owner.json('put', '/api/v1/editions/lille-2027/call', putCall);
      const res = await owner.json('put', '/api/v1/editions/lille-2027/call', {
        ...putCall,
        closesAt: '2027-01-31T23:59',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ closesAt: '2027-01-31T22:59:00.000Z' });
      expect((res.body as { formats: unknown[] }).formats).toHaveLength(4);
    });

    it('refuses a call that closes before it opens, naming the field', async () => {
      const { members } = await announcedEdition();
      const res = await (
        await as(members.owner as CreatedAccount)
      ).json('put', '/api/v1/editions/lille-2027/call', {
        ...putCall,
        closesAt: '2026-09-01T09:00',
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'call.invalid_dates' });
      expect(JSON.stringify(res.body)).toContain('closesAt');
    });

    it('is not editable by a reviewer (403)', async () => {
      const { members } = await announcedEdition();
      const res = await (
        await as(members.reviewer as CreatedAccount)
      ).json('put', '/api/v1/editions/lille-2027/call', putCall);
      expect(res.status).toBe(403);
    });

    it('answers 404 call.not_found when the edition has no call, and hides drafts', async () => {
      await announcedEdition();
      await createEdition(ds, { slug: 'draft-2028' });
      const anonymous = newBrowser(api);
      const none = await anonymous.json('get', '/api/v1/editions/lille-2027/call');
      expect(none.status).toBe(404);
      expect(none.body).toMatchObject({ code: 'call.not_found' });
      expect((await anonymous.json('get', '/api/v1/editions/draft-2028/call')).status).toBe(404);
    });

    it('travels to a cloned edition: formats and themes copied, dates shifted by the same offset', async () => {
      const { edition, members } = await announcedEdition();
      const owner = await as(members.owner as CreatedAccount);
      await owner.json('put', '/api/v1/editions/lille-2027/call', putCall);
      await ds.query(
        `INSERT INTO call_themes (edition_id, name_fr, name_en, position)
         VALUES ($1, 'Ruralité', 'Rural areas', 0)`,
        [edition.id],
      );

      const clone = await owner.json('post', '/api/v1/editions/lille-2027/clone', {
        endsAt: '2028-03-09T18:00',
        hostCity: 'Nantes',
        slug: 'nantes-2028',
        startsAt: '2028-03-08T09:00', // 364 days after 2027-03-10T09:00 Paris time
      });
      expect(clone.status).toBe(201);
      await ds.query(`UPDATE editions SET status = 'announced' WHERE slug = 'nantes-2028'`);

      const res = await newBrowser(api).json('get', '/api/v1/editions/nantes-2028/call');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        opensAt: new Date(Date.parse('2026-10-01T07:00:00Z') + 364 * 86_400_000).toISOString(),
        closesAt: new Date(Date.parse('2027-01-15T22:59:00Z') + 364 * 86_400_000).toISOString(),
        introduction: 'Venez raconter.',
        themes: [expect.objectContaining({ nameFr: 'Ruralité', nameEn: 'Rural areas' })],
      });
      expect((res.body as { formats: unknown[] }).formats).toHaveLength(4);
    });
  });
});
