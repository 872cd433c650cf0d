import type { AppConfig } from '@assises/config';
import { DataSource } from 'typeorm';
import { createAccount, createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, loginJson, newBrowser, setCookie } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { outboxRows } from '../harness/outbox';

const NEW_PASSWORD = 'a-whole-new-sentence-2027';

describe('Authentication', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;

  const sessionCount = async (accountId: string): Promise<number> => {
    const [{ n }] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM sessions WHERE account_id = $1`,
      [accountId],
    );
    return n;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // As behind the production proxy: each simulated person has an address of their own, so the
    // login limit only bites where a test means it to.
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

  describe('JSON login', () => {
    let camille: CreatedAccount;

    beforeEach(async () => {
      camille = await createAccount(ds, { email: 'camille@example.org', name: 'Camille' });
    });

    it('sets an httpOnly, SameSite=Lax session cookie (not Secure over plain http) that signs the next requests in', async () => {
      const browser = newBrowser(api);
      const res = await browser.json('post', '/api/v1/auth/login', {
        email: 'Camille@Example.org ',
        password: DEFAULT_PASSWORD,
      });

      expect(res.status).toBe(200);
      expect(res.body.account).toEqual({
        id: camille.id,
        name: 'Camille',
        email: 'camille@example.org',
        locale: 'fr',
        isPlatformAdmin: false,
      });
      const cookie = setCookie(res, 'assises_session');
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Secure/);
      expect(await sessionCount(camille.id)).toBe(1);

      const me = await browser.json('get', '/api/v1/auth/me');
      expect(me.status).toBe(200);
      expect(me.body.account.email).toBe('camille@example.org');
    });

    it('answers 401 auth.invalid_credentials for a wrong password, and the same for an unknown email', async () => {
      const wrong = await newBrowser(api).json('post', '/api/v1/auth/login', {
        email: 'camille@example.org',
        password: 'not-the-password',
      });
      const unknown = await newBrowser(api).json('post', '/api/v1/auth/login', {
        email: 'nobody@example.org',
        password: 'not-the-password',
      });

      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('auth.invalid_credentials');
      expect(unknown.status).toBe(wrong.status);
      expect(unknown.body).toEqual(wrong.body);
      expect(setCookie(wrong, 'assises_session')).toBeUndefined();
      expect(await sessionCount(camille.id)).toBe(0);
    });

    it('refuses a disabled account like a wrong password', async () => {
      const disabled = await createAccount(ds, { disabledAt: new Date() });
      const res = await newBrowser(api).json('post', '/api/v1/auth/login', {
        email: disabled.email,
        password: DEFAULT_PASSWORD,
      });

      expect(res.status).toBe(401);
      expect(res.body.code).toBe('auth.invalid_credentials');
    });

    it('ends the session on logout: the cookie is cleared and the old token no longer works', async () => {
      const browser = newBrowser(api);
      const login = await browser.json('post', '/api/v1/auth/login', {
        email: camille.email,
        password: DEFAULT_PASSWORD,
      });
      const stolen = setCookie(login, 'assises_session')!.split(';')[0];

      const res = await browser.json('post', '/api/v1/auth/logout');

      expect(res.status).toBe(204);
      expect(setCookie(res, 'assises_session')).toMatch(/Expires=Thu, 01 Jan 1970/);
      expect(await sessionCount(camille.id)).toBe(0);
      const after = await browser.json('get', '/api/v1/auth/me');
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('auth.required');
      // Replaying the old cookie by hand does not bring the session back.
      const replay = await newBrowser(api).json('get', '/api/v1/auth/me').set('Cookie', stolen);
      expect(replay.status).toBe(401);
    });
  });

  describe('over https', () => {
    let httpsApi: TestApi;

    beforeAll(async () => {
      httpsApi = await startApi(
        testConfig(db.url, {
          PUBLIC_URL: 'https://assises.example.org',
          QUEUE_PREFIX: config.redis.prefix,
        }),
      );
    });

    afterAll(async () => {
      await httpsApi?.close();
    });

    it('marks the session cookie Secure when PUBLIC_URL is https', async () => {
      const account = await createAccount(ds);
      const res = await newBrowser(httpsApi).json('post', '/api/v1/auth/login', {
        email: account.email,
        password: DEFAULT_PASSWORD,
      });

      expect(res.status).toBe(200);
      const cookie = setCookie(res, 'assises_session');
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
    });
  });

  describe('page login', () => {
    it('signs in with the form and its CSRF token, then redirects to /admin', async () => {
      const account = await createAccount(ds, { name: 'Dominique' });
      const browser = newBrowser(api);

      const page = await browser.open('/admin/login');
      expect(page.status).toBe(200);
      expect(page.csrf).toBeTruthy();
      const res = await browser.post(
        '/admin/login',
        { email: account.email, password: DEFAULT_PASSWORD },
        page.csrf,
      );

      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin');
      const cookie = setCookie(res, 'assises_session');
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      const dashboard = await browser.open('/admin');
      expect(dashboard.status).toBe(200);
      expect(dashboard.html).toContain('Dominique');
    });

    it('goes back to the page asked for, but never to another site', async () => {
      const account = await createAccount(ds);
      const local = newBrowser(api);
      const elsewhere = newBrowser(api);

      const back = await local.submit('/admin/login?next=/admin/editions/new', '/admin/login', {
        email: account.email,
        password: DEFAULT_PASSWORD,
        next: '/admin/editions/new',
      });
      const away = await elsewhere.submit('/admin/login', '/admin/login', {
        email: account.email,
        password: DEFAULT_PASSWORD,
        next: '//evil.example/phish',
      });

      expect(back.status).toBe(303);
      expect(back.headers.location).toBe('/admin/editions/new');
      expect(away.status).toBe(303);
      expect(away.headers.location).toBe('/admin');
    });

    it('signs out with the button of any page: the session ends and the home page says so', async () => {
      const account = await createAccount(ds);
      const browser = newBrowser(api);
      await browser.signIn(account.email, DEFAULT_PASSWORD);

      const res = await browser.submit('/admin', '/admin/logout');

      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/');
      expect(await sessionCount(account.id)).toBe(0);
      expect((await browser.open('/')).html).toContain('Vous êtes déconnecté');
      const after = await browser.get('/admin');
      expect(after.status).toBe(303);
      expect(after.headers.location).toBe('/admin/login?next=%2Fadmin');
    });

    it('re-renders the form with 401 and the typed email for a wrong password', async () => {
      const account = await createAccount(ds);
      const res = await newBrowser(api).submit('/admin/login', '/admin/login', {
        email: account.email,
        password: 'wrong-password',
      });

      expect(res.status).toBe(401);
      expect(res.text).toContain('Adresse ou mot de passe incorrect.');
      expect(res.text).toContain(`value="${account.email}"`);
      expect(setCookie(res, 'assises_session')).toBeUndefined();
    });
  });

  describe('CSRF', () => {
    let organiser: CreatedAccount;
    let slug: string;
    let browser: Browser;

    beforeEach(async () => {
      organiser = await createAccount(ds);
      ({
        edition: { slug },
      } = await createEdition(ds, { title: 'Assises 2027', members: { organiser } }));
      browser = newBrowser(api);
      await browser.signIn(organiser.email, DEFAULT_PASSWORD);
    });

    const title = async () =>
      (await ds.query<{ title: string }[]>(`SELECT title FROM editions WHERE slug = $1`, [slug]))[0]
        .title;

    it('refuses a form posted without a token with 403 and changes nothing', async () => {
      const res = await browser.post(`/admin/editions/${slug}/edit`, { title: 'Hijacked' }, null);

      expect(res.status).toBe(403);
      expect(res.text).toContain('Le formulaire a expiré');
      expect(await title()).toBe('Assises 2027');
    });

    it('refuses a wrong token, and the token of another visitor, with 403', async () => {
      const forged = await browser.post(
        `/admin/editions/${slug}/edit`,
        { title: 'Hijacked' },
        'deadbeef.cafe',
      );
      const someoneElses = await newBrowser(api).csrf();
      const borrowed = await browser.post(
        `/admin/editions/${slug}/edit`,
        { title: 'Hijacked' },
        someoneElses,
      );

      expect(forged.status).toBe(403);
      expect(borrowed.status).toBe(403);
      expect(await title()).toBe('Assises 2027');
    });

    it('accepts the same form with the page token', async () => {
      const res = await browser.submit(
        `/admin/editions/${slug}/edit`,
        `/admin/editions/${slug}/edit`,
        {
          title: 'Assises 2027 à Lyon',
        },
      );

      expect(res.status).toBe(303);
      expect(await title()).toBe('Assises 2027 à Lyon');
    });

    it('refuses a login form without a token, opening no session', async () => {
      const res = await newBrowser(api).post(
        '/admin/login',
        { email: organiser.email, password: DEFAULT_PASSWORD },
        null,
      );

      expect(res.status).toBe(403);
      expect(setCookie(res, 'assises_session')).toBeUndefined();
      expect(await sessionCount(organiser.id)).toBe(1); // the beforeEach sign-in only
    });

    it('answers a JSON client 403 csrf.invalid', async () => {
      const res = await browser.agent
        .post('/admin/logout')
        .set('Accept', 'application/json')
        .type('form')
        .send('');

      expect(res.status).toBe(403);
      expect(res.body.code).toBe('csrf.invalid');
      expect(await sessionCount(organiser.id)).toBe(1);
    });
  });

  describe('password reset', () => {
    let camille: CreatedAccount;

    beforeEach(async () => {
      camille = await createAccount(ds, { email: 'camille@example.org', name: 'Camille' });
    });

    /** Asks for a reset and returns the token of the emailed link. */
    async function requestReset(email = camille.email): Promise<string> {
      const res = await newBrowser(api).json('post', '/api/v1/auth/password-reset', { email });
      expect(res.status).toBe(202);
      const [row] = await ds.query<{ data: { resetUrl: string } }[]>(
        `SELECT data FROM outbox_messages WHERE template = 'password-reset' AND recipient = $1
          ORDER BY created_at DESC LIMIT 1`,
        [email],
      );
      const match = new RegExp(`^${config.publicUrl}/admin/password/reset/([\\w-]+)$`).exec(
        row.data.resetUrl,
      );
      if (!match) throw new Error(`unexpected reset link ${row.data.resetUrl}`);
      return match[1];
    }

    const confirm = (token: string, password = NEW_PASSWORD) =>
      newBrowser(api).json('post', '/api/v1/auth/password-reset/confirm', { token, password });

    it('answers 202 for known and unknown addresses alike, and emails only the known one', async () => {
      const known = await newBrowser(api).json('post', '/api/v1/auth/password-reset', {
        email: 'Camille@example.org',
      });
      const unknown = await newBrowser(api).json('post', '/api/v1/auth/password-reset', {
        email: 'nobody@example.org',
      });

      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(unknown.body).toEqual(known.body);
      const rows = await outboxRows(ds);
      expect(rows.map((row) => [row.template, row.recipient, row.category])).toEqual([
        ['password-reset', 'camille@example.org', 'transactional'],
      ]);
    });

    it('sets the new password through the page, once: the link then answers 404', async () => {
      const token = await requestReset();
      const browser = newBrowser(api);

      const page = await browser.open(`/admin/password/reset/${token}`);
      expect(page.status).toBe(200);
      const res = await browser.post(
        `/admin/password/reset/${token}`,
        { password: NEW_PASSWORD },
        page.csrf,
      );
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/login');

      const again = await browser.open(`/admin/password/reset/${token}`);
      expect(again.status).toBe(404);
      const twice = await confirm(token, 'yet-another-password');
      expect(twice.status).toBe(404);
      expect(twice.body.code).toBe('auth.invalid_link');
      await loginJson(api, camille.email, NEW_PASSWORD);
    });

    it('lets the new password in, keeps the old one out, and ends the sessions opened before', async () => {
      const before = await loginJson(api, camille.email, DEFAULT_PASSWORD);
      const token = await requestReset();

      const res = await confirm(token);

      expect(res.status).toBe(204);
      expect((await before.json('get', '/api/v1/auth/me')).status).toBe(401);
      const old = await newBrowser(api).json('post', '/api/v1/auth/login', {
        email: camille.email,
        password: DEFAULT_PASSWORD,
      });
      expect(old.status).toBe(401);
      const fresh = await loginJson(api, camille.email, NEW_PASSWORD);
      expect((await fresh.json('get', '/api/v1/auth/me')).status).toBe(200);
      const [audit] = await ds.query<{ action: string; actor_id: string }[]>(
        `SELECT action, actor_id FROM audit_events WHERE subject_type = 'account' AND subject_id = $1`,
        [camille.id],
      );
      expect(audit).toEqual({ action: 'password_reset', actor_id: camille.id });
    });

    it('refuses an expired link with 404 auth.invalid_link and keeps the password', async () => {
      const token = await requestReset();
      await ds.query(
        `UPDATE password_resets SET expires_at = now() - interval '1 minute' WHERE account_id = $1`,
        [camille.id],
      );

      const res = await confirm(token);
      const page = await newBrowser(api).open(`/admin/password/reset/${token}`);

      expect(res.status).toBe(404);
      expect(res.body.code).toBe('auth.invalid_link');
      expect(page.status).toBe(404);
      await loginJson(api, camille.email, DEFAULT_PASSWORD);
    });

    it('refuses a token that was never issued', async () => {
      const res = await confirm('x'.repeat(43));

      expect(res.status).toBe(404);
      expect(res.body.code).toBe('auth.invalid_link');
    });
  });

  describe('login rate limit', () => {
    it('answers 429 past 10 attempts in a minute from one address, other addresses unaffected', async () => {
      const account = await createAccount(ds);
      const address = '192.0.2.77';
      const attempt = (password: string, from = address) =>
        newBrowser(api, { address: from }).json('post', '/api/v1/auth/login', {
          email: account.email,
          password,
        });

      const statuses: number[] = [];
      for (let i = 0; i < 10; i += 1) statuses.push((await attempt(`guess-${i}`)).status);
      const eleventh = await attempt(DEFAULT_PASSWORD);

      expect(statuses).toEqual(Array(10).fill(401));
      expect(eleventh.status).toBe(429);
      expect(eleventh.body.code).toBe('request.rate_limited');
      expect(setCookie(eleventh, 'assises_session')).toBeUndefined();
      expect((await attempt(DEFAULT_PASSWORD, '192.0.2.78')).status).toBe(200);
    });

    it('limits the login page the same way', async () => {
      const account = await createAccount(ds);
      const browser = newBrowser(api, { address: '192.0.2.99' });
      const token = await browser.csrf();

      const statuses: number[] = [];
      for (let i = 0; i < 11; i += 1) {
        const res = await browser.post(
          '/admin/login',
          { email: account.email, password: `guess-${i}` },
          token,
        );
        statuses.push(res.status);
      }

      expect(statuses).toEqual([...Array<number>(10).fill(401), 429]);
    });
  });
});
