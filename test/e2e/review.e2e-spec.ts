import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { DataSource } from 'typeorm';
import { createAccount, createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import {
  createCallFor,
  createProposalFor,
  SeededCall,
  seedManyProposals,
} from '../factories/review.factory';
import { startApi, TestApi } from '../harness/app';
import { Browser, flashIn, loginJson } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

interface Row {
  id: string;
  title: string;
  mean: number | null;
  spread: number | null;
  reviewCount: number;
  reviewedByMe: boolean;
  assignedToMe: boolean;
  state: string;
}

const ALL_FIVE = { fit: 5, originality: 5, diversity: 5, feasibility: 5 };

describe('Review back office', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;

  const as = (account: CreatedAccount) => loginJson(api, account.email, DEFAULT_PASSWORD);

  interface World {
    slug: string;
    editionId: string;
    call: SeededCall;
    owner: Browser;
    reviewer: Browser;
    reviewer2: Browser;
    volunteer: Browser;
    accounts: Record<'owner' | 'reviewer' | 'reviewer2' | 'volunteer', CreatedAccount>;
  }

  async function world(options: { blindReview?: boolean; reviewsPerProposal?: number } = {}) {
    const reviewer2 = await createAccount(ds, { name: 'Relectrice Deux' });
    const { edition, members } = await createEdition(ds, {
      slug: 'lyon-2028',
      status: EditionStatus.CfpOpen,
      members: {
        owner: { name: 'Olive Owner' },
        reviewer: { name: 'Rémi Relecteur' },
        volunteer: {},
      },
    });
    await ds.query(
      `INSERT INTO memberships (edition_id, account_id, role) VALUES ($1, $2, 'reviewer')`,
      [edition.id, reviewer2.id],
    );
    const call = await createCallFor(ds, edition.id, options);
    const accounts = {
      owner: members.owner as CreatedAccount,
      reviewer: members.reviewer as CreatedAccount,
      reviewer2,
      volunteer: members.volunteer as CreatedAccount,
    };
    return {
      slug: edition.slug,
      editionId: edition.id,
      call,
      accounts,
      owner: await as(accounts.owner),
      reviewer: await as(accounts.reviewer),
      reviewer2: await as(accounts.reviewer2),
      volunteer: await as(accounts.volunteer),
    } satisfies World;
  }

  const listOf = async (b: Browser, slug: string, query = '') => {
    const res = await b.json('get', `/api/v1/editions/${slug}/proposals${query}`);
    expect(res.status).toBe(200);
    return res.body as { items: Row[]; total: number; byState: Record<string, number> };
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

  describe('criteria', () => {
    it('starts an edition with the four default criteria, fit counting double', async () => {
      const w = await world();
      const res = await w.reviewer.json('get', `/api/v1/editions/${w.slug}/review-criteria`);
      expect(res.status).toBe(200);
      expect(
        (res.body as { key: string; weight: number; nameEn: string }[]).map((c) => [
          c.key,
          c.weight,
          c.nameEn,
        ]),
      ).toEqual([
        ['fit', 2, 'Fit with the themes'],
        ['originality', 1, 'Originality'],
        ['diversity', 1, 'Diversity of voices'],
        ['feasibility', 1, 'Feasibility'],
      ]);
    });

    it('lets organisers add, change and delete criteria, and reviewers only read', async () => {
      const w = await world();
      const base = `/api/v1/editions/${w.slug}/review-criteria`;
      const criterion = { key: 'impact', nameFr: 'Impact', nameEn: 'Impact', weight: 1.5 };

      expect((await w.reviewer.json('post', base, criterion)).status).toBe(403);
      const created = await w.owner.json('post', base, criterion);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ key: 'impact', weight: 1.5, position: 4 });
      expect((await w.owner.json('post', base, criterion)).body).toMatchObject({
        code: 'criterion.key_taken',
      });
      const bad = await w.owner.json('post', base, { ...criterion, key: 'Bad Key', weight: 0 });
      expect(bad.status).toBe(422);
      expect(Object.keys((bad.body as { fields: object }).fields).sort()).toEqual([
        'key',
        'weight',
      ]);

      const id = (created.body as { id: string }).id;
      const patched = await w.owner.json('patch', `${base}/${id}`, { nameEn: 'Reach' });
      expect(patched.body).toMatchObject({ key: 'impact', nameEn: 'Reach' });
      expect((await w.owner.json('delete', `${base}/${id}`)).status).toBe(204);
      expect((await w.owner.json('patch', `${base}/not-an-id`, { weight: 2 })).status).toBe(404);
      expect((await w.owner.json('delete', `${base}/${id}`)).status).toBe(404);
      expect((await w.reviewer.json('get', base)).body).toHaveLength(4);
    });

    it('recomputes every score when a weight changes, and keeps the last criterion', async () => {
      const w = await world();
      const proposal = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
      });
      const put = await w.reviewer.json(
        'put',
        `/api/v1/editions/${w.slug}/proposals/${proposal}/review`,
        {
          scores: { fit: 5, originality: 1, diversity: 1, feasibility: 1 },
        },
      );
      expect(put.body).toMatchObject({ score: 2.6 }); // (2×5 + 1 + 1 + 1) / 5

      const criteria = (await w.owner.json('get', `/api/v1/editions/${w.slug}/review-criteria`))
        .body as { id: string; key: string }[];
      const fit = criteria.find((c) => c.key === 'fit')!;
      await w.owner.json('patch', `/api/v1/editions/${w.slug}/review-criteria/${fit.id}`, {
        weight: 1,
      });
      const [{ score }] = await ds.query<{ score: string }[]>(`SELECT score FROM reviews`);
      expect(Number(score)).toBe(2); // (5 + 1 + 1 + 1) / 4

      for (const c of criteria.slice(1))
        expect(
          (await w.owner.json('delete', `/api/v1/editions/${w.slug}/review-criteria/${c.id}`))
            .status,
        ).toBe(204);
      const last = await w.owner.json(
        'delete',
        `/api/v1/editions/${w.slug}/review-criteria/${fit.id}`,
      );
      expect(last.status).toBe(409);
      expect(last.body).toMatchObject({ code: 'criterion.last' });
      // Only the fit score counts now.
      const [{ score: after }] = await ds.query<{ score: string }[]>(`SELECT score FROM reviews`);
      expect(Number(after)).toBe(5);
    });

    it('are copied to a new edition started from this one', async () => {
      const w = await world();
      await w.owner.json('post', `/api/v1/editions/${w.slug}/review-criteria`, {
        key: 'impact',
        nameFr: 'Impact',
        nameEn: 'Impact',
        weight: 3,
      });
      const res = await w.owner.json('post', `/api/v1/editions/${w.slug}/clone`, {
        slug: 'nantes-2029',
        hostCity: 'Nantes',
        startsAt: '2029-02-01T09:00',
        endsAt: '2029-02-02T18:00',
      });
      expect(res.status).toBe(201);
      const copied = await ds.query<{ key: string; weight: string }[]>(
        `SELECT c.key, c.weight FROM review_criteria c JOIN editions e ON e.id = c.edition_id
          WHERE e.slug = 'nantes-2029' ORDER BY c.position`,
      );
      expect(copied.map((c) => [c.key, Number(c.weight)])).toEqual([
        ['fit', 2],
        ['originality', 1],
        ['diversity', 1],
        ['feasibility', 1],
        ['impact', 3],
      ]);
    });
  });

  describe('reviews', () => {
    it('creates then replaces one review per reviewer, abstaining where asked', async () => {
      const w = await world();
      const proposal = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
      });
      const url = `/api/v1/editions/${w.slug}/proposals/${proposal}/review`;

      const first = await w.reviewer.json('put', url, { scores: ALL_FIVE, comment: 'Très bien' });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ score: 5, comment: 'Très bien' });
      const second = await w.reviewer.json('put', url, {
        scores: { fit: 3, originality: null, diversity: null, feasibility: 0 },
      });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ score: 2, scores: { originality: null } }); // (2×3 + 0) / 3
      const abstained = await w.reviewer.json('put', url, {
        scores: { fit: null, originality: null, diversity: null, feasibility: null },
      });
      expect(abstained.body).toMatchObject({ score: null });
      expect(await ds.query(`SELECT count(*)::int AS n FROM reviews`)).toEqual([{ n: 1 }]);
      const history = await ds.query<{ action: string }[]>(
        `SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY created_at`,
        [proposal],
      );
      expect(history.map((h) => h.action)).toEqual(['review', 'review_update', 'review_update']);
    });

    it('keeps one review when the same reviewer saves twice at once', async () => {
      const w = await world();
      const proposal = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
      });
      const url = `/api/v1/editions/${w.slug}/proposals/${proposal}/review`;
      const answers = await Promise.all(
        [1, 2, 3, 4].map((n) => w.reviewer.json('put', url, { scores: { ...ALL_FIVE, fit: n } })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 201]);
      expect(await ds.query(`SELECT count(*)::int AS n FROM reviews`)).toEqual([{ n: 1 }]);
    });

    it('names each bad score (422 per field) and stores nothing', async () => {
      const w = await world();
      const proposal = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
      });
      const res = await w.reviewer.json(
        'put',
        `/api/v1/editions/${w.slug}/proposals/${proposal}/review`,
        {
          scores: { fit: 6, originality: 2.5, diversity: 'x', wow: 1 },
          comment: 'c'.repeat(5001),
        },
      );
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'validation.failed' });
      const again = await w.reviewer.json(
        'put',
        `/api/v1/editions/${w.slug}/proposals/${proposal}/review`,
        {
          scores: { fit: 6, originality: 2.5, diversity: 'x', wow: 1 },
        },
      );
      expect(again.status).toBe(422);
      expect(again.body).toMatchObject({ code: 'review.invalid' });
      expect(Object.keys((again.body as { fields: object }).fields).sort()).toEqual([
        'scores.diversity',
        'scores.feasibility',
        'scores.fit',
        'scores.originality',
        'scores.wow',
      ]);
      expect(await ds.query(`SELECT count(*)::int AS n FROM reviews`)).toEqual([{ n: 0 }]);
    });

    it('reviews only submitted proposals; drafts do not exist for the back office', async () => {
      const w = await world();
      const draft = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
        state: 'draft',
      });
      const withdrawn = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
        state: 'withdrawn',
      });
      const put = (id: string) =>
        w.reviewer.json('put', `/api/v1/editions/${w.slug}/proposals/${id}/review`, {
          scores: ALL_FIVE,
        });
      expect((await put(draft)).status).toBe(404);
      expect((await put(withdrawn)).body).toMatchObject({ code: 'review.not_reviewable' });
      expect(
        (await w.reviewer.json('get', `/api/v1/editions/${w.slug}/proposals/${draft}`)).status,
      ).toBe(404);
      expect(
        (await w.reviewer.json('get', `/api/v1/editions/${w.slug}/proposals/not-a-uuid`)).status,
      ).toBe(404);
    });

    it("shows a reviewer the others' reviews only once theirs is saved; organisers always", async () => {
      const w = await world();
      const proposal = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
      });
      const detail = `/api/v1/editions/${w.slug}/proposals/${proposal}`;
      await w.reviewer.json('put', `${detail}/review`, {
        scores: ALL_FIVE,
        comment: 'Premier avis',
      });

      const before = (await w.reviewer2.json('get', detail)).body as Record<string, unknown>;
      expect(before).toMatchObject({ reviews: [], othersHidden: true, mean: null, reviewCount: 1 });
      expect(JSON.stringify(before)).not.toContain('Premier avis');
      expect((await w.owner.json('get', detail)).body).toMatchObject({
        reviews: [{ comment: 'Premier avis', reviewer: { name: 'Rémi Relecteur' } }],
      });

      await w.reviewer2.json('put', `${detail}/review`, { scores: { ...ALL_FIVE, fit: 0 } });
      const after = (await w.reviewer2.json('get', detail)).body as Record<string, unknown>;
      expect(after).toMatchObject({
        reviews: [{ comment: 'Premier avis' }],
        othersHidden: false,
        reviewCount: 2,
        mean: 4,
        spread: 2,
      });
    });
  });

  describe('who sees what', () => {
    it('hides speakers from blind reviewers everywhere (list, search, page, JSON), not from organisers', async () => {
      const w = await world({ blindReview: true });
      const proposal = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
        title: 'Un tiers-lieu en montagne',
        speakers: [
          { name: 'Zoé Secret', email: 'zoe.secret@example.org', organisation: 'Cordée Cachée' },
        ],
      });
      const hidden = ['Zoé Secret', 'zoe.secret@example.org', 'Cordée Cachée'];
      const detail = `/api/v1/editions/${w.slug}/proposals/${proposal}`;

      const json = await w.reviewer.json('get', detail);
      expect(json.body).toMatchObject({ speakers: null, blindReview: true });
      const page = await w.reviewer.open(`/admin/editions/${w.slug}/proposals/${proposal}`);
      const list = await w.reviewer.json('get', `/api/v1/editions/${w.slug}/proposals`);
      const listPage = await w.reviewer.open(`/admin/editions/${w.slug}/proposals`);
      expect(page.status).toBe(200);
      for (const text of hidden)
        for (const body of [
          JSON.stringify(json.body),
          page.html,
          JSON.stringify(list.body),
          listPage.html,
        ])
          expect(body).not.toContain(text);
      expect((await listOf(w.reviewer, w.slug, '?q=Secret')).total).toBe(0);

      expect((await listOf(w.owner, w.slug, '?q=Secret')).total).toBe(1);
      const organiser = await w.owner.open(`/admin/editions/${w.slug}/proposals/${proposal}`);
      for (const text of hidden) expect(organiser.html).toContain(text);
    });

    it('shows speakers to reviewers when the review is not blind', async () => {
      const w = await world();
      const proposal = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
        speakers: [{ name: 'Zoé Visible', organisation: 'Cordée' }],
      });
      const page = await w.reviewer.open(`/admin/editions/${w.slug}/proposals/${proposal}`);
      expect(page.html).toContain('Zoé Visible');
      expect((await listOf(w.reviewer, w.slug, '?q=Visible')).total).toBe(1);
    });

    it('answers a reviewer of another edition 404, a volunteer 403', async () => {
      const w = await world();
      const proposal = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
      });
      const stranger = await createAccount(ds);
      await createEdition(ds, { members: { reviewer: stranger } });
      const other = await as(stranger);
      for (const [method, path, body] of [
        ['get', `/api/v1/editions/${w.slug}/proposals`, undefined],
        ['get', `/api/v1/editions/${w.slug}/proposals/${proposal}`, undefined],
        ['put', `/api/v1/editions/${w.slug}/proposals/${proposal}/review`, { scores: ALL_FIVE }],
        ['get', `/api/v1/editions/${w.slug}/review/next`, undefined],
      ] as const) {
        const res = await other.json(method, path, body);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(JSON.stringify(res.body)).not.toContain('Proposition');
        expect((await w.volunteer.json(method, path, body)).status).toBe(403);
      }
      expect((await other.open(`/admin/editions/${w.slug}/proposals/${proposal}`)).status).toBe(
        404,
      );
      expect((await w.volunteer.open(`/admin/editions/${w.slug}/proposals`)).status).toBe(403);
    });

    it('shows hostile HTML in a proposal as text on the pages', async () => {
      const w = await world();
      const proposal = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
        title: '<script>alert("t")</script>',
        abstract: '<img src=x onerror=alert(1)>',
        speakers: [{ name: '<b>Bold</b>', organisation: '<i>Org</i>' }],
        answers: { site: '<a href="javascript:alert(1)">x</a>' },
      });
      await w.reviewer.json('put', `/api/v1/editions/${w.slug}/proposals/${proposal}/review`, {
        scores: ALL_FIVE,
        comment: '<script>evil()</script>',
      });
      for (const path of [
        `/admin/editions/${w.slug}/proposals`,
        `/admin/editions/${w.slug}/proposals/${proposal}`,
      ]) {
        const page = await w.owner.open(path);
        expect(page.html).not.toContain('<script>alert');
        expect(page.html).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;');
      }
      const detail = (await w.owner.open(`/admin/editions/${w.slug}/proposals/${proposal}`)).html;
      for (const raw of ['<img src=x', '<b>Bold', '<i>Org', '<script>evil', '<a href="javascript'])
        expect(detail).not.toContain(raw);
      expect(detail).toContain('&lt;script&gt;evil()&lt;/script&gt;');
    });
  });

  describe('the list', () => {
    it('filters, searches, sorts, counts and pages in one query', async () => {
      const w = await world();
      const { atelier, tableRonde } = w.call.formats;
      const { sobriety, rural } = w.call.themes;
      const ids = {
        a: await createProposalFor(ds, w.editionId, {
          formatId: atelier,
          themeId: sobriety,
          title: 'Alpha coworking rural',
          submittedAt: new Date('2027-01-01T10:00:00Z'),
          speakers: [
            { name: 'Anne Alpha', stakeholderType: 'local_authority', territoryType: 'rural' },
          ],
        }),
        b: await createProposalFor(ds, w.editionId, {
          formatId: tableRonde,
          themeId: rural,
          title: 'Bravo',
          abstract: 'Des tiers-lieux partout',
          submittedAt: new Date('2027-01-02T10:00:00Z'),
          speakers: [
            { name: 'Bob', stakeholderType: 'company' },
            { name: 'Bea', stakeholderType: 'academic_researcher', territoryType: 'periurban' },
          ],
        }),
        c: await createProposalFor(ds, w.editionId, {
          formatId: atelier,
          title: 'Charlie',
          submittedAt: new Date('2027-01-03T10:00:00Z'),
        }),
        d: await createProposalFor(ds, w.editionId, {
          formatId: atelier,
          title: 'Delta',
          state: 'withdrawn',
          submittedAt: new Date('2027-01-04T10:00:00Z'),
        }),
      };
      await createProposalFor(ds, w.editionId, {
        formatId: atelier,
        title: 'Draft',
        state: 'draft',
      });
      const review = (b: Browser, id: string, scores: Record<string, number | null>) =>
        b.json('put', `/api/v1/editions/${w.slug}/proposals/${id}/review`, { scores });
      await review(w.reviewer, ids.a, { fit: 5, originality: 5, diversity: 5, feasibility: 5 });
      await review(w.reviewer2, ids.a, { fit: 3, originality: 3, diversity: 3, feasibility: 3 });
      await review(w.reviewer, ids.b, { fit: 1, originality: 1, diversity: 1, feasibility: 1 });
      await w.owner.json('post', `/api/v1/editions/${w.slug}/proposals/${ids.c}/assignments`, {
        reviewerId: w.accounts.reviewer.id,
      });

      const titles = async (query: string, who = w.reviewer) =>
        (await listOf(who, w.slug, query)).items.map((r) => r.title);

      const all = await listOf(w.reviewer, w.slug);
      expect(all.total).toBe(4);
      expect(all.byState).toEqual({ submitted: 3, withdrawn: 1 });
      expect(all.items.map((r) => r.title)).toEqual([
        'Delta',
        'Charlie',
        'Bravo',
        'Alpha coworking rural',
      ]);
      expect(all.items.find((r) => r.id === ids.a)).toMatchObject({
        mean: 4,
        spread: 2,
        reviewCount: 2,
        reviewedByMe: true,
      });
      expect(all.items.find((r) => r.id === ids.c)).toMatchObject({
        mean: null,
        spread: null,
        reviewCount: 0,
        assignedToMe: true,
      });

      const submitted = await listOf(w.reviewer, w.slug, '?state=submitted');
      expect(submitted.total).toBe(3);
      expect(submitted.byState).toEqual({ submitted: 3, withdrawn: 1 });
      expect(await titles('?format=table-ronde')).toEqual(['Bravo']);
      expect(await titles(`?theme=${sobriety}`)).toEqual(['Alpha coworking rural']);
      expect(await titles('?stakeholder=academic_researcher')).toEqual(['Bravo']);
      expect(await titles('?territory=rural')).toEqual(['Alpha coworking rural']);
      expect(await titles('?scoreMin=2')).toEqual(['Alpha coworking rural']);
      expect(await titles('?scoreMax=2')).toEqual(['Bravo']);
      expect(await titles('?reviewed=no&state=submitted')).toEqual(['Charlie']);
      expect(await titles('?reviewed=yes&sort=title')).toEqual(['Alpha coworking rural', 'Bravo']);
      expect(await titles('?assigned=me')).toEqual(['Charlie']);
      expect(await titles('?q=tiers-lieux')).toEqual(['Bravo']);
      expect(await titles('?q=anne')).toEqual(['Alpha coworking rural']);
      expect(await titles('?q=100%25')).toEqual([]);
      expect(await titles('?sort=score&dir=desc')).toEqual([
        'Alpha coworking rural',
        'Bravo',
        'Delta',
        'Charlie',
      ]);
      expect(await titles('?sort=reviews&dir=desc')).toEqual([
        'Alpha coworking rural',
        'Bravo',
        'Delta',
        'Charlie',
      ]);
      expect(await titles('?sort=title&perPage=2&page=2')).toEqual(['Charlie', 'Delta']);
      expect((await listOf(w.reviewer, w.slug, '?sort=title&perPage=2&page=2')).total).toBe(4);

      const bad = await w.reviewer.json(
        'get',
        `/api/v1/editions/${w.slug}/proposals?state=draft&sort=x&scoreMin=7`,
      );
      expect(bad.status).toBe(422);
      expect(Object.keys((bad.body as { fields: object }).fields).sort()).toEqual([
        'scoreMin',
        'sort',
        'state',
      ]);

      const page = await w.reviewer.open(
        `/admin/editions/${w.slug}/proposals?state=submitted&sort=score`,
      );
      expect(page.status).toBe(200);
      expect(page.html).toContain('Alpha coworking rural');
      expect(page.html).not.toContain('Delta');
      expect(page.html).toMatch(/Envoyée \(3\)/);
      const badPage = await w.reviewer.open(`/admin/editions/${w.slug}/proposals?scoreMin=9`);
      expect(badPage.status).toBe(422);
      expect(badPage.html).toContain('Alpha coworking rural');
      const english = await w.reviewer.open(`/admin/editions/${w.slug}/proposals?lang=en`);
      expect(english.html).toContain('Reviewed by me');
    });

    it('is reached from the edition page', async () => {
      const w = await world();
      const page = await w.reviewer.open(`/admin/editions/${w.slug}`);
      expect(page.html).toContain(`href="/admin/editions/${w.slug}/proposals"`);
    });
  });

  describe('assignments', () => {
    it('gives each proposal k reviewers, never their own organisation, with even loads', async () => {
      const w = await world({ reviewsPerProposal: 2 });
      const extra = [
        await createAccount(ds, { name: 'R3' }),
        await createAccount(ds, { name: 'R4' }),
      ];
      for (const account of extra)
        await ds.query(
          `INSERT INTO memberships (edition_id, account_id, role) VALUES ($1, $2, 'reviewer')`,
          [w.editionId, account.id],
        );
      const orgOf: Record<string, string> = {
        [w.accounts.reviewer.id]: 'La Cordée',
        [w.accounts.reviewer2.id]: 'Mairie de Lyon',
        [extra[0].id]: '',
        [extra[1].id]: 'Ellipse',
      };
      for (const [id, organisation] of Object.entries(orgOf)) {
        const res = await w.owner.json(
          'put',
          `/api/v1/editions/${w.slug}/reviewers/${id}/organisation`,
          {
            organisation,
          },
        );
        expect(res.status).toBe(204);
      }
      const speakerOrgs = ['  la cordée', 'MAIRIE DE  LYON', '', 'Ellipse', 'Autre', 'la cordée'];
      const proposals: string[] = [];
      for (let i = 0; i < 12; i += 1)
        proposals.push(
          await createProposalFor(ds, w.editionId, {
            formatId: w.call.formats.atelier,
            speakers: [{ organisation: speakerOrgs[i % speakerOrgs.length] }],
          }),
        );
      // One existing assignment by hand counts towards k.
      await w.owner.json(
        'post',
        `/api/v1/editions/${w.slug}/proposals/${proposals[4]}/assignments`,
        {
          reviewerId: w.accounts.reviewer.id,
        },
      );

      const res = await w.owner.json('post', `/api/v1/editions/${w.slug}/assignments/auto`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ k: 2, created: 23, unfilled: [] });

      const rows = await ds.query<
        { proposal_id: string; reviewer_id: string; organisation: string }[]
      >(
        `SELECT ra.proposal_id, ra.reviewer_id, s.organisation
           FROM review_assignments ra JOIN proposal_speakers s ON s.proposal_id = ra.proposal_id`,
      );
      const norm = (s: string) => s.toLowerCase().replace(/\s+/g, '');
      for (const row of rows) {
        const mine = norm(orgOf[row.reviewer_id]);
        if (mine) expect(norm(row.organisation)).not.toBe(mine);
      }
      for (const id of proposals) expect(rows.filter((r) => r.proposal_id === id)).toHaveLength(2);
      const loads = Object.keys(orgOf).map((id) => rows.filter((r) => r.reviewer_id === id).length);
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);

      const again = await w.owner.json('post', `/api/v1/editions/${w.slug}/assignments/auto`);
      expect(again.body).toMatchObject({ created: 0 });
      expect(
        (await w.reviewer.json('post', `/api/v1/editions/${w.slug}/assignments/auto`)).status,
      ).toBe(403);
    });

    it("assigns by hand, refusing a reviewer from a speaker's organisation, and unassigns", async () => {
      const w = await world();
      await w.owner.json(
        'put',
        `/api/v1/editions/${w.slug}/reviewers/${w.accounts.reviewer.id}/organisation`,
        {
          organisation: 'La Cordée',
        },
      );
      const own = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
        speakers: [{ organisation: 'LA CORDÉE' }],
      });
      const other = await createProposalFor(ds, w.editionId, { formatId: w.call.formats.atelier });
      const assign = (id: string, reviewerId: string) =>
        w.owner.json('post', `/api/v1/editions/${w.slug}/proposals/${id}/assignments`, {
          reviewerId,
        });

      const refused = await assign(own, w.accounts.reviewer.id);
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'assignment.own_organisation' });
      expect((await assign(other, w.accounts.volunteer.id)).body).toMatchObject({
        code: 'assignment.not_reviewer',
      });
      expect((await assign(other, w.accounts.reviewer.id)).status).toBe(204);
      expect((await listOf(w.reviewer, w.slug, '?assigned=me')).items.map((r) => r.id)).toEqual([
        other,
      ]);

      const page = await w.owner.open(`/admin/editions/${w.slug}/proposals/${other}`);
      expect(page.html).toContain('Rémi Relecteur');
      const removed = await w.owner.post(
        `/admin/editions/${w.slug}/proposals/${other}/assignments/${w.accounts.reviewer.id}/remove`,
        {},
        page.csrf,
      );
      expect(removed.status).toBe(303);
      expect((await listOf(w.reviewer, w.slug, '?assigned=me')).total).toBe(0);
    });

    it('runs from its page, where organisers also set organisations', async () => {
      const w = await world();
      await createProposalFor(ds, w.editionId, { formatId: w.call.formats.atelier });
      const page = await w.owner.open(`/admin/editions/${w.slug}/assignments`);
      expect(page.status).toBe(200);
      const saved = await w.owner.post(
        `/admin/editions/${w.slug}/reviewers/${w.accounts.reviewer.id}/organisation`,
        { organisation: 'Ellipse' },
        page.csrf,
      );
      expect(saved.status).toBe(303);
      const auto = await w.owner.post(`/admin/editions/${w.slug}/assignments/auto`, {}, page.csrf);
      expect(auto.status).toBe(303);
      expect(flashIn(auto)).toMatchObject({ kind: 'success', key: 'review.flash.auto_assigned' });
      const after = await w.owner.open(`/admin/editions/${w.slug}/assignments`);
      expect(after.html).toContain('value="Ellipse"');
      expect(await ds.query(`SELECT count(*)::int AS n FROM review_assignments`)).toEqual([
        { n: 2 },
      ]);
    });
  });

  describe('next proposal to review', () => {
    it('gives my assigned proposals first, then the fewest reviews, then nothing', async () => {
      const w = await world();
      const at = (minutes: number) => new Date(Date.UTC(2027, 0, 1, 10, minutes));
      const p1 = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
        submittedAt: at(1),
      });
      const p2 = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
        submittedAt: at(2),
      });
      const p3 = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
        submittedAt: at(3),
      });
      await w.reviewer2.json('put', `/api/v1/editions/${w.slug}/proposals/${p1}/review`, {
        scores: ALL_FIVE,
      });
      const next = async () =>
        (
          (await w.reviewer.json('get', `/api/v1/editions/${w.slug}/review/next`)).body as {
            proposal: { id: string } | null;
          }
        ).proposal?.id ?? null;

      expect(await next()).toBe(p2); // p2 and p3 have no review; p2 came first
      await w.owner.json('post', `/api/v1/editions/${w.slug}/proposals/${p1}/assignments`, {
        reviewerId: w.accounts.reviewer.id,
      });
      expect(await next()).toBe(p1); // assigned to me, even with more reviews
      for (const id of [p1, p2])
        await w.reviewer.json('put', `/api/v1/editions/${w.slug}/proposals/${id}/review`, {
          scores: ALL_FIVE,
        });
      expect(await next()).toBe(p3);
      const page = await w.reviewer.get(`/admin/editions/${w.slug}/review/next`);
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe(`/admin/editions/${w.slug}/proposals/${p3}`);
      await w.reviewer.json('put', `/api/v1/editions/${w.slug}/proposals/${p3}/review`, {
        scores: ALL_FIVE,
      });
      expect(await next()).toBeNull();
      const done = await w.reviewer.get(`/admin/editions/${w.slug}/review/next`);
      expect(done.headers.location).toBe(`/admin/editions/${w.slug}/proposals`);
      expect(flashIn(done)).toMatchObject({ key: 'review.flash.nothing_left' });
    });
  });

  describe('the review page', () => {
    it('scores with radio buttons and abstain, re-renders a missing score, then shows the review', async () => {
      const w = await world();
      const proposal = await createProposalFor(ds, w.editionId, {
        formatId: w.call.formats.atelier,
        answers: { motivation: 'Parce que.' },
      });
      await ds.query(
        `INSERT INTO call_questions (edition_id, key, kind, label_fr, label_en)
         VALUES ($1, 'motivation', 'long_text', 'Pourquoi vous ?', 'Why you?')`,
        [w.editionId],
      );
      const path = `/admin/editions/${w.slug}/proposals/${proposal}`;
      const page = await w.reviewer.open(path);
      expect(page.html).toContain('Pourquoi vous ?');
      expect(page.html).toContain('Parce que.');
      expect(page.html).toContain('name="scores.fit" value="5"');
      expect(page.html).toContain('name="scores.fit" value="abstain"');

      const missing = await w.reviewer.post(
        `${path}/review`,
        { 'scores.fit': '4', comment: 'Gardé' },
        page.csrf,
      );
      expect(missing.status).toBe(422);
      expect(missing.text).toContain('Donnez une note ou abstenez-vous.');
      expect(missing.text).toContain('Gardé');
      expect(missing.text).toMatch(/name="scores.fit" value="4" checked/);

      const saved = await w.reviewer.post(
        `${path}/review`,
        {
          'scores.fit': '4',
          'scores.originality': '3',
          'scores.diversity': 'abstain',
          'scores.feasibility': '5',
          comment: 'Solide',
        },
        page.csrf,
      );
      expect(saved.status).toBe(303);
      expect(flashIn(saved)).toMatchObject({ key: 'review.flash.saved' });
      const after = await w.reviewer.open(path);
      expect(after.html).toMatch(/data-testid="my-score">4<\/strong>/); // (2×4 + 3 + 5) / 4
      expect(after.html).toContain('Solide');
      const english = await w.reviewer.open(`${path}?lang=en`);
      expect(english.html).toContain('Why you?');
      expect(english.html).toContain('Change my review');
    });
  });

  describe('three reviewers, a hundred proposals', () => {
    it('reviews them all and the list shows mean, spread and count', async () => {
      const w = await world();
      const third = await createAccount(ds, { name: 'Troisième' });
      await ds.query(
        `INSERT INTO memberships (edition_id, account_id, role) VALUES ($1, $2, 'reviewer')`,
        [w.editionId, third.id],
      );
      const reviewers = [w.reviewer, w.reviewer2, await as(third)];
      await seedManyProposals(ds, w.editionId, w.call, 100);
      expect(
        (await w.owner.json('post', `/api/v1/editions/${w.slug}/assignments/auto`)).body,
      ).toMatchObject({
        created: 300,
      });

      // Each reviewer works through their assigned proposals, ten saves at a time.
      for (const [n, reviewer] of reviewers.entries()) {
        const mine = (await listOf(reviewer, w.slug, '?assigned=me&perPage=200')).items;
        expect(mine).toHaveLength(100);
        for (let start = 0; start < mine.length; start += 10) {
          const saved = await Promise.all(
            mine.slice(start, start + 10).map((row) => {
              const score = (Number(row.title.slice(-4)) + n) % 6;
              return reviewer.json('put', `/api/v1/editions/${w.slug}/proposals/${row.id}/review`, {
                scores: { fit: score, originality: score, diversity: score, feasibility: null },
              });
            }),
          );
          expect(saved.map((res) => res.status)).toEqual(saved.map(() => 201));
        }
        const next = await reviewer.json('get', `/api/v1/editions/${w.slug}/review/next`);
        expect(next.body).toEqual({ proposal: null });
      }

      const list = await listOf(w.owner, w.slug, '?sort=title&perPage=100');
      expect(list.total).toBe(100);
      for (const row of list.items) {
        const i = Number(row.title.slice(-4));
        const scores = [0, 1, 2].map((n) => (i + n) % 6);
        expect(row.reviewCount).toBe(3);
        expect(row.mean).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / 3, 3);
        expect(row.spread).toBe(Math.max(...scores) - Math.min(...scores));
      }
      const top = await listOf(w.owner, w.slug, '?sort=score&dir=desc&perPage=5');
      expect(top.items[0].mean).toBe(Math.max(...list.items.map((r) => r.mean ?? 0)));
    }, 180_000);
  });
});
