import type { AppConfig } from '@assises/config';
import { MailTemplates } from '@assises/mail';
import { DataSource } from 'typeorm';
import {
  createOpenCall,
  createQuestion,
  proposalInput,
  speakerInput,
} from '../factories/call.factory';
import { startApi, TestApi } from '../harness/app';
import { loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { CreatedAccount, DEFAULT_PASSWORD } from '../factories';

const DAY = 86_400_000;
const SUBMIT = '/api/v1/editions/lille-2027/proposals';

interface MailRow {
  id: string;
  recipient: string;
  template: string;
  purpose: string;
  status: string;
  not_before: Date;
  last_error: string | null;
  data: Record<string, string>;
}

describe('Proposals: answers, drafts, co-speakers, idempotency (JSON API)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;

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

  const mails = (where = 'true') =>
    ds.query<MailRow[]>(
      `SELECT * FROM outbox_messages WHERE ${where} ORDER BY recipient, template`,
    );

  /** The manage token in the link emailed for proposal `id` (received or draft-saved). */
  async function tokenOf(id: string): Promise<string> {
    const [mail] = await mails(
      `purpose IN ('proposal-received:${id}', 'proposal-draft-saved:${id}')`,
    );
    return new URL(mail.data.manageUrl).searchParams.get('token')!;
  }

  const post = (body: object, key?: string) => {
    const req = newBrowser(api).json('post', SUBMIT, body);
    return key ? req.set('Idempotency-Key', key) : req;
  };
  const withToken = (
    method: 'get' | 'patch' | 'post',
    path: string,
    token: string,
    body?: object,
  ) => newBrowser(api).json(method, path, body).set('Authorization', `Bearer ${token}`);

  describe('answers to custom questions', () => {
    async function callWithQuestions() {
      const call = await createOpenCall(ds);
      const id = call.edition.id;
      await createQuestion(ds, id, {
        key: 'transport',
        kind: 'single_choice',
        required: true,
        options: [
          { key: 'train', fr: 'Train', en: 'Train' },
          { key: 'car', fr: 'Voiture', en: 'Car' },
        ],
      });
      await createQuestion(ds, id, {
        key: 'pitch',
        kind: 'long_text',
        maxLength: 5,
        lengthUnit: 'words',
        position: 1,
      });
      await createQuestion(ds, id, {
        key: 'panel',
        kind: 'yes_no',
        required: true,
        formatKeys: ['table-ronde'],
        position: 2,
      });
      return call;
    }

    it('stores valid answers by key and shows them in the JSON view', async () => {
      const { formats } = await callWithQuestions();
      const res = await post(
        proposalInput(formats.get('atelier')!, {
          answers: { transport: 'train', pitch: 'Trois mots suffisent' },
        }),
      );
      expect(res.status).toBe(201);
      const id = res.body.id as string;
      const view = await withToken('get', `/api/v1/proposals/${id}`, await tokenOf(id));
      expect(view.body.answers).toEqual({ transport: 'train', pitch: 'Trois mots suffisent' });
    });

    it('refuses missing, unknown and out-of-bounds answers with fields answers.<key> (422), nothing stored', async () => {
      const { formats } = await callWithQuestions();
      const res = await post(
        proposalInput(formats.get('table-ronde')!, {
          speakers: [speakerInput(1), speakerInput(2), speakerInput(3)],
          answers: { pitch: 'un deux trois quatre cinq six', colour: 'blue' },
        }),
      );
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('proposal.invalid');
      expect(Object.keys(res.body.fields as object).sort()).toEqual([
        'answers.colour',
        'answers.panel',
        'answers.pitch',
        'answers.transport',
      ]);
      expect(await ds.query('SELECT id FROM proposals')).toEqual([]);
    });

    it('asks only the questions of the chosen format, and drops answers to the others', async () => {
      const { formats } = await callWithQuestions();
      const res = await post(
        proposalInput(formats.get('atelier')!, { answers: { transport: 'car', panel: true } }),
      );
      expect(res.status).toBe(201);
      const [row] = await ds.query<{ answers: object }[]>('SELECT answers FROM proposals');
      expect(row.answers).toEqual({ transport: 'car' });
    });

    it('refuses oversized texts (title, answers) with per-field messages', async () => {
      const { edition, formats } = await createOpenCall(ds);
      await createQuestion(ds, edition.id, { key: 'bio', kind: 'short_text' });
      const res = await post(
        proposalInput(formats.get('atelier')!, {
          abstract: 'a'.repeat(1001),
          answers: { bio: 'b'.repeat(501) },
        }),
      );
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.fields as object)).toContain('abstract');
      const again = await post(
        proposalInput(formats.get('atelier')!, { answers: { bio: 'b'.repeat(501) } }),
      );
      expect(again.body.fields).toEqual({
        'answers.bio': ['answers.bio must be at most 500 characters'],
      });
    });

    it('checks answers on edit too', async () => {
      const { formats } = await callWithQuestions();
      const res = await post(
        proposalInput(formats.get('atelier')!, { answers: { transport: 'car' } }),
      );
      const id = res.body.id as string;
      const token = await tokenOf(id);
      const bad = await withToken('patch', `/api/v1/proposals/${id}`, token, {
        answers: { transport: 'plane' },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.fields).toHaveProperty(['answers.transport']);
      const ok = await withToken('patch', `/api/v1/proposals/${id}`, token, {
        answers: { transport: 'train', pitch: 'Court' },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.answers).toEqual({ transport: 'train', pitch: 'Court' });
    });
  });

  describe('drafts', () => {
    const draftInput = (formatId: string, over: Record<string, unknown> = {}) => ({
      draft: true,
      formatId,
      speakers: [{ name: 'Camille Martin', email: 'camille@example.org' }],
      ...over,
    });

    it("needs only the format and the submitter's name and email; mails the manage link", async () => {
      const { formats } = await createOpenCall(ds);
      const res = await post(draftInput(formats.get('table-ronde')!));
      expect(res.status).toBe(201);
      const id = res.body.id as string;
      const [row] = await ds.query<Record<string, unknown>[]>(
        'SELECT state, title, submitted_at FROM proposals WHERE id = $1',
        [id],
      );
      expect(row).toEqual({ state: 'draft', title: '', submitted_at: null });
      const saved = await mails(`template = 'proposal-draft-saved'`);
      expect(saved.map((m) => m.recipient)).toEqual(['camille@example.org']);
      expect(saved[0].data.manageUrl).toContain(`/proposals/${id}?token=`);
      expect(
        await ds.query(`SELECT action, to_state FROM audit_events WHERE subject_id = $1`, [id]),
      ).toEqual([{ action: 'save_draft', to_state: 'draft' }]);
      expect(
        (await post(draftInput(formats.get('atelier')!, { speakers: [{ name: 'X' }] }))).status,
      ).toBe(422);
    });

    it('stages one reminder N days before the deadline, moved when the closing date moves', async () => {
      const { edition, formats, members } = await createOpenCall(ds, {
        closes: 20 * DAY,
        reminderDays: 4,
      });
      const res = await post(draftInput(formats.get('atelier')!, { title: 'Brouillon' }));
      const id = res.body.id as string;
      const [reminder] = await mails(`purpose = 'draft-reminder:${id}'`);
      const [call] = await ds.query<{ closes_at: Date }[]>('SELECT closes_at FROM calls');
      expect(reminder).toMatchObject({ template: 'proposal-draft-reminder', status: 'pending' });
      expect(reminder.not_before.getTime()).toBe(call.closes_at.getTime() - 4 * DAY);

      // The organisers move the closing date a week later: the reminder follows.
      const owner = await loginJson(api, (members.owner as CreatedAccount).email, DEFAULT_PASSWORD);
      const later = new Date(call.closes_at.getTime() + 7 * DAY);
      const put = await owner.json('put', '/api/v1/editions/lille-2027/call', {
        opensAt: new Date(Date.now() - DAY).toISOString(),
        closesAt: later.toISOString(),
      });
      expect(put.status).toBe(200);
      const [moved] = await mails(`purpose = 'draft-reminder:${id}'`);
      expect(moved.not_before.getTime()).toBe(later.getTime() - 4 * DAY);

      // A format's own deadline moves it too.
      const [atelier] = await ds.query<{ id: string }[]>(
        `SELECT id FROM call_formats WHERE edition_id = $1 AND key = 'atelier'`,
        [edition.id],
      );
      const deadline = new Date(Date.now() + 10 * DAY);
      deadline.setUTCSeconds(0, 0);
      const patch = await owner.json(
        'patch',
        `/api/v1/editions/lille-2027/call/formats/${atelier.id}`,
        {
          deadline: deadline.toISOString(),
        },
      );
      expect(patch.status).toBe(200);
      const [again] = await mails(`purpose = 'draft-reminder:${id}'`);
      expect(again.not_before.getTime()).toBe(deadline.getTime() - 4 * DAY);
      expect(again.data.proposalTitle).toBe('Brouillon');
    });

    it('keeps a reminder whose time has passed asleep, and wakes it if the deadline moves later', async () => {
      const { formats, members } = await createOpenCall(ds, { closes: 2 * DAY, reminderDays: 3 });
      const id = (await post(draftInput(formats.get('atelier')!))).body.id as string;
      const [asleep] = await mails(`purpose = 'draft-reminder:${id}'`);
      expect(asleep).toMatchObject({ status: 'cancelled', last_error: 'reminder-too-late' });
      const owner = await loginJson(api, (members.owner as CreatedAccount).email, DEFAULT_PASSWORD);
      await owner.json('put', '/api/v1/editions/lille-2027/call', {
        opensAt: new Date(Date.now() - DAY).toISOString(),
        closesAt: new Date(Date.now() + 10 * DAY).toISOString(),
      });
      const [awake] = await mails(`purpose = 'draft-reminder:${id}'`);
      expect(awake.status).toBe('pending');
      expect(awake.not_before.getTime()).toBeGreaterThan(Date.now() + 6 * DAY);
    });

    it('submits a draft only once complete; then cancels its reminder and mails everyone', async () => {
      const { formats } = await createOpenCall(ds);
      const id = (
        await post(
          draftInput(formats.get('atelier')!, {
            speakers: [
              { name: 'Camille Martin', email: 'camille@example.org' },
              { name: 'Jules', email: 'jules@example.org' },
            ],
          }),
        )
      ).body.id as string;
      const token = await tokenOf(id);
      const incomplete = await withToken('post', `/api/v1/proposals/${id}/submit`, token);
      expect(incomplete.status).toBe(422);
      expect(Object.keys(incomplete.body.fields as object).sort()).toEqual([
        'abstract',
        'speakers.0.stakeholderType',
        'speakers.0.territoryType',
        'speakers.1.stakeholderType',
        'speakers.1.territoryType',
        'title',
      ]);
      const filled = await withToken('patch', `/api/v1/proposals/${id}`, token, {
        title: 'Fini',
        abstract: 'Résumé',
        language: 'fr',
        speakers: [
          speakerInput(1, { name: 'Camille Martin', email: 'camille@example.org' }),
          speakerInput(2, { name: 'Jules', email: 'jules@example.org' }),
        ],
      });
      expect(filled.status).toBe(200);
      expect(filled.body.state).toBe('draft');
      const done = await withToken('post', `/api/v1/proposals/${id}/submit`, token);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ state: 'submitted', title: 'Fini' });
      const [reminder] = await mails(`purpose = 'draft-reminder:${id}'`);
      expect(reminder.status).toBe('cancelled');
      const sent = await mails(`template IN ('proposal-received', 'speaker-confirmation')`);
      expect(sent.map((m) => [m.recipient, m.template])).toEqual([
        ['camille@example.org', 'proposal-received'],
        ['jules@example.org', 'speaker-confirmation'],
      ]);
      expect((await withToken('post', `/api/v1/proposals/${id}/submit`, token)).status).toBe(409);
    });

    it("follows the draft's edits: a new title and a new submitter address", async () => {
      const { formats } = await createOpenCall(ds);
      const id = (await post(draftInput(formats.get('atelier')!))).body.id as string;
      const token = await tokenOf(id);
      const res = await withToken('patch', `/api/v1/proposals/${id}`, token, {
        title: 'Nouveau titre',
        speakers: [{ name: 'Camille M.', email: 'Camille.Martin@example.org' }],
      });
      expect(res.status).toBe(200);
      const [reminder] = await mails(`purpose = 'draft-reminder:${id}'`);
      expect(reminder).toMatchObject({
        recipient: 'camille.martin@example.org',
        status: 'pending',
        data: expect.objectContaining({
          proposalTitle: 'Nouveau titre',
          submitterName: 'Camille M.',
        }),
      });
    });

    it('cancels the reminder when the draft is withdrawn', async () => {
      const { formats } = await createOpenCall(ds);
      const id = (await post(draftInput(formats.get('atelier')!))).body.id as string;
      const token = await tokenOf(id);
      const res = await newBrowser(api)
        .json('delete', `/api/v1/proposals/${id}`)
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(204);
      const [reminder] = await mails(`purpose = 'draft-reminder:${id}'`);
      expect(reminder.status).toBe('cancelled');
    });

    it('renders both draft templates with hostile text escaped', () => {
      const templates = api.app.get(MailTemplates);
      for (const name of ['proposal-draft-saved', 'proposal-draft-reminder'])
        for (const locale of ['fr', 'en'] as const) {
          const mail = templates.render(
            name,
            locale,
            { ...templates.sample(name), proposalTitle: '<script>alert(1)</script>' },
            { publicUrl: config.publicUrl, unsubscribeUrl: null },
          );
          expect(mail.html).not.toContain('<script>alert');
          expect(mail.html).toContain('&lt;script&gt;');
        }
    });
  });

  describe('co-speakers added after submission', () => {
    it('adds one within the format maximum, emails them, audits it', async () => {
      const { formats } = await createOpenCall(ds);
      const res = await post(
        proposalInput(formats.get('temoignage')!, { speakers: [speakerInput(1)] }),
      );
      const id = res.body.id as string;
      const token = await tokenOf(id);
      const added = await withToken(
        'post',
        `/api/v1/proposals/${id}/speakers`,
        token,
        speakerInput(2),
      );
      expect(added.status).toBe(201);
      expect((added.body.speakers as unknown[]).length).toBe(2);
      const [mail] = await mails(`template = 'speaker-confirmation'`);
      expect(mail.recipient).toBe('speaker2@example.org');
      expect(
        await ds.query(
          `SELECT action FROM audit_events WHERE subject_id = $1 ORDER BY created_at`,
          [id],
        ),
      ).toEqual([{ action: 'submit' }, { action: 'add_speaker' }]);

      const full = await withToken(
        'post',
        `/api/v1/proposals/${id}/speakers`,
        token,
        speakerInput(3),
      );
      expect(full.status).toBe(409);
      expect(full.body.code).toBe('proposal.speakers_full');
    });

    it('takes one place at a time under parallel requests', async () => {
      const { formats } = await createOpenCall(ds);
      const id = (
        await post(proposalInput(formats.get('temoignage')!, { speakers: [speakerInput(1)] }))
      ).body.id as string;
      const token = await tokenOf(id);
      const results = await Promise.all(
        [2, 3, 4].map((n) =>
          withToken('post', `/api/v1/proposals/${id}/speakers`, token, speakerInput(n)),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      const [{ n }] = await ds.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM proposal_speakers WHERE proposal_id = $1',
        [id],
      );
      expect(n).toBe(2);
    });

    it('refuses a speaker already there, or without stakeholder type', async () => {
      const { formats } = await createOpenCall(ds);
      const id = (await post(proposalInput(formats.get('atelier')!))).body.id as string;
      const token = await tokenOf(id);
      const twice = await withToken(
        'post',
        `/api/v1/proposals/${id}/speakers`,
        token,
        speakerInput(2),
      );
      expect(twice.status).toBe(409);
      const partial = await withToken('post', `/api/v1/proposals/${id}/speakers`, token, {
        name: 'Sans type',
        email: 'nt@example.org',
      });
      expect(partial.status).toBe(422);
      expect(Object.keys(partial.body.fields as object).sort()).toEqual([
        'speaker.stakeholderType',
        'speaker.territoryType',
      ]);
    });
  });

  it('documents the new routes in the OpenAPI document', async () => {
    const res = await newBrowser(api).json('get', '/api/docs-json');
    const paths = Object.keys((res.body as { paths: object }).paths);
    for (const path of [
      '/api/v1/proposals/{id}/submit',
      '/api/v1/proposals/{id}/speakers',
      '/api/v1/editions/{slug}/call/settings',
      '/api/v1/editions/{slug}/call/formats',
      '/api/v1/editions/{slug}/call/themes/{themeId}',
      '/api/v1/editions/{slug}/call/questions/order',
    ])
      expect(paths).toContain(path);
    const schemas = (
      res.body as { components: { schemas: Record<string, { properties: object }> } }
    ).components.schemas;
    expect(Object.keys(schemas.SubmitProposalDto.properties)).toEqual(
      expect.arrayContaining(['answers', 'draft']),
    );
  });

  describe('Idempotency-Key', () => {
    it('refuses the same key with another body (422 idempotency.mismatch), returns the first for the same body', async () => {
      const { formats } = await createOpenCall(ds);
      const body = proposalInput(formats.get('atelier')!);
      const first = await post(body, 'retry-42');
      expect(first.status).toBe(201);
      // Same content, keys in another order: the same request.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const same = await post(reordered, 'retry-42');
      expect(same.status).toBe(201);
      expect(same.body.id).toBe(first.body.id);
      const other = await post({ ...body, title: 'Un autre titre' }, 'retry-42');
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('idempotency.mismatch');
      expect(await ds.query('SELECT count(*)::int AS n FROM proposals')).toEqual([{ n: 1 }]);
      const [row] = await ds.query<{ idempotency_fingerprint: string }[]>(
        'SELECT idempotency_fingerprint FROM proposals',
      );
      expect(row.idempotency_fingerprint).toMatch(/^[0-9a-f]{64}$/);
    });
  });
});
