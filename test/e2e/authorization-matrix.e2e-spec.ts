import { ApiTokenService } from '@assises/accounts';
import type { AppConfig } from '@assises/config';
import { Edition, EditionRole } from '@assises/editions';
import { MailOutbox, MailTemplates } from '@assises/mail';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createAccount, createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { Browser, flashIn, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

/**
 * Who may reach what, over every route that needs a signed-in person. One row per route: add a
 * route to the app and the completeness test below fails until it has its row here.
 */

/** The people of the matrix. `outsider` organises another edition, not this one. */
const PEOPLE = [
  'anonymous',
  'outsider',
  'volunteer',
  'reviewer',
  'organiser',
  'owner',
  'admin',
] as const;
type Who = (typeof PEOPLE)[number];

/**
 * What a route needs: `account` any signed-in person; `create` organising some edition;
 * `view`, `edit`, `team` that permission in this edition; `platform` a platform admin.
 */
type Reach = 'account' | 'create' | 'view' | 'edit' | 'team' | 'platform';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  method: Method;
  /** `:slug` is the matrix's edition; other `:params` are made fresh for each request (PARAMS). */
  path: string;
  reach: Reach;
  /** The status of an allowed request (pages that succeed redirect with a success message). */
  ok: number;
  /** Status for people a platform route refuses. */
  refused?: 403 | 404;
  body?: (who: Who) => Record<string, string | number | boolean>;
  /** Puts the edition in the state the request needs (e.g. back to draft before `announce`). */
  prepare?: (ctx: Context) => Promise<void>;
}

interface Context {
  ds: DataSource;
  edition: Edition;
}

let serial = 0;
const fresh = (prefix: string) => `${prefix}-${(serial += 1)}-${randomBytes(3).toString('hex')}`;

const toDraft = async ({ ds, edition }: Context) => {
  await ds.query(`UPDATE editions SET status = 'draft' WHERE id = $1`, [edition.id]);
};
const newEdition = () => ({
  capacity: 100,
  endsAt: '2028-02-04T18:00',
  hostCity: 'Rennes',
  slug: fresh('matrix'),
  startsAt: '2028-02-03T09:00',
  title: 'Matrix edition',
});
const clone = () => ({
  endsAt: '2028-02-04T18:00',
  hostCity: 'Rennes',
  slug: fresh('clone'),
  startsAt: '2028-02-03T09:00',
});
const invite = () => ({ email: `${fresh('invitee')}@example.org`, role: 'reviewer' });
/** A token role within the asker's own. */
const tokenFor = (who: Who) => ({
  label: 'Matrix token',
  role: who === 'volunteer' ? 'volunteer' : 'reviewer',
});

/** A room of the matrix edition that placements go to. */
let matrixRoomId = '';
const ensureMatrixRoom = async ({ ds, edition }: Context) => {
  if (matrixRoomId) return;
  const [{ id }] = await ds.query<{ id: string }[]>(
    `INSERT INTO rooms (edition_id, name, capacity) VALUES ($1, 'Matrix room', 30) RETURNING id`,
    [edition.id],
  );
  matrixRoomId = id;
};

