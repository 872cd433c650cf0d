import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createAccount, createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { adminUrl } from '../harness/db-names';

const HOSTILE = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

/** The opening tag of the input named `name` in a page. */
function inputTag(html: string, name: string): string {
  const tag = new RegExp(`<input id="f-${name}"[^>]*>`).exec(html)?.[0];
  if (!tag) throw new Error(`no input ${name} in the page`);
  return tag;
}

describe('HTTP hygiene', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;

  /** Rows in every table, by table: what a refused request must leave as it was. */
  async function rowCounts(): Promise<Record<string, number>> {
    const tables = await ds.query<{ tablename: string }[]>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
    );
    const counts: Record<string, number> = {};
    for (const { tablename } of tables) {
      const [{ n }] = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${tablename}"`,
      );
      counts[tablename] = n;
    }
    return counts;
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { BODY_LIMIT: '2kb', TRUST_PROXY: 'true' });
    api = await startApi(config);
    ds = api.app.get(DataSource);
  });

  afterAll(async () => {
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  describe('refused request bodies', () => {
    let organiser: CreatedAccount;
    let browser: Browser;
    let before: Record<string, number>;

    beforeAll(async () => {
      organiser = await createAccount(ds);
      await createEdition(ds, { slug: 'lyon-2027', members: { organiser } });
      browser = await loginJson(api, organiser.email, DEFAULT_PASSWORD);
    });

    beforeEach(async () => {
      before = await rowCounts();
    });

    afterEach(async () => {
      expect(await rowCounts()).toEqual(before);
    });

    afterAll(async () => {
      await truncateAll(ds);
    });

    it('answers 400 request.malformed_json to a body that is not JSON', async () => {
      const res = await browser.agent
        .post('/api/v1/editions')
        .set('Content-Type', 'application/json')
        .send('{"slug": "lyon-2028", "title": ');

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'request.malformed_json' });
    });

    it('answers 422 with a message per field to unknown fields and wrong types', async () => {
      const res = await browser.json('post', '/api/v1/editions', {
        capacity: 'a lot',
        endsAt: '2028-02-04T18:00',
        hostCity: 'Rennes',
        isPlatformAdmin: true,
        slug: 'rennes-2028',
        startsAt: 42,
        title: 'Assises 2028',
      });

      expect(res.status).toBe(422);
      expect(res.body.code).toBe('validation.failed');
      expect(Object.keys(res.body.fields).sort()).toEqual([
        'capacity',
        'isPlatformAdmin',
        'startsAt',
      ]);
      expect(res.body.fields.isPlatformAdmin).toEqual(['isPlatformAdmin is not an accepted field']);
      expect(res.body.fields.capacity).toContain('capacity must be an integer number');
      expect(res.body.fields.startsAt.join(' ')).toMatch(/startsAt must be/);
    });

    it('answers 422 to an unknown field on an update, changing nothing', async () => {
      const res = await browser.json('patch', '/api/v1/editions/lyon-2027', {
        capacity: 10,
        status: 'archived',
      });

      expect(res.status).toBe(422);
      expect(res.body.fields).toEqual({ status: ['status is not an accepted field'] });
      const [{ capacity, status }] = await ds.query<{ capacity: number; status: string }[]>(
        `SELECT capacity, status FROM editions WHERE slug = 'lyon-2027'`,
      );
      expect({ capacity, status }).toEqual({ capacity: 300, status: 'draft' });
    });

    it('answers 413 request.too_large to a JSON body over BODY_LIMIT', async () => {
      const res = await browser.json('post', '/api/v1/editions', {
        capacity: 100,
        description: 'x'.repeat(4_000),
        endsAt: '2028-02-04T18:00',
        hostCity: 'Rennes',
        slug: 'rennes-2028',
        startsAt: '2028-02-03T09:00',
        title: 'Assises 2028',
      });

      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'request.too_large' });
    });

    it('answers 413 to a page form over BODY_LIMIT', async () => {
      const page = newBrowser(api);
      const res = await page.submit('/admin/login', '/admin/login', {
        email: organiser.email,
        password: 'x'.repeat(4_000),
      });

      expect(res.status).toBe(413);
      expect(res.text).toContain('Envoi trop volumineux.');
    });

    it('answers 415 to a body that is not JSON on the API, forms included', async () => {
      const text = await browser.agent
        .post('/api/v1/editions')
        .set('Content-Type', 'text/plain')
        .send('slug=rennes-2028');
      const form = await browser.agent
        .post('/api/v1/auth/login')
        .type('form')
        .send(`email=${encodeURIComponent(organiser.email)}&password=${DEFAULT_PASSWORD}`);

      expect(text.status).toBe(415);
      expect(text.body.code).toBe('request.unsupported_media_type');
      expect(form.status).toBe(415);
      expect(form.body.code).toBe('request.unsupported_media_type');
    });
  });

  describe('headers, health and API description', () => {
    it('sends the helmet headers: a CSP that keeps forms on the site, nosniff, no framing', async () => {
      const res = await newBrowser(api).get('/');

      expect(res.status).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
      // Over plain http there is no HSTS to send.
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('sends them on the JSON API too', async () => {
      const res = await newBrowser(api).json('get', '/api/v1/editions');

      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('reports the database and Redis up on GET /health', async () => {
      const res = await newBrowser(api).json('get', '/health');

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    });

    it('describes the API in an OpenAPI document that lists /api/v1/editions', async () => {
      const res = await newBrowser(api).json('get', '/api/docs-json');

      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.info.title).toBe('Assises API');
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/editions', '/api/v1/editions/{slug}']),
      );
      expect(res.body.paths['/api/v1/editions']).toHaveProperty('get');
      expect(res.body.paths['/api/v1/editions']).toHaveProperty('post');
      // Pages are not part of the API.
      expect(Object.keys(res.body.paths).filter((p) => p.startsWith('/admin'))).toEqual([]);
    });
  });

  describe('hostile text', () => {
    let admin: CreatedAccount;

    beforeAll(async () => {
      admin = await createAccount(ds, { name: HOSTILE, isPlatformAdmin: true });
      await createEdition(ds, {
        slug: 'hostile-2027',
        title: HOSTILE,
        hostCity: HOSTILE,
        status: EditionStatus.Announced,
        members: { owner: admin, reviewer: { name: HOSTILE } },
      });
    });

    afterAll(async () => {
      await truncateAll(ds);
    });

    it.each(['/', '/e/hostile-2027'])('escapes it on the public page %s', async (path) => {
      const res = await newBrowser(api).get(path);

      expect(res.status).toBe(200);
      expect(res.text).toContain(ESCAPED);
      expect(res.text).not.toContain(HOSTILE);
    });

    it.each([
      '/admin',
      '/admin/editions/hostile-2027',
      '/admin/editions/hostile-2027/edit',
      '/admin/editions/hostile-2027/team',
      '/admin/editions/hostile-2027/tokens',
    ])('escapes it on the admin page %s', async (path) => {
      const browser = await loginJson(api, admin.email, DEFAULT_PASSWORD);
      const res = await browser.get(path);

      expect(res.status).toBe(200);
      expect(res.text).toContain(ESCAPED);
      expect(res.text).not.toContain(HOSTILE);
    });

    it('escapes it in the HTML of the invitation email', async () => {
      const browser = await loginJson(api, admin.email, DEFAULT_PASSWORD);
      const invited = await browser.json('post', '/api/v1/editions/hostile-2027/invitations', {
        email: 'guest@example.org',
        role: 'volunteer',
      });
      expect(invited.status).toBe(201);
      const [{ id }] = await ds.query<{ id: string }[]>(
        `SELECT id FROM outbox_messages WHERE template = 'invitation' AND recipient = 'guest@example.org'`,
      );

      const html = await browser.get(`/admin/outbox/${id}/html`);
      const page = await browser.get(`/admin/outbox/${id}`);

      expect(html.status).toBe(200);
      expect(html.text).toContain(ESCAPED); // the inviter's name and the edition's title
      expect(html.text).not.toContain(HOSTILE);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(HOSTILE);
    });

    it('escapes what a person typed when a form comes back with errors', async () => {
      const browser = new Browser(api);
      await browser.signIn(admin.email, DEFAULT_PASSWORD);
      const res = await browser.submit('/admin/editions/new', '/admin/editions', {
        title: HOSTILE,
        slug: HOSTILE,
        hostCity: 'Lyon',
        capacity: 10,
        startsAt: '2028-02-03T09:00',
        endsAt: '2028-02-04T18:00',
      });

      expect(res.status).toBe(422);
      expect(inputTag(res.text, 'title')).toContain(`value="${ESCAPED}"`);
      expect(res.text).not.toContain(HOSTILE);
    });
  });

  describe('language', () => {
    it('speaks French by default', async () => {
      const res = await newBrowser(api).get('/');

      expect(res.text).toContain('<html lang="fr">');
      expect(res.text).toContain('Prochaine édition');
    });

    it('switches to English with ?lang=en and remembers it in a cookie for the next page', async () => {
      const browser = newBrowser(api);

      const switched = await browser.get('/?lang=en');
      const next = await browser.get('/admin/login');

      expect(switched.text).toContain('<html lang="en">');
      expect(switched.text).toContain('Next edition');
      const cookie = (switched.headers['set-cookie'] as unknown as string[]).find((c) =>
        c.startsWith('assises_lang=en;'),
      );
      expect(cookie).toMatch(/HttpOnly/);
      expect(next.text).toContain('<html lang="en">');
      expect(next.text).toContain("Organisers' sign-in".replace("'", '&#x27;'));
      // And back.
      const back = await browser.get('/?lang=fr');
      expect(back.text).toContain('Prochaine édition');
      expect((await browser.get('/')).text).toContain('Prochaine édition');
    });

    it('follows Accept-Language when nothing else was chosen', async () => {
      const res = await newBrowser(api).get('/').set('Accept-Language', 'en-GB,en;q=0.9,fr;q=0.5');

      expect(res.text).toContain('<html lang="en">');
      expect(res.text).toContain('Next edition');
    });

    it('ignores a language it does not speak', async () => {
      const res = await newBrowser(api).get('/?lang=de');

      expect(res.text).toContain('<html lang="fr">');
      expect(res.headers['set-cookie'] ?? []).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^assises_lang=/)]),
      );
    });
  });

  describe('page forms that fail validation', () => {
    let organiser: CreatedAccount;

    beforeAll(async () => {
      organiser = await createAccount(ds);
      await createEdition(ds, { slug: 'forms-2027', members: { organiser } });
    });

    afterAll(async () => {
      await truncateAll(ds);
    });

    it('re-render with 422, the error beside its field and the typed values kept', async () => {
      const browser = new Browser(api);
      await browser.signIn(organiser.email, DEFAULT_PASSWORD);
      const before = await rowCounts();

      const res = await browser.submit('/admin/editions/new', '/admin/editions', {
        title: 'Assises 2028',
        slug: 'Not A Slug!',
        hostCity: 'Rennes',
        capacity: 'many',
        startsAt: '2028-02-03T09:00',
        endsAt: '2028-02-04T18:00',
      });

      expect(res.status).toBe(422);
      const slug = inputTag(res.text, 'slug');
      expect(slug).toContain('aria-invalid="true"');
      expect(slug).toContain('aria-describedby="f-slug-error"');
      expect(slug).toContain('value="Not A Slug!"');
      expect(res.text).toMatch(/<small id="f-slug-error" class="field-error">[^<]+<\/small>/);
      expect(inputTag(res.text, 'capacity')).toContain('aria-invalid="true"');
      expect(inputTag(res.text, 'capacity')).toContain('value="many"');
      expect(inputTag(res.text, 'title')).toContain('value="Assises 2028"');
      expect(inputTag(res.text, 'title')).not.toContain('aria-invalid');
      expect(inputTag(res.text, 'hostCity')).toContain('value="Rennes"');
      expect(inputTag(res.text, 'startsAt')).toContain('value="2028-02-03T09:00"');
      expect(res.text).toContain('role="alert"');
      expect(await rowCounts()).toEqual(before);
    });

    it('show the field error in English for an English reader', async () => {
      const browser = new Browser(api);
      await browser.signIn(organiser.email, DEFAULT_PASSWORD);
      await browser.get('/admin?lang=en');

      const res = await browser.submit(
        '/admin/editions/forms-2027/edit',
        '/admin/editions/forms-2027/edit',
        {
          capacity: '0',
        },
      );

      expect(res.status).toBe(422);
      expect(inputTag(res.text, 'capacity')).toContain('aria-invalid="true"');
      expect(res.text).toContain('The value must be at least 1.');
    });

    it('keep the email typed on the login form', async () => {
      const res = await newBrowser(api).submit('/admin/login', '/admin/login', {
        email: 'not-an-email',
        password: 'whatever',
      });

      expect(res.status).toBe(422);
      expect(inputTag(res.text, 'email')).toContain('value="not-an-email"');
      expect(inputTag(res.text, 'email')).toContain('aria-invalid="true"');
      expect(inputTag(res.text, 'password')).not.toContain('value="whatever"');
    });
  });

  describe('an unexpected error', () => {
    let lostDb: TestDatabase;
    let lostConfig: AppConfig;
    let lostApi: TestApi;
    let signedIn: Browser;

    /** As if PostgreSQL went away: no new connection, the open ones cut. */
    async function cutDatabase(name: string): Promise<void> {
      const admin = new Client({ connectionString: adminUrl() });
      await admin.connect();
      try {
        await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [name],
        );
      } finally {
        await admin.end();
      }
    }

    beforeAll(async () => {
      lostDb = await createTestDatabase();
      lostConfig = testConfig(lostDb.url, { TRUST_PROXY: 'true' });
      lostApi = await startApi(lostConfig);
      const account = await createAccount(lostApi.app.get(DataSource));
      signedIn = await loginJson(lostApi, account.email, DEFAULT_PASSWORD);
      await cutDatabase(lostDb.name);
    });

    afterAll(async () => {
      await lostApi?.close();
      if (lostConfig) await clearQueuePrefix(lostConfig);
      await lostDb?.drop();
    });

    it('answers 500 in JSON with a correlation id that is the request id of the response', async () => {
      const res = await newBrowser(lostApi).json('get', '/api/v1/editions');

      expect(res.status).toBe(500);
      expect(res.body).toMatchObject({ statusCode: 500, code: 'internal' });
      expect(res.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.correlationId).toBe(res.headers['x-request-id']);
      expect(JSON.stringify(res.body)).not.toMatch(/ALLOW_CONNECTIONS|postgres|at .*\.ts/i);
    });

    it('uses the request id the proxy gave', async () => {
      const res = await newBrowser(lostApi)
        .json('get', '/api/v1/editions')
        .set('X-Request-Id', 'proxy-req-0001');

      expect(res.status).toBe(500);
      expect(res.body.correlationId).toBe('proxy-req-0001');
      expect(res.headers['x-request-id']).toBe('proxy-req-0001');
    });

    it('fails the same way when the session itself cannot be read', async () => {
      const res = await signedIn.json('get', '/api/v1/auth/me');

      expect(res.status).toBe(500);
      expect(res.body.code).toBe('internal');
      expect(res.body.correlationId).toBe(res.headers['x-request-id']);
    });

    it('shows browsers an error page with the correlation id', async () => {
      const res = await newBrowser(lostApi).get('/');

      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain(String(res.headers['x-request-id']));
    });

    it('reports the database down on GET /health, Redis still up', async () => {
      const res = await newBrowser(lostApi).json('get', '/health');

      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({
        status: 'error',
        error: { database: { status: 'down' } },
        info: { redis: { status: 'up' } },
      });
    });
  });
});
