import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { DataSource } from 'typeorm';
import { createAccount, createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, startWorker, TestApi, TestWorker } from '../harness/app';
import { Browser, flashIn, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { outboxRows } from '../harness/outbox';
import { SmtpSink, startSmtpSink } from '../harness/smtp';
import { eventually } from '../harness/wait';

const DAY = 86_400_000;
const SLUG = 'lille-2027';
const HOSTILE = '<script>alert("x")</script>';

interface Speaker {
  email: string;
  name: string;
  organisation?: string;
  stakeholderType: string;
  territoryType: string;
}

describe('Decisions', () => {
  let db: TestDatabase;
  let sink: SmtpSink;
  let config: AppConfig;
  let api: TestApi;
  let worker: TestWorker;
  let ds: DataSource;
  let owner: CreatedAccount;
  let reviewer: CreatedAccount;
  let outsider: CreatedAccount;
  let formats: Map<string, string>;
  let editionId: string;
  let serial = 0;

  const as = (account: CreatedAccount) => loginJson(api, account.email, DEFAULT_PASSWORD);

  const speaker = (over: Partial<Speaker> = {}): Speaker => {
    serial += 1;
    return {
      email: `speaker${serial}@example.org`,
      name: `Speaker ${serial}`,
      organisation: 'La Gare numérique',
      stakeholderType: 'project_holder',
      territoryType: 'rural',
      ...over,
    };
  };

  /** Submits through the public API, as a contributor does; returns the proposal's id. */
  async function submit(
    over: { format?: string; speakers?: Speaker[]; title?: string; locale?: 'fr' | 'en' } = {},
  ): Promise<string> {
    const res = await newBrowser(api).json('post', `/api/v1/editions/${SLUG}/proposals`, {
      abstract: 'Comment une gare désaffectée est devenue un tiers-lieu.',
      formatId: formats.get(over.format ?? 'atelier'),
      language: 'fr',
      locale: over.locale ?? 'fr',
      speakers: over.speakers ?? [speaker()],
      title: over.title ?? `Proposition ${(serial += 1)}`,
    });
    expect(res.status).toBe(201);
    return (res.body as { id: string }).id;
  }

  const decide = async (
    browser: Browser,
    id: string,
    decision: string | null,
    note?: string,
    slug = SLUG,
  ) => browser.json('put', `/api/v1/editions/${slug}/proposals/${id}/decision`, { decision, note });

  const stateOf = async (id: string) =>
    (
      await ds.query<
        { state: string; pending_decision: string | null; confirmed_at: Date | null }[]
      >('SELECT state, pending_decision, confirmed_at FROM proposals WHERE id = $1', [id])
    )[0];

  /** The confirmation token in the acceptance email of `id`. */
  async function confirmToken(id: string): Promise<string> {
    const [row] = await ds.query<{ data: { confirmUrl: string } }[]>(
      `SELECT data FROM outbox_messages WHERE purpose = $1 LIMIT 1`,
      [`decision:${id}:accept`],
    );
    const url = new URL(row.data.confirmUrl);
    expect(url.pathname).toBe(`/proposals/${id}/confirm`);
    return url.searchParams.get('token')!;
  }

  /** Emails of the decisions (not the submission receipts), as the SMTP sink received them. */
  const decisionMails = () =>
    sink.messages.filter((m) =>
      /^(Proposition retenue|Votre proposition|Proposition en liste|Proposal accepted|Your proposal|Proposal on the backup)/.test(
        m.subject,
      ),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpSink();
    config = testConfig(db.url, { SMTP_URL: sink.url, TRUST_PROXY: 'true' });
    api = await startApi(config);
    worker = await startWorker(config);
    ds = api.app.get(DataSource);
  });

  beforeEach(async () => {
    const { edition, members } = await createEdition(ds, {
      slug: SLUG,
      status: EditionStatus.Announced,
      members: { owner: {}, reviewer: {} },
    });
    editionId = edition.id;
    owner = members.owner as CreatedAccount;
    reviewer = members.reviewer as CreatedAccount;
    outsider = await createAccount(ds);
    await createEdition(ds, { slug: 'elsewhere-2027', members: { organiser: outsider } });
    const now = Date.now();
    await ds.query(
      `INSERT INTO calls (edition_id, opens_at, closes_at, confirmation_reminder_days)
       VALUES ($1, $2, $3, 5)`,
      [edition.id, new Date(now - DAY), new Date(now + 30 * DAY)],
    );
    formats = new Map();
    for (const [position, [key, min, max]] of (
      [
        ['atelier', 1, 4],
        ['table-ronde', 3, 6],
      ] as const
    ).entries()) {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO call_formats (edition_id, key, name_fr, name_en, default_duration_minutes,
           min_speakers, max_speakers, position)
         VALUES ($1, $2, $3, $4, 60, $5, $6, $7) RETURNING id`,
        [
          edition.id,
          key,
          key === 'atelier' ? 'Atelier' : 'Table ronde',
          key === 'atelier' ? 'Workshop' : 'Round table',
          min,
          max,
          position,
        ],
      );
      formats.set(key, id);
    }
  });

  afterEach(async () => {
    // Let the worker finish what it was sending before the rows go.
    await eventually(
      async () =>
        (
          await ds.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'sending'
             OR (status = 'pending' AND not_before <= now())`,
          )
        )[0].n === 0,
      { what: 'the outbox to settle' },
    );
    await truncateAll(ds);
    sink.reset();
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  describe('deciding quietly and releasing', () => {
    it('keeps decisions pending, then releases them in one batch with emails in each submitter’s language', async () => {
      const organiser = await as(owner);
      const fr = [speaker(), speaker()];
      const accepted = await submit({ speakers: fr, title: 'Un tiers-lieu dans une gare' });
      const en = speaker();
      const rejected = await submit({
        speakers: [en],
        locale: 'en',
        title: 'Remote work in villages',
      });
      const backupSpeaker = speaker();
      const backup = await submit({ speakers: [backupSpeaker], title: 'Coworking et mobilité' });

      const put = await decide(organiser, accepted, 'accept', `Bravo ${HOSTILE}`);
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({
        id: accepted,
        state: 'submitted',
        pendingDecision: 'accept',
      });
      const batch = await organiser.json('post', `/api/v1/editions/${SLUG}/decisions`, {
        decisions: [
          { proposalId: rejected, decision: 'reject' },
          { proposalId: backup, decision: 'keep_as_backup' },
        ],
      });
      expect(batch.status).toBe(200);

      // Nothing has moved nor been sent: the decisions are pending, and unseen by contributors.
      const [receipt] = await ds.query<{ data: { manageUrl: string } }[]>(
        `SELECT data FROM outbox_messages WHERE purpose = $1`,
        [`proposal-received:${accepted}`],
      );
      const manageToken = new URL(receipt.data.manageUrl).searchParams.get('token')!;
      const seen = await newBrowser(api)
        .json('get', `/api/v1/proposals/${accepted}`)
        .set('Authorization', `Bearer ${manageToken}`);
      expect(seen.body).toMatchObject({ state: 'submitted' });
      expect(JSON.stringify(seen.body)).not.toMatch(/accept|Bravo/);
      expect(await stateOf(accepted)).toMatchObject({
        state: 'submitted',
        pending_decision: 'accept',
      });
      expect(
        await outboxRows(ds, `template LIKE 'proposal-%' AND template <> 'proposal-received'`),
      ).toEqual([]);
      const audit = await ds.query<
        { action: string; actor_id: string; data: { decision: string } }[]
      >(
        `SELECT action, actor_id, data FROM audit_events WHERE subject_id = $1 AND action = 'decide'`,
        [accepted],
      );
      expect(audit).toEqual([
        expect.objectContaining({
          actor_id: owner.id,
          data: expect.objectContaining({ decision: 'accept' }),
        }),
      ]);

      // The page shows the counts and asks before releasing.
      const browser = newBrowser(api);
      await browser.signIn(owner.email, DEFAULT_PASSWORD);
      const board = await browser.open(`/admin/editions/${SLUG}/decisions`);
      expect(board.status).toBe(200);
      expect(board.html).toContain('Publier 3 décision(s)');
      const confirmPage = await browser.open(`/admin/editions/${SLUG}/decisions/release`);
      expect(confirmPage.html).toContain('Oui, publier 3 décision(s)');
      const released = await browser.post(
        `/admin/editions/${SLUG}/decisions/release`,
        {},
        confirmPage.csrf,
      );
      expect(released.status).toBe(303);
      expect(flashIn(released)).toMatchObject({ kind: 'success', key: 'decisions.flash.released' });

      expect(await stateOf(accepted)).toMatchObject({ state: 'accepted', pending_decision: null });
      expect(await stateOf(rejected)).toMatchObject({ state: 'rejected', pending_decision: null });
      expect(await stateOf(backup)).toMatchObject({ state: 'backup', pending_decision: null });
      const transitions = await ds.query<
        { action: string; from_state: string; to_state: string; actor_id: string }[]
      >(
        `SELECT action, from_state, to_state, actor_id FROM audit_events
          WHERE subject_id = ANY($1::uuid[]) AND to_state IS NOT NULL AND action <> 'submit' ORDER BY action`,
        [[accepted, rejected, backup]],
      );
      expect(transitions).toEqual([
        { action: 'accept', from_state: 'submitted', to_state: 'accepted', actor_id: owner.id },
        {
          action: 'keep_as_backup',
          from_state: 'submitted',
          to_state: 'backup',
          actor_id: owner.id,
        },
        { action: 'reject', from_state: 'submitted', to_state: 'rejected', actor_id: owner.id },
      ]);

      await eventually(() => decisionMails().length >= 4 && decisionMails(), {
        what: '4 decision emails',
      });
      const to = (address: string) =>
        decisionMails().filter((m) => m.envelope.to.includes(address));
      for (const s of fr) {
        const [mail] = to(s.email);
        expect(mail.subject).toBe('Proposition retenue : Un tiers-lieu dans une gare');
        expect(mail.text).toContain(`/proposals/${accepted}/confirm?token=`);
        expect(mail.html).toContain('&lt;script&gt;');
        expect(mail.html).not.toContain(HOSTILE);
      }
      expect(to(en.email).map((m) => m.subject)).toEqual([
        'Your proposal: Remote work in villages',
      ]);
      expect(to(en.email)[0].text).toContain('could not select yours');
      expect(to(backupSpeaker.email).map((m) => m.subject)).toEqual([
        "Proposition en liste d'attente : Coworking et mobilité",
      ]);
    });

    it('sends a backup its acceptance at the next release', async () => {
      const organiser = await as(owner);
      const s = speaker();
      const id = await submit({ speakers: [s], title: 'En réserve' });
      await decide(organiser, id, 'keep_as_backup');
      expect(
        (await organiser.json('post', `/api/v1/editions/${SLUG}/decisions/release`)).body,
      ).toMatchObject({ released: 1, backup: 1 });
      await decide(organiser, id, 'accept', 'Une place s’est libérée.');
      const second = await organiser.json('post', `/api/v1/editions/${SLUG}/decisions/release`);
      expect(second.body).toMatchObject({ released: 1, accepted: 1, emails: 1 });
      expect(await stateOf(id)).toMatchObject({ state: 'accepted' });
      await eventually(() => sink.to(s.email).length >= 3 && sink.to(s.email), {
        what: 'receipt, backup and acceptance',
      });
      expect(
        sink
          .to(s.email)
          .map((m) => m.subject)
          .slice(1)
          .sort(),
      ).toEqual([
        "Proposition en liste d'attente : En réserve",
        'Proposition retenue : En réserve',
      ]);
    });

    it('releases each decision once and sends each email once when two releases run at once', async () => {
      const organiser = await as(owner);
      const ids: string[] = [];
      for (let i = 0; i < 6; i += 1) ids.push(await submit({ speakers: [speaker(), speaker()] }));
      const batch = await organiser.json('post', `/api/v1/editions/${SLUG}/decisions`, {
        decisions: ids.map((proposalId, i) => ({
          proposalId,
          decision: i % 2 ? 'accept' : 'reject',
        })),
      });
      expect(batch.status).toBe(200);
      const second = await as(owner);

      const answers = await Promise.all(
        [organiser, second, organiser, second].map((b) =>
          b.json('post', `/api/v1/editions/${SLUG}/decisions/release`),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect(answers.reduce((sum, a) => sum + (a.body as { released: number }).released, 0)).toBe(
        6,
      );

      const audit = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM audit_events WHERE action IN ('accept', 'reject') AND subject_id = ANY($1::uuid[])`,
        [ids],
      );
      expect(audit[0].n).toBe(6);
      const rows = await outboxRows(ds, `template IN ('proposal-accepted', 'proposal-rejected')`);
      expect(rows).toHaveLength(12);
      await eventually(() => decisionMails().length >= 12, { what: '12 decision emails' });
      // Give a duplicate every chance to arrive, then count.
      await eventually(
        async () =>
          (
            await outboxRows(
              ds,
              `template IN ('proposal-accepted', 'proposal-rejected') AND status <> 'sent'`,
            )
          ).length === 0,
      );
      expect(decisionMails()).toHaveLength(12);
      expect(sink.duplicates()).toBe(0);
    });
  });

  describe('decisions and releases at the same time', () => {
    it('answer every request, and each decision is either released once or still pending', async () => {
      const organiser = await as(owner);
      const other = await as(owner);
      const ids: string[] = [];
      for (let i = 0; i < 8; i += 1) ids.push(await submit());
      const batch = (list: string[], decision: string) =>
        other.json('post', `/api/v1/editions/${SLUG}/decisions`, {
          decisions: list.map((proposalId) => ({ proposalId, decision })),
        });
      await batch(ids.slice(0, 4), 'accept');

      const answers = await Promise.all([
        organiser.json('post', `/api/v1/editions/${SLUG}/decisions/release`),
        batch([...ids.slice(4)].reverse(), 'reject'),
        organiser.json('post', `/api/v1/editions/${SLUG}/decisions/release`),
        batch(ids.slice(4, 6), 'reject'),
      ]);
      // A batch may find a proposal already released (409): never a deadlock or a 500.
      for (const answer of answers) expect([200, 409]).toContain(answer.status);
      const rows = await ds.query<{ state: string; pending_decision: string | null }[]>(
        `SELECT state, pending_decision FROM proposals WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      for (const row of rows)
        expect(
          (row.state === 'submitted' && row.pending_decision !== null) ||
            (['accepted', 'rejected'].includes(row.state) && row.pending_decision === null),
        ).toBe(true);
      const released = await ds.query<{ subject_id: string; n: number }[]>(
        `SELECT subject_id, count(*)::int AS n FROM audit_events
          WHERE action IN ('accept', 'reject') AND subject_id = ANY($1::uuid[]) GROUP BY subject_id`,
        [ids],
      );
      expect(released.every((r) => r.n === 1)).toBe(true);
      expect(released.length).toBeGreaterThanOrEqual(4);
    });
  });

  describe('confirmation by the accepted speakers', () => {
    async function acceptedPair() {
      const organiser = await as(owner);
      const first = await submit({ speakers: [speaker(), speaker()], title: 'Première' });
      const second = await submit({ title: 'Seconde' });
      await decide(organiser, first, 'accept');
      await decide(organiser, second, 'accept');
      await organiser.json('post', `/api/v1/editions/${SLUG}/decisions/release`);
      return { first, second };
    }

    it('confirms through the page (CSRF), cancels its reminders, keeps the others’', async () => {
      const before = Date.now();
      const { first, second } = await acceptedPair();
      const reminders = await outboxRows(ds, `template = 'proposal-confirmation-reminder'`);
      expect(reminders).toHaveLength(3);
      for (const r of reminders) {
        expect(r.status).toBe('pending');
        // confirmation_reminder_days = 5 in this call.
        expect(r.not_before.getTime()).toBeGreaterThanOrEqual(before + 5 * DAY - 1000);
        expect(r.not_before.getTime()).toBeLessThan(Date.now() + 5 * DAY + 1000);
      }

      const token = await confirmToken(first);
      const visitor = newBrowser(api);
      const page = await visitor.open(`/proposals/${first}/confirm?token=${token}`);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Première');
      expect(page.html).toContain('Nous ne pourrons pas venir');
      expect(
        (await visitor.post(`/proposals/${first}/confirm?token=${token}`, {}, null)).status,
      ).toBe(403);
      const posted = await visitor.post(
        `/proposals/${first}/confirm?token=${token}`,
        {},
        page.csrf,
      );
      expect(posted.status).toBe(303);

      expect(await stateOf(first)).toMatchObject({
        state: 'confirmed',
        confirmed_at: expect.any(Date),
      });
      const [audit] = await ds.query<{ from_state: string; to_state: string }[]>(
        `SELECT from_state, to_state FROM audit_events WHERE subject_id = $1 AND action = 'confirm'`,
        [first],
      );
      expect(audit).toEqual({ from_state: 'accepted', to_state: 'confirmed' });
      const after = await outboxRows(ds, `template = 'proposal-confirmation-reminder'`);
      expect(
        after.filter((r) => r.purpose === `confirmation-reminder:${first}`).map((r) => r.status),
      ).toEqual(['cancelled', 'cancelled']);
      expect(
        after.filter((r) => r.purpose === `confirmation-reminder:${second}`).map((r) => r.status),
      ).toEqual(['pending']);

      // Again through the JSON API: harmless, same answer.
      const again = await newBrowser(api)
        .json('post', `/api/v1/proposals/${first}/confirm`)
        .set('Authorization', `Bearer ${token}`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ id: first, state: 'confirmed' });
      expect((await visitor.open(`/proposals/${first}/confirm?token=${token}`)).html).toContain(
        'participation est confirmée',
      );
    });

    it('reminds only the accepted speakers who have not confirmed, in their language', async () => {
      const organiser = await as(owner);
      const confirming = speaker();
      const silent = speaker();
      const first = await submit({ speakers: [confirming], title: 'Confirmée' });
      const second = await submit({ speakers: [silent], locale: 'en', title: 'Silent one' });
      await decide(organiser, first, 'accept');
      await decide(organiser, second, 'accept');
      await organiser.json('post', `/api/v1/editions/${SLUG}/decisions/release`);
      const confirmed = await newBrowser(api)
        .json('post', `/api/v1/proposals/${first}/confirm`)
        .set('Authorization', `Bearer ${await confirmToken(first)}`);
      expect(confirmed.body).toEqual({ id: first, state: 'confirmed' });

      // The reminder's day comes: the outbox sweep sends what is still pending.
      await ds.query(
        `UPDATE outbox_messages SET not_before = now() - interval '1 minute'
          WHERE template = 'proposal-confirmation-reminder' AND status = 'pending'`,
      );
      const [reminder] = await eventually(
        () => {
          const found = sink.to(silent.email).filter((m) => m.subject.startsWith('Reminder'));
          return found.length > 0 && found;
        },
        { what: 'the confirmation reminder' },
      );
      expect(reminder.subject).toBe('Reminder: please confirm your participation (Silent one)');
      expect(reminder.text).toContain(`/proposals/${second}/confirm?token=`);
      // The worker marks the row sent just after the sink accepted the message.
      const rows = await eventually(async () => {
        const found = await outboxRows(ds, `template = 'proposal-confirmation-reminder'`);
        return found.every((r) => r.status !== 'sending') && found;
      });
      expect(rows.map((r) => [r.recipient, r.status]).sort()).toEqual(
        [
          [confirming.email, 'cancelled'],
          [silent.email, 'sent'],
        ].sort(),
      );
      expect(sink.to(confirming.email).filter((m) => /Rappel|Reminder/.test(m.subject))).toEqual(
        [],
      );
    });

    it('lets speakers decline through the page (CSRF), which then says so', async () => {
      const { first } = await acceptedPair();
      const token = await confirmToken(first);
      const visitor = newBrowser(api);
      const page = await visitor.open(`/proposals/${first}/confirm?token=${token}&lang=en`);
      expect(page.html).toContain('We will not be able to come');
      const declined = await visitor.post(
        `/proposals/${first}/decline?token=${token}`,
        {},
        page.csrf,
      );
      expect(declined.status).toBe(303);
      expect(flashIn(declined)).toMatchObject({ key: 'decisions.flash.declined' });
      expect(await stateOf(first)).toMatchObject({ state: 'withdrawn', confirmed_at: null });
      const after = await visitor.open(`/proposals/${first}/confirm?token=${token}`);
      expect(after.html).toContain('the proposal is withdrawn');
      expect(after.html).not.toContain('We confirm our participation');
    });

    it('answers 404 to a wrong token or another proposal’s token', async () => {
      const { first, second } = await acceptedPair();
      const token = await confirmToken(first);
      const anonymous = newBrowser(api);
      expect(
        (
          await anonymous
            .json('post', `/api/v1/proposals/${second}/confirm`)
            .set('Authorization', `Bearer ${token}`)
        ).status,
      ).toBe(404);
      expect(
        (
          await anonymous
            .json('post', `/api/v1/proposals/${first}/confirm`)
            .set('Authorization', 'Bearer nope')
        ).status,
      ).toBe(404);
      expect((await anonymous.json('post', `/api/v1/proposals/${first}/confirm`)).status).toBe(404);
      expect((await anonymous.open(`/proposals/${first}/confirm?token=wrong`)).status).toBe(404);
      expect(await stateOf(first)).toMatchObject({ state: 'accepted' });
    });

    it('lets accepted speakers decline: withdrawn, audited, reminder cancelled, no confirming after', async () => {
      const { first } = await acceptedPair();
      const token = await confirmToken(first);
      const declined = await newBrowser(api)
        .json('post', `/api/v1/proposals/${first}/decline`)
        .set('Authorization', `Bearer ${token}`);
      expect(declined.body).toEqual({ id: first, state: 'withdrawn' });
      const reminders = await outboxRows(ds, `purpose = $1`, [`confirmation-reminder:${first}`]);
      expect(reminders.map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
      const confirm = await newBrowser(api)
        .json('post', `/api/v1/proposals/${first}/confirm`)
        .set('Authorization', `Bearer ${token}`);
      expect(confirm.status).toBe(409);
      expect(confirm.body).toMatchObject({ code: 'proposal.invalid_transition' });
    });
  });

  describe('refusals', () => {
    it('drops at release a pending decision whose proposal was withdrawn meanwhile, sending nothing', async () => {
      const organiser = await as(owner);
      const id = await submit();
      await decide(organiser, id, 'accept');
      const [receipt] = await ds.query<{ data: { manageUrl: string } }[]>(
        `SELECT data FROM outbox_messages WHERE purpose = $1`,
        [`proposal-received:${id}`],
      );
      const manageToken = new URL(receipt.data.manageUrl).searchParams.get('token')!;
      const withdrawn = await newBrowser(api)
        .json('delete', `/api/v1/proposals/${id}`)
        .set('Authorization', `Bearer ${manageToken}`);
      expect(withdrawn.status).toBe(204);

      const release = await organiser.json('post', `/api/v1/editions/${SLUG}/decisions/release`);
      expect(release.body).toEqual({
        released: 0,
        accepted: 0,
        rejected: 0,
        backup: 0,
        dropped: 1,
        emails: 0,
      });
      expect(await stateOf(id)).toMatchObject({ state: 'withdrawn', pending_decision: null });
      expect(await outboxRows(ds, `template = 'proposal-accepted'`)).toEqual([]);
    });

    it('refuses decisions the state machine forbids (409 decision.not_allowed), saving nothing', async () => {
      const organiser = await as(owner);
      const backup = await submit();
      const fine = await submit();
      await decide(organiser, backup, 'keep_as_backup');
      await organiser.json('post', `/api/v1/editions/${SLUG}/decisions/release`);

      const again = await decide(organiser, backup, 'keep_as_backup');
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        code: 'decision.not_allowed',
        fields: { decision: [expect.any(String)] },
      });

      const batch = await organiser.json('post', `/api/v1/editions/${SLUG}/decisions`, {
        decisions: [
          { proposalId: fine, decision: 'accept' },
          { proposalId: backup, decision: 'keep_as_backup' },
        ],
      });
      expect(batch.status).toBe(409);
      expect(Object.keys((batch.body as { fields: object }).fields)).toEqual([
        'decisions.1.decision',
      ]);
      expect(await stateOf(fine)).toMatchObject({ pending_decision: null });

      // A withdrawn proposal cannot be decided on.
      await ds.query(`UPDATE proposals SET state = 'withdrawn' WHERE id = $1`, [fine]);
      expect((await decide(organiser, fine, 'accept')).status).toBe(409);
    });

    it('refuses bad input with 422 and an unknown proposal with 404', async () => {
      const organiser = await as(owner);
      const id = await submit();
      const bad = await decide(organiser, id, 'maybe');
      expect(bad.status).toBe(422);
      expect(JSON.stringify(bad.body)).toContain('decision');
      const tooLong = await decide(organiser, id, 'accept', 'x'.repeat(4001));
      expect(tooLong.status).toBe(422);
      const duplicate = await organiser.json('post', `/api/v1/editions/${SLUG}/decisions`, {
        decisions: [
          { proposalId: id, decision: 'accept' },
          { proposalId: id, decision: 'reject' },
        ],
      });
      expect(duplicate.status).toBe(422);
      expect(duplicate.body).toMatchObject({ code: 'decision.invalid' });
      const unknown = await decide(organiser, '00000000-0000-4000-8000-000000000000', 'accept');
      expect(unknown.status).toBe(404);
      expect((await decide(organiser, 'not-a-uuid', 'accept')).status).toBe(404);
      const badLine = await organiser.json('post', `/api/v1/editions/${SLUG}/decisions`, {
        decisions: [{ proposalId: id, decision: 'accept', extra: 1 }],
      });
      expect(badLine.status).toBe(422);
    });

    it('lets no reviewer decide (403) and shows nothing to another edition’s organiser (404)', async () => {
      const id = await submit();
      const asReviewer = await as(reviewer);
      expect((await decide(asReviewer, id, 'accept')).status).toBe(403);
      expect(
        (await asReviewer.json('post', `/api/v1/editions/${SLUG}/decisions/release`)).status,
      ).toBe(403);
      expect(
        (await asReviewer.json('get', `/api/v1/editions/${SLUG}/exports/proposals.csv`)).status,
      ).toBe(403);
      const asOutsider = await as(outsider);
      const hidden = await decide(asOutsider, id, 'accept');
      expect(hidden.status).toBe(404);
      expect(hidden.body).toMatchObject({ code: 'edition.not_found' });
      // Their own edition does not open this edition's proposal either.
      expect((await decide(asOutsider, id, 'accept', undefined, 'elsewhere-2027')).status).toBe(
        404,
      );
      expect(await stateOf(id)).toMatchObject({ pending_decision: null });
    });
  });

  describe('the decisions page', () => {
    it('takes 100 reviewed proposals from the board (pages of 90) and the API to one release', async () => {
      const reviewers = await Promise.all([1, 2, 3].map(() => createAccount(ds)));
      const ids: string[] = [];
      const speakers: Speaker[] = [];
      for (let i = 0; i < 100; i += 1) {
        const s = speaker();
        speakers.push(s);
        ids.push(await submit({ speakers: [s], locale: i % 2 ? 'en' : 'fr', title: `P${i}` }));
      }
      for (const [n, reviewerAccount] of reviewers.entries())
        await ds.query(
          `INSERT INTO reviews (edition_id, proposal_id, reviewer_id, scores, score)
           SELECT $1, id, $2, '{}', (abs(hashtext(id::text || $3)) % 6) FROM proposals WHERE edition_id = $1`,
          [editionId, reviewerAccount.id, String(n)],
        );

      const browser = newBrowser(api);
      await browser.signIn(owner.email, DEFAULT_PASSWORD);
      const first = await browser.open(`/admin/editions/${SLUG}/decisions`);
      expect(first.html).toContain('Propositions 1 à 90 sur 100');
      expect((first.html.match(/name="d_/g) ?? []).length).toBe(90);
      expect(first.html).toContain(`/admin/editions/${SLUG}/decisions?offset=90`);
      const second = await browser.open(`/admin/editions/${SLUG}/decisions?offset=90`);
      expect(second.html).toContain('Propositions 91 à 100 sur 100');
      // The last ten (lowest scores) are rejected from the second page's form.
      const lastTen = [...second.html.matchAll(/name="d_([0-9a-f-]{36})"/g)].map((m) => m[1]);
      expect(lastTen).toHaveLength(10);
      const saved = await browser.post(
        `/admin/editions/${SLUG}/decisions?offset=90`,
        Object.fromEntries(lastTen.map((id) => [`d_${id}`, 'reject'])),
        second.csrf,
      );
      expect(saved.headers.location).toBe(`/admin/editions/${SLUG}/decisions?offset=90`);
      // The other ninety through the API: thirty accepted, sixty kept as backup.
      const rest = ids.filter((id) => !lastTen.includes(id));
      const batch = await (
        await as(owner)
      ).json('post', `/api/v1/editions/${SLUG}/decisions`, {
        decisions: rest.map((proposalId, i) => ({
          proposalId,
          decision: i < 30 ? 'accept' : 'keep_as_backup',
        })),
      });
      expect(batch.status).toBe(200);

      const confirmPage = await browser.open(`/admin/editions/${SLUG}/decisions/release`);
      expect(confirmPage.html).toContain('Oui, publier 100 décision(s)');
      const released = await browser.post(
        `/admin/editions/${SLUG}/decisions/release`,
        {},
        confirmPage.csrf,
      );
      expect(flashIn(released)).toMatchObject({
        key: 'decisions.flash.released',
        args: { released: '100', accepted: '30', rejected: '10', backup: '60', emails: '100' },
      });
      const states = await ds.query<{ state: string; n: number }[]>(
        `SELECT state, count(*)::int AS n FROM proposals WHERE edition_id = $1 GROUP BY state ORDER BY state`,
        [editionId],
      );
      expect(states).toEqual([
        { state: 'accepted', n: 30 },
        { state: 'backup', n: 60 },
        { state: 'rejected', n: 10 },
      ]);
      await eventually(() => decisionMails().length >= 100, {
        what: '100 decision emails',
        timeoutMs: 60_000,
      });
      expect(new Set(decisionMails().map((m) => m.envelope.to[0])).size).toBe(100);
      const english = speakers.filter((_, i) => i % 2).map((s) => s.email);
      for (const mail of decisionMails())
        expect(/^(Proposal|Your proposal)/.test(mail.subject)).toBe(
          english.includes(mail.envelope.to[0]),
        );
    }, 120_000);

    it('lists proposals with format, score and review count, and saves the selects (no JavaScript)', async () => {
      const id = await submit({ title: 'Bien notée' });
      const other = await submit({ title: `Pas encore relue ${HOSTILE}` });
      const r1 = await createAccount(ds);
      const r2 = await createAccount(ds);
      for (const [account, score] of [
        [r1, 4],
        [r2, 3],
      ] as const)
        await ds.query(
          `INSERT INTO reviews (edition_id, proposal_id, reviewer_id, scores, score) VALUES ($1, $2, $3, '{}', $4)`,
          [editionId, id, account.id, score],
        );
      const browser = newBrowser(api);
      await browser.signIn(owner.email, DEFAULT_PASSWORD);
      const page = await browser.open(`/admin/editions/${SLUG}/decisions`);
      // The row: title, format, theme (none), state, mean of the reviews' scores, review count.
      const row = page.html.slice(page.html.indexOf('Bien notée'));
      expect(row.slice(0, row.indexOf('<select'))).toMatch(
        /Bien notée<\/th>\s*<td>Atelier<\/td>\s*<td>—<\/td>\s*<td>[^<]+<\/td>\s*<td>3.5<\/td>\s*<td>2<\/td>/,
      );
      expect(page.html.indexOf('Bien notée')).toBeLessThan(page.html.indexOf('Pas encore relue'));
      expect(page.html).toContain('/api/v1/editions/lille-2027/exports/proposals.csv');
      expect(page.html).toContain('Pas encore relue &lt;script&gt;');
      expect(page.html).not.toContain(HOSTILE);

      const saved = await browser.post(
        `/admin/editions/${SLUG}/decisions`,
        { [`d_${id}`]: 'accept', [`n_${id}`]: 'Merci !', [`d_${other}`]: '', [`n_${other}`]: '' },
        page.csrf,
      );
      expect(saved.status).toBe(303);
      expect(flashIn(saved)).toMatchObject({ kind: 'success', key: 'decisions.flash.saved' });
      expect(await stateOf(id)).toMatchObject({ pending_decision: 'accept' });
      expect(await stateOf(other)).toMatchObject({ pending_decision: null });
      const after = await browser.open(`/admin/editions/${SLUG}/decisions`);
      expect(after.html).toContain('Publier 1 décision(s)');
      expect(after.html).toContain('Merci !');

      const asReviewer = newBrowser(api);
      await asReviewer.signIn(reviewer.email, DEFAULT_PASSWORD);
      expect((await asReviewer.open(`/admin/editions/${SLUG}/decisions`)).status).toBe(403);
      const edition = await browser.open(`/admin/editions/${SLUG}`);
      expect(edition.html).toContain(`/admin/editions/${SLUG}/decisions`);
    });
  });

  describe('stakeholder mix', () => {
    it('counts proposals and speakers by stakeholder and territory, and warns about a one-voice round table', async () => {
      const organiser = await as(owner);
      const companies = [1, 2, 3].map(() =>
        speaker({ stakeholderType: 'company', territoryType: 'urban' }),
      );
      const table = await submit({
        format: 'table-ronde',
        speakers: companies,
        title: 'Entre entreprises',
      });
      const mixed = await submit({
        format: 'table-ronde',
        speakers: [
          speaker({ stakeholderType: 'local_authority', territoryType: 'rural' }),
          speaker({ stakeholderType: 'company', territoryType: 'rural' }),
          speaker({ stakeholderType: 'academic_researcher', territoryType: 'periurban' }),
        ],
        title: 'Table variée',
      });
      const workshop = await submit({
        speakers: [speaker({ stakeholderType: 'coworking_operator', territoryType: 'rural' })],
      });
      await decide(organiser, workshop, 'accept');
      await decide(organiser, mixed, 'reject');
      await organiser.json('post', `/api/v1/editions/${SLUG}/decisions/release`);
      await submit(); // still submitted: counts as submitted only
      expect(table).toBeTruthy();

      const res = await organiser.json('get', `/api/v1/editions/${SLUG}/stakeholder-mix`);
      expect(res.status).toBe(200);
      const mix = res.body as {
        submitted: {
          proposals: { total: number; cells: Record<string, Record<string, number>> };
          speakers: { total: number; byStakeholder: Record<string, number> };
        };
        accepted: {
          proposals: { total: number };
          speakers: { byTerritory: Record<string, number> };
        };
        missing: { accepted: string[] };
        roundTableWarnings: { title: string; stakeholderType: string }[];
      };
      expect(mix.submitted.proposals.total).toBe(4);
      expect(mix.submitted.proposals.cells.company).toEqual({ urban: 1, periurban: 0, rural: 1 });
      expect(mix.submitted.speakers.total).toBe(8);
      expect(mix.submitted.speakers.byStakeholder.company).toBe(4);
      expect(mix.accepted.proposals.total).toBe(1);
      expect(mix.accepted.speakers.byTerritory).toEqual({ urban: 0, periurban: 0, rural: 1 });
      expect(mix.missing.accepted).toContain('local_authority');
      expect(mix.roundTableWarnings).toEqual([
        expect.objectContaining({ title: 'Entre entreprises', stakeholderType: 'company' }),
      ]);

      const browser = newBrowser(api);
      await browser.signIn(owner.email, DEFAULT_PASSWORD);
      const page = await browser.open(`/admin/editions/${SLUG}/mix?lang=en`);
      expect(page.status).toBe(200);
      expect(page.html).toContain('Coworking operator');
      expect(page.html).toContain('Periurban');
      expect(page.html).toContain('Proposals — Submitted');
      expect(page.html).toContain('Speakers — Accepted');
      expect(page.html).toContain('“Entre entreprises”: all its speakers are “Company”.');
      const board = await browser.open(`/admin/editions/${SLUG}/decisions?lang=fr`);
      expect(board.html).toContain(
        '« Entre entreprises » : tous ses intervenants sont « Entreprise ».',
      );

      // Every page of decisions speaks both languages: no translation key left untranslated.
      const token = await confirmToken(workshop);
      for (const lang of ['fr', 'en'])
        for (const path of [
          `/admin/editions/${SLUG}/decisions`,
          `/admin/editions/${SLUG}/decisions/release`,
          `/admin/editions/${SLUG}/mix`,
          `/proposals/${workshop}/confirm?token=${token}`,
        ]) {
          const opened = await browser.open(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          expect({ path, lang, status: opened.status }).toEqual({ path, lang, status: 200 });
          expect(opened.html).not.toMatch(
            /\b(decisions|proposals)\.[a-z_]+(\.[a-z_]+)?\b(?![/"?&])/,
          );
          expect(opened.html).toContain(`<html lang="${lang}"`);
        }
    });
  });

  describe('exports', () => {
    it('are documented, with the other decision routes, in the OpenAPI document', async () => {
      const res = await newBrowser(api).json('get', '/api/docs-json');
      expect(Object.keys(res.body.paths as object)).toEqual(
        expect.arrayContaining([
          '/api/v1/editions/{slug}/proposals/{id}/decision',
          '/api/v1/editions/{slug}/decisions',
          '/api/v1/editions/{slug}/decisions/release',
          '/api/v1/editions/{slug}/stakeholder-mix',
          '/api/v1/editions/{slug}/exports/proposals.csv',
          '/api/v1/editions/{slug}/exports/reviews.json',
          '/api/v1/proposals/{id}/confirm',
          '/api/v1/proposals/{id}/decline',
        ]),
      );
    });

    it('exports proposals and reviews as CSV (BOM, neutralised cells) and JSON, hostile text kept as data', async () => {
      const organiser = await as(owner);
      const id = await submit({
        title: '=HYPERLINK("http://evil.example","clic")',
        speakers: [speaker({ name: `@Mallory ${HOSTILE}`, organisation: '+33 Org' })],
      });
      await ds.query(`UPDATE proposals SET answers = $2 WHERE id = $1`, [
        id,
        JSON.stringify({ motivation: '-1+1', outils: ['a', 'b'] }),
      ]);
      await decide(organiser, id, 'accept', '=cmd|calc');
      await ds.query(
        `INSERT INTO review_criteria (edition_id, key, name_fr, name_en, weight, position)
         VALUES ($1, 'fit', 'Adéquation', 'Fit', 2, 0), ($1, 'originality', 'Originalité', 'Originality', 1, 1)`,
        [editionId],
      );
      const r = await createAccount(ds, { name: '=Reviewer' });
      await ds.query(
        `INSERT INTO reviews (edition_id, proposal_id, reviewer_id, scores, score, comment)
         VALUES ($1, $2, $3, '{"fit": 4, "originality": null}', 4, '@risky comment')`,
        [editionId, id, r.id],
      );

      const csv = await organiser
        .json('get', `/api/v1/editions/${SLUG}/exports/proposals.csv`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="lille-2027-proposals.csv"',
      );
      const bytes = csv.body as Buffer;
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""clic"")"`);
      expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
      expect(text).toContain("'=cmd|calc");
      expect(text).toContain("'-1+1");
      expect(text).toContain('a; b');
      expect(text).toContain('answer:motivation');
      expect(text).toMatch(/,accept,/);
      expect(text).toContain(',4,1,');
      expect(text).not.toMatch(/(^|,)"?[=+\-@]/m);

      const reviews = await organiser.json('get', `/api/v1/editions/${SLUG}/exports/reviews.csv`);
      expect(reviews.headers['content-disposition']).toBe(
        'attachment; filename="lille-2027-reviews.csv"',
      );
      const reviewsText = reviews.text;
      expect(reviewsText.charCodeAt(0)).toBe(0xfeff);
      expect(reviewsText).toContain('criterion:fit,criterion:originality');
      expect(reviewsText).toContain("'=Reviewer");
      expect(reviewsText).toContain(",4,,'@risky comment,");

      const json = await organiser.json('get', `/api/v1/editions/${SLUG}/exports/proposals.json`);
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(json.headers['content-disposition']).toBe(
        'attachment; filename="lille-2027-proposals.json"',
      );
      const body = JSON.parse(json.text) as {
        proposals: {
          title: string;
          pendingDecision: string;
          meanScore: number;
          reviewCount: number;
          speakers: { name: string }[];
          answers: object;
        }[];
      };
      expect(body.proposals[0]).toMatchObject({
        title: '=HYPERLINK("http://evil.example","clic")',
        pendingDecision: 'accept',
        meanScore: 4,
        reviewCount: 1,
        speakers: [expect.objectContaining({ name: `@Mallory ${HOSTILE}` })],
        answers: { motivation: '-1+1', outils: ['a', 'b'] },
      });
      const reviewsJson = await organiser.json(
        'get',
        `/api/v1/editions/${SLUG}/exports/reviews.json`,
      );
      expect(JSON.parse(reviewsJson.text)).toMatchObject({
        criteria: [
          expect.objectContaining({ key: 'fit', weight: 2 }),
          expect.objectContaining({ key: 'originality' }),
        ],
        reviews: [
          expect.objectContaining({
            scores: { fit: 4, originality: null },
            comment: '@risky comment',
          }),
        ],
      });
    });
  });
});