const ROUTES: Route[] = [
  // JSON API
  { method: 'GET', path: '/api/v1/auth/me', reach: 'account', ok: 200 },
  { method: 'GET', path: '/api/v1/me/api-tokens', reach: 'account', ok: 200 },
  { method: 'DELETE', path: '/api/v1/me/api-tokens/:ownToken', reach: 'account', ok: 204 },
  { method: 'POST', path: '/api/v1/editions', reach: 'create', ok: 201, body: newEdition },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug',
    reach: 'edit',
    ok: 200,
    body: () => ({ capacity: 500 }),
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/transitions',
    reach: 'edit',
    ok: 200,
    body: () => ({ transition: 'announce' }),
    prepare: toDraft,
  },
  { method: 'POST', path: '/api/v1/editions/:slug/clone', reach: 'edit', ok: 201, body: clone },
  { method: 'GET', path: '/api/v1/editions/:slug/history', reach: 'edit', ok: 200 },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/call',
    reach: 'edit',
    ok: 200,
    body: () => ({ closesAt: '2027-12-15T23:59', opensAt: '2027-10-01T09:00' }),
  },
  { method: 'GET', path: '/api/v1/editions/:slug/team', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/invitations',
    reach: 'team',
    ok: 201,
    body: invite,
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/invitations/:invitation',
    reach: 'team',
    ok: 204,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/team/:member',
    reach: 'team',
    ok: 204,
    body: () => ({ role: 'reviewer' }),
  },
  { method: 'DELETE', path: '/api/v1/editions/:slug/team/:member', reach: 'team', ok: 204 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/api-tokens',
    reach: 'view',
    ok: 201,
    body: tokenFor,
  },
  // Programme (issue 5)
  { method: 'GET', path: '/api/v1/editions/:slug/programme/rooms', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/rooms',
    reach: 'edit',
    ok: 201,
    body: () => ({ name: fresh('room'), capacity: 40 }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/programme/rooms/:room',
    reach: 'edit',
    ok: 200,
    body: () => ({ capacity: 10 }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/programme/rooms/:room',
    reach: 'edit',
    ok: 204,
  },
  { method: 'GET', path: '/api/v1/editions/:slug/programme/grid', reach: 'view', ok: 200 },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/programme/grid',
    reach: 'edit',
    ok: 200,
    body: () => ({ stepMinutes: 15 }),
  },
  { method: 'GET', path: '/api/v1/editions/:slug/programme/blocks', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/blocks',
    reach: 'edit',
    ok: 201,
    body: () => ({
      kind: 'break',
      title: 'Pause',
      startsAt: '2027-02-04T10:30',
      endsAt: '2027-02-04T11:00',
    }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/programme/blocks/:block',
    reach: 'edit',
    ok: 204,
  },
  { method: 'GET', path: '/api/v1/editions/:slug/programme/sessions', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/sessions',
    reach: 'edit',
    ok: 201,
    body: () => ({ title: 'Matrix session', kind: 'talk', durationMinutes: 45 }),
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/sessions/import',
    reach: 'edit',
    ok: 200,
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/programme/sessions/:session',
    reach: 'view',
    ok: 200,
  },
  {
    method: 'PATCH',
    path: '/api/v1/editions/:slug/programme/sessions/:session',
    reach: 'edit',
    ok: 200,
    body: () => ({ title: 'Renamed', version: 1 }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/editions/:slug/programme/sessions/:session',
    reach: 'edit',
    ok: 204,
  },
  {
    method: 'PUT',
    path: '/api/v1/editions/:slug/programme/sessions/:session/placement',
    reach: 'edit',
    ok: 200,
    // Forced: the matrix edition's dates are whatever the factory chose.
    body: () => ({ roomId: matrixRoomId, startsAt: '2027-02-04T10:00', version: 1, force: true }),
    prepare: ensureMatrixRoom,
  },
  { method: 'GET', path: '/api/v1/editions/:slug/programme/conflicts', reach: 'view', ok: 200 },
  { method: 'GET', path: '/api/v1/editions/:slug/programme/versions', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/versions',
    reach: 'edit',
    ok: 201,
    body: () => ({ name: 'Matrix version' }),
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/scheduling-runs',
    reach: 'edit',
    ok: 202,
    body: () => ({ mode: 'unscheduled' }),
  },
  {
    method: 'GET',
    path: '/api/v1/editions/:slug/programme/scheduling-runs/:run',
    reach: 'view',
    ok: 200,
  },
  {
    method: 'POST',
    path: '/api/v1/editions/:slug/programme/scheduling-runs/:run/apply',
    reach: 'edit',
    ok: 200,
  },
  // Pages
  { method: 'GET', path: '/admin', reach: 'account', ok: 200 },
  { method: 'GET', path: '/admin/editions/new', reach: 'create', ok: 200 },
  { method: 'POST', path: '/admin/editions', reach: 'create', ok: 303, body: newEdition },
  { method: 'GET', path: '/admin/editions/:slug', reach: 'view', ok: 200 },
  { method: 'GET', path: '/admin/editions/:slug/edit', reach: 'edit', ok: 200 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/edit',
    reach: 'edit',
    ok: 303,
    body: () => ({ capacity: 500 }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/transitions',
    reach: 'edit',
    ok: 303,
    body: () => ({ transition: 'announce' }),
    prepare: toDraft,
  },
  { method: 'GET', path: '/admin/editions/:slug/clone', reach: 'edit', ok: 200 },
  { method: 'POST', path: '/admin/editions/:slug/clone', reach: 'edit', ok: 303, body: clone },
  { method: 'GET', path: '/admin/editions/:slug/team', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/team/invite',
    reach: 'team',
    ok: 303,
    body: invite,
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/team/:member/role',
    reach: 'team',
    ok: 303,
    body: () => ({ role: 'reviewer' }),
  },
  { method: 'POST', path: '/admin/editions/:slug/team/:member/remove', reach: 'team', ok: 303 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/invitations/:invitation/revoke',
    reach: 'team',
    ok: 303,
  },
  { method: 'GET', path: '/admin/editions/:slug/tokens', reach: 'view', ok: 200 },
  { method: 'POST', path: '/admin/editions/:slug/tokens', reach: 'view', ok: 201, body: tokenFor },
  {
    method: 'POST',
    path: '/admin/editions/:slug/tokens/:ownToken/revoke',
    reach: 'view',
    ok: 303,
  },
  { method: 'GET', path: '/admin/editions/:slug/programme', reach: 'view', ok: 200 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/programme/sessions/:session/placement',
    reach: 'edit',
    ok: 303,
    body: () => ({ roomId: '', startsAt: '', version: 1 }),
  },
  { method: 'POST', path: '/admin/editions/:slug/programme/import', reach: 'edit', ok: 303 },
  {
    method: 'POST',
    path: '/admin/editions/:slug/programme/publish',
    reach: 'edit',
    ok: 303,
    body: () => ({ name: 'Matrix page version' }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/programme/scheduling-runs',
    reach: 'edit',
    ok: 303,
    body: () => ({ mode: 'unscheduled' }),
  },
  {
    method: 'POST',
    path: '/admin/editions/:slug/programme/scheduling-runs/:run/apply',
    reach: 'edit',
    ok: 303,
  },
  { method: 'GET', path: '/admin/outbox', reach: 'platform', ok: 200, refused: 403 },
  { method: 'GET', path: '/admin/outbox/:message', reach: 'platform', ok: 200, refused: 403 },
  { method: 'GET', path: '/admin/outbox/:message/html', reach: 'platform', ok: 200, refused: 403 },
  {
    method: 'POST',
    path: '/admin/outbox/:message/retry',
    reach: 'platform',
    ok: 303,
    refused: 403,
  },
  { method: 'GET', path: '/admin/queues', reach: 'platform', ok: 200, refused: 404 },
  { method: 'GET', path: '/admin/queues/api/queues', reach: 'platform', ok: 200, refused: 404 },
];

/**
 * Routes under /admin and /api/v1 that anyone may call: signing in and out, password reset,
 * invitations (the link is the credential), the public series, the call for contributions
 * and proposals (the emailed manage token is the credential).
 */
const PUBLIC_ROUTES = [
  'GET /admin/invitations/:token',
  'GET /admin/login',
  'GET /admin/password/forgot',
  'GET /admin/password/reset/:token',
  'GET /api/v1/editions',
  'GET /api/v1/editions/:slug',
  'GET /api/v1/editions/:slug/call',
  'GET /api/v1/editions/:slug/programme',
  'GET /api/v1/proposals/:id',
  'PATCH /api/v1/proposals/:id',
  'DELETE /api/v1/proposals/:id',
  'POST /api/v1/editions/:slug/proposals',
  'POST /admin/invitations/:token',
  'POST /admin/login',
  'POST /admin/logout',
  'POST /admin/password/forgot',
  'POST /admin/password/reset/:token',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/confirm',
];

type Outcome = { status: number; toLogin?: boolean };

/** The answer `who` must get from `route`. */
function expected(route: Route, who: Who): Outcome {
  if (who === 'anonymous')
    return route.path.startsWith('/api/') ? { status: 401 } : { status: 303, toLogin: true };
  const allowed: Record<Reach, readonly Who[]> = {
    account: ['outsider', 'volunteer', 'reviewer', 'organiser', 'owner', 'admin'],
    create: ['outsider', 'organiser', 'owner', 'admin'],
    view: ['volunteer', 'reviewer', 'organiser', 'owner', 'admin'],
    edit: ['organiser', 'owner', 'admin'],
    team: ['organiser', 'owner', 'admin'],
    platform: ['admin'],
  };
  if (allowed[route.reach].includes(who)) return { status: route.ok };
  if (route.reach === 'platform') return { status: route.refused ?? 403 };
  // Someone with no role in the edition does not learn that it exists.
  if (who === 'outsider' && ['view', 'edit', 'team'].includes(route.reach)) return { status: 404 };
  return { status: 403 };
}

describe('Authorization matrix', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;
  let ctx: Context;
  let outsiderEdition: Edition;
  const accounts = {} as Record<Exclude<Who, 'anonymous'>, CreatedAccount>;
  const browsers = {} as Record<Who, Browser>;
  const csrfTokens = new Map<Who, string>();

  /** Makes the value of a path parameter for one request by `who`. */
  const PARAMS: Record<string, (who: Who) => Promise<string>> = {
    slug: async () => ctx.edition.slug,
    /** A volunteer, to change or remove. */
    member: async () => {
      const account = await createAccount(ds);
      await ds.query(
        `INSERT INTO memberships (edition_id, account_id, role) VALUES ($1, $2, 'volunteer')`,
        [ctx.edition.id, account.id],
      );
      return account.id;
    },
    /** A pending invitation, to revoke. */
    invitation: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO invitations (edition_id, email, role, token_hash, invited_by_id, expires_at)
         VALUES ($1, $2, 'reviewer', $3, $4, now() + interval '14 days') RETURNING id`,
        [
          ctx.edition.id,
          `${fresh('pending')}@example.org`,
          randomBytes(32).toString('hex'),
          accounts.owner.id,
        ],
      );
      return id;
    },
    /** A token of the asker (in this edition; the outsider's in their own). */
    ownToken: async (who) => {
      const holder = who === 'anonymous' ? accounts.owner : accounts[who];
      const edition = who === 'outsider' ? outsiderEdition : ctx.edition;
      const { token } = await api.app
        .get(ApiTokenService)
        .create(holder.id, edition.id, EditionRole.Volunteer, 'To revoke');
      return token.id;
    },
    /** A room of the matrix edition, to change or delete. */
    room: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO rooms (edition_id, name, capacity) VALUES ($1, $2, 30) RETURNING id`,
        [ctx.edition.id, fresh('room')],
      );
      return id;
    },
    /** A fixed block, to delete. */
    block: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO fixed_blocks (edition_id, kind, title, starts_at, ends_at)
         VALUES ($1, 'break', 'Pause', now(), now() + interval '30 minutes') RETURNING id`,
        [ctx.edition.id],
      );
      return id;
    },
    /** A session at version 1, to read, change, place or delete. */
    session: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO programme_sessions (edition_id, title, kind, duration_minutes)
         VALUES ($1, 'Matrix session', 'talk', 60) RETURNING id`,
        [ctx.edition.id],
      );
      return id;
    },
    /** A finished scheduling run with nothing to change, to read or apply. */
    run: async () => {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO scheduling_runs (edition_id, mode, status, progress, result)
         VALUES ($1, 'unscheduled', 'done', 100, $2) RETURNING id`,
        [
          ctx.edition.id,
          JSON.stringify({
            placements: [],
            unplaced: [],
            cost: { overflow: 0, overlap: 0, moves: 0 },
          }),
        ],
      );
      return id;
    },
    /** A failed email, to look at and retry. */
    message: async () => {
      const outbox = api.app.get(MailOutbox);
      const [id] = await ds.transaction((em) =>
        outbox.stage(em, [
          {
            to: 'someone@example.org',
            template: 'password-reset',
            locale: 'fr',
            data: api.app.get(MailTemplates).sample('password-reset'),
            purpose: fresh('matrix'),
          },
        ]),
      );
      await ds.query(`UPDATE outbox_messages SET status = 'failed' WHERE id = $1`, [id]);
      return id;
    },
  };

  async function resolve(path: string, who: Who): Promise<string> {
    let resolved = path;
    for (const [, name] of path.matchAll(/:(\w+)/g)) {
      const make = PARAMS[name];
      if (!make) throw new Error(`no maker for :${name} in ${path}`);
      resolved = resolved.replace(`:${name}`, await make(who));
    }
    return resolved;
  }

  /** The CSRF token of `who`'s forms (the login form, or the sign-out button of any page). */
  async function csrfOf(who: Who): Promise<string> {
    let token = csrfTokens.get(who);
    if (!token) {
      token = await browsers[who].csrf(who === 'anonymous' ? '/admin/login' : '/');
      csrfTokens.set(who, token);
    }
    return token;
  }

  async function call(route: Route, who: Who) {
    await route.prepare?.(ctx);
    const path = await resolve(route.path, who);
    const browser = browsers[who];
    const body = route.body?.(who);
    if (path.startsWith('/api/')) {
      const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
      return { path, res: await browser.json(method, path, body) };
    }
    if (route.method === 'GET') return { path, res: await browser.get(path) };
    return { path, res: await browser.post(path, body ?? {}, await csrfOf(who)) };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { TRUST_PROXY: 'true' });
    api = await startApi(config);
    ds = api.app.get(DataSource);

    accounts.outsider = await createAccount(ds, { name: 'Outsider' });
    accounts.admin = await createAccount(ds, { name: 'Admin', isPlatformAdmin: true });
    ({ edition: outsiderEdition } = await createEdition(ds, {
      slug: 'elsewhere-2027',
      members: { organiser: accounts.outsider },
    }));
    const { edition, members } = await createEdition(ds, {
      slug: 'matrix-2027',
      members: { owner: {}, organiser: {}, reviewer: {}, volunteer: {} },
    });
    ctx = { ds, edition };
    for (const role of ['owner', 'organiser', 'reviewer', 'volunteer'] as const)
      accounts[role] = members[role] as CreatedAccount;

    browsers.anonymous = newBrowser(api);
    for (const who of PEOPLE)
      if (who !== 'anonymous')
        browsers[who] = await loginJson(api, accounts[who].email, DEFAULT_PASSWORD);
  });

  afterAll(async () => {
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it('has a row for every route of the app that needs a signed-in person', () => {
    const server = api.app.getHttpAdapter().getInstance() as {
      router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
    };
    const served = server.router.stack
      .flatMap((layer) =>
        layer.route
          ? Object.keys(layer.route.methods)
              .filter((m) => m !== '_all')
              .map((m) => `${m.toUpperCase()} ${layer.route!.path}`)
          : [],
      )
      .filter((route) => / \/(admin|api\/v1)(\/|$)/.test(route))
      .filter((route) => !PUBLIC_ROUTES.includes(route));
    const normalise = (path: string) => path.replace(/:\w+/g, ':param');
    const inTable = ROUTES.filter((r) => !r.path.startsWith('/admin/queues')).map((r) =>
      normalise(`${r.method} ${r.path}`),
    );

    expect([...new Set(served.map(normalise))].sort()).toEqual([...new Set(inTable)].sort());
  });

  describe.each(ROUTES)('$method $path', (route) => {
    it.each(PEOPLE)('answers %s as the matrix says', async (who) => {
      const want = expected(route, who);
      const { path, res } = await call(route, who);

      expect({ who, status: res.status }).toEqual({ who, status: want.status });
      if (want.toLogin) {
        // A page comes back after sign-in; a form's POST address is no page, so /admin does.
        const next = route.method === 'GET' ? path : '/admin';
        expect(res.headers.location).toBe(`/admin/login?next=${encodeURIComponent(next)}`);
      } else if (want.status === 401) {
        expect(res.body.code).toBe('auth.required');
      } else if (want.status === 303) {
        expect(res.headers.location).not.toMatch(/^\/admin\/login/);
        expect(flashIn(res)).toMatchObject({ kind: 'success' });
      } else if (want.status === 403 && path.startsWith('/api/')) {
        expect(res.body.code).toMatch(/forbidden/);
      } else if (want.status === 404 && path.startsWith('/api/')) {
        expect(res.body.code).toBe('edition.not_found');
      }
    });
  });
});
