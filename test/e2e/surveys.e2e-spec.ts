import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { SurveyMailingService } from '@assises/surveys';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { FixedSurveyAudience, startSurveyWorker, tokenOf } from '../factories/survey.factory';
import { startApi, TestApi } from '../harness/app';
import { Browser, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { eventually } from '../harness/wait';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface InvitationRow {
  id: string;
  email: string;
  name: string;
  registration_id: string;
  token_hash: string;
  answered: boolean;
  answered_at: Date | null;
  reminders_sent: number;
}

describe('Evaluation surveys (JSON API, invitations, reminders, answers)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;
  let worker: INestApplicationContext;
  let audience: FixedSurveyAudience;
  let mailing: SurveyMailingService;

  const as = (account: CreatedAccount) => loginJson(api, account.email, DEFAULT_PASSWORD);

  /** An edition that ended `daysAgo` days ago, with an owner and a reviewer. */
  const endedEdition = (slug: string, daysAgo = 1) =>
    createEdition(ds, {
      slug,
      status: EditionStatus.Closed,
      startsAt: new Date(Date.now() - daysAgo * DAY - 9 * HOUR),
      endsAt: new Date(Date.now() - daysAgo * DAY),
      members: { owner: {}, reviewer: {} },
    });

  /** An ended edition with the default survey, created by its owner through the API. */
  const withSurvey = async (slug: string, daysAgo = 1) => {
    const created = await endedEdition(slug, daysAgo);
    const owner = await as(created.members.owner as CreatedAccount);
    const res = await owner.json('post', `/api/v1/editions/${slug}/survey`);
    expect(res.status).toBe(201);
    return { ...created, owner };
  };

  const invitations = (where = 'true', params: unknown[] = []) =>
    ds.query<InvitationRow[]>(
      `SELECT * FROM survey_invitations WHERE ${where} ORDER BY email`,
      params,
    );

  const participant = (invitationId: string, token = tokenOf(config, invitationId)) => {
    const browser: Browser = newBrowser(api);
    const auth = `Bearer ${token}`;
    return {
      open: () =>
        browser
          .json('get', `/api/v1/survey-invitations/${invitationId}`)
          .set('Authorization', auth),
      draft: (answers: object) =>
        browser
          .json('put', `/api/v1/survey-invitations/${invitationId}/draft`, { answers })
          .set('Authorization', auth),
      submit: (answers: object) =>
        browser
          .json('post', `/api/v1/survey-invitations/${invitationId}/response`, { answers })
          .set('Authorization', auth),
    };
  };

  const goodAnswers = { satisfaction: 5, nps: 9, keep: 'Les ateliers' };

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { TRUST_PROXY: 'true' });
    api = await startApi(config);
    ds = api.app.get(DataSource);
    audience = new FixedSurveyAudience();
    worker = await startSurveyWorker(config, audience);
    mailing = worker.get(SurveyMailingService);
  });

  afterEach(async () => {
    await truncateAll(ds);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  describe('the builder', () => {
    it('creates the default evaluation once, in French and English', async () => {
      const { owner } = await withSurvey('lyon-2017');
      const res = await owner.json('get', '/api/v1/editions/lyon-2017/survey');
      expect(res.status).toBe(200);
      const body = res.body as {
        anonymous: boolean;
        reminderDays: number[];
        sections: {
          titleFr: string;
          questions: { key: string; kind: string; labelEn: string }[];
        }[];
      };
      expect(body.anonymous).toBe(true);
      expect(body.reminderDays).toEqual([5, 12]);
      const questions = body.sections.flatMap((s) => s.questions);
      expect(questions.map((q) => q.kind)).toEqual(
        expect.arrayContaining([
          'rating',
          'nps',
          'workshop_matrix',
          'single_choice',
          'multiple_choice',
          'long_text',
        ]),
      );
      expect(questions.every((q) => q.labelEn.length > 0)).toBe(true);
      const again = await owner.json('post', '/api/v1/editions/lyon-2017/survey');
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'survey.exists' });
    });

    it('adds, edits, reorders and removes sections and questions; refuses bad ones with fields', async () => {
      const { owner } = await withSurvey('lyon-2017');
      const section = await owner.json('post', '/api/v1/editions/lyon-2017/survey/sections', {
        titleFr: 'Le lieu',
        titleEn: 'The venue',
      });
      expect(section.status).toBe(201);
      const sectionId = (section.body as { id: string }).id;
      const first = await owner.json('post', '/api/v1/editions/lyon-2017/survey/questions', {
        sectionId,
        kind: 'rating',
        labelFr: 'Le lieu',
        labelEn: 'The venue',
        key: 'venue',
        required: true,
      });
      expect(first.status).toBe(201);
      const second = await owner.json('post', '/api/v1/editions/lyon-2017/survey/questions', {
        sectionId,
        kind: 'single_choice',
        labelFr: 'Accès',
        labelEn: 'Access',
        options: [
          { key: 'train', fr: 'Train', en: 'Train' },
          { key: 'car', fr: 'Voiture', en: 'Car' },
        ],
      });
      expect(second.status).toBe(201);
      const secondId = (second.body as { id: string }).id;

      const noOptions = await owner.json('post', '/api/v1/editions/lyon-2017/survey/questions', {
        sectionId,
        kind: 'multiple_choice',
        labelFr: 'x',
        labelEn: 'x',
      });
      expect(noOptions.status).toBe(422);
      expect(noOptions.body).toMatchObject({ code: 'survey.invalid_question' });
      expect(Object.keys((noOptions.body as { fields: object }).fields)).toEqual(['options']);
      const badKind = await owner.json('post', '/api/v1/editions/lyon-2017/survey/questions', {
        sectionId,
        kind: 'essay',
        labelFr: 'x',
        labelEn: 'x',
      });
      expect(badKind.status).toBe(422);
      const duplicateKey = await owner.json('post', '/api/v1/editions/lyon-2017/survey/questions', {
        sectionId,
        kind: 'rating',
        labelFr: 'x',
        labelEn: 'x',
        key: 'venue',
      });
      expect(duplicateKey.status).toBe(422);

      const moved = await owner.json(
        'post',
        `/api/v1/editions/lyon-2017/survey/questions/${secondId}/move`,
        { direction: 'up' },
      );
      expect(moved.status).toBe(201);
      const sections = (moved.body as { sections: { id: string; questions: { key: string }[] }[] })
        .sections;
      expect(sections.find((s) => s.id === sectionId)?.questions.map((q) => q.key)).toEqual([
        (second.body as { key: string }).key,
        'venue',
      ]);

      const edited = await owner.json(
        'put',
        `/api/v1/editions/lyon-2017/survey/questions/${secondId}`,
        {
          sectionId,
          kind: 'single_choice',
          labelFr: 'Comment êtes-vous venu·e ?',
          labelEn: 'How did you come?',
          options: [
            { key: 'train', fr: 'Train', en: 'Train' },
            { key: 'bike', fr: 'Vélo', en: 'Bike' },
          ],
        },
      );
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ labelEn: 'How did you come?' });

      const deleted = await owner.json(
        'delete',
        `/api/v1/editions/lyon-2017/survey/questions/${secondId}`,
      );
      expect(deleted.status).toBe(204);
      const removedSection = await owner.json(
        'delete',
        `/api/v1/editions/lyon-2017/survey/sections/${sectionId}`,
      );
      expect(removedSection.status).toBe(204);
      const after = await owner.json('get', '/api/v1/editions/lyon-2017/survey');
      const body = after.body as { sections: { id: string; questions: { key: string }[] }[] };
      expect(body.sections.map((s) => s.id)).not.toContain(sectionId);
      expect(body.sections.flatMap((s) => s.questions.map((q) => q.key))).not.toContain('venue');
    });

    it('refuses an anonymous survey whose answers could be changed, and closing before opening', async () => {
      const { owner } = await withSurvey('lyon-2017');
      const both = await owner.json('patch', '/api/v1/editions/lyon-2017/survey', {
        anonymous: true,
        allowChanges: true,
      });
      expect(both.status).toBe(422);
      expect(Object.keys((both.body as { fields: object }).fields)).toEqual(['allowChanges']);
      const dates = await owner.json('patch', '/api/v1/editions/lyon-2017/survey', {
        opensAt: '2030-01-10T09:00',
        closesAt: '2030-01-01T09:00',
      });
      expect(dates.status).toBe(422);
      const ok = await owner.json('patch', '/api/v1/editions/lyon-2017/survey', {
        anonymous: false,
        allowChanges: true,
        reminderDays: [12, 5, 5],
        maxReminders: 1,
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({
        anonymous: false,
        allowChanges: true,
        reminderDays: [5, 12],
      });
    });

    it('is copied by "new edition from the previous one", without invitations or answers', async () => {
      const { owner, edition } = await withSurvey('lyon-2017');
      audience.add(edition.id, [{}]);
      await mailing.sweep();
      const res = await owner.json('post', '/api/v1/editions/lyon-2017/clone', {
        slug: 'clermont-2027',
        hostCity: 'Clermont-Ferrand',
        startsAt: '2027-03-10T09:00',
        endsAt: '2027-03-10T18:00',
      });
      expect(res.status).toBe(201);
      const copy = await owner.json('get', '/api/v1/editions/clermont-2027/survey');
      expect(copy.status).toBe(200);
      const original = await owner.json('get', '/api/v1/editions/lyon-2017/survey');
      const keys = (body: unknown) =>
        (body as { sections: { questions: { key: string }[] }[] }).sections.flatMap((s) =>
          s.questions.map((q) => q.key),
        );
      expect(keys(copy.body)).toEqual(keys(original.body));
      expect(copy.body).toMatchObject({
        opensAt: '2027-03-10T17:00:00.000Z',
        invitationsCreatedAt: null,
      });
      const [{ n }] = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM survey_invitations i JOIN editions e ON e.id = i.edition_id
          WHERE e.slug = 'clermont-2027'`,
      );
      expect(n).toBe(0);
    });
  });

  describe('invitations and reminders', () => {
    it('invite, after the end plus the delay, only those checked in, once', async () => {
      const { edition } = await withSurvey('lyon-2017', 0);
      const [here, alsoHere] = audience.add(edition.id, [
        { checkedIn: true, locale: 'en' },
        { checkedIn: true },
        { checkedIn: false },
      ]);
      // The edition ended a moment ago: the invitations wait for the next morning (15 h).
      expect(await mailing.sweep(new Date())).toEqual({ invited: 0, reminded: 0 });
      const morning = new Date(Date.now() + 16 * HOUR);
      expect(await mailing.sweep(morning)).toEqual({ invited: 2, reminded: 0 });
      expect(await mailing.sweep(morning)).toEqual({ invited: 0, reminded: 0 });

      const rows = await invitations();
      expect(rows.map((r) => r.email).sort()).toEqual([here.email, alsoHere.email].sort());
      const mails = await ds.query<
        {
          recipient: string;
          template: string;
          locale: string;
          category: string;
          purpose: string;
          data: { surveyUrl: string };
        }[]
      >(`SELECT * FROM outbox_messages ORDER BY recipient`);
      expect(mails).toHaveLength(2);
      for (const mail of mails) {
        const invitation = rows.find((r) => r.email === mail.recipient)!;
        expect(mail).toMatchObject({
          template: 'survey-invitation',
          category: 'bulk',
          purpose: `survey-invitation:${invitation.id}`,
        });
        expect(mail.data.surveyUrl).toContain(
          `/s/${invitation.id}?token=${tokenOf(config, invitation.id)}`,
        );
      }
      expect(mails.find((m) => m.recipient === here.email)?.locale).toBe('en');
    });

    it('invite those checked in after the invitations went out at the next sweep, once', async () => {
      const { edition } = await withSurvey('lyon-2017', 0);
      const [early, late, never] = audience.add(edition.id, [
        { checkedIn: true },
        { checkedIn: false },
        { checkedIn: false },
      ]);
      const morning = new Date(Date.now() + 16 * HOUR);
      expect(await mailing.sweep(morning)).toEqual({ invited: 1, reminded: 0 });

      // The desk scanned one more badge after the invitations went out, and a walk-in was
      // registered and checked in on the spot.
      late.checkedIn = true;
      const [walkIn] = audience.add(edition.id, [{ checkedIn: true }]);
      const later = new Date(morning.getTime() + HOUR);
      // Two workers sweeping at once: each newcomer is invited by one of them.
      const sweeps = await Promise.all([mailing.sweep(later), mailing.sweep(later)]);
      expect(sweeps.reduce((sum, o) => sum + o.invited, 0)).toBe(2);
      expect(await mailing.sweep(later)).toEqual({ invited: 0, reminded: 0 });
      expect(await mailing.sweep(new Date(later.getTime() + HOUR))).toEqual({
        invited: 0,
        reminded: 0,
      });

      const rows = await invitations();
      expect(rows.map((r) => r.email).sort()).toEqual(
        [early.email, late.email, walkIn.email].sort(),
      );
      expect(rows.map((r) => r.email)).not.toContain(never.email);
      const mails = await ds.query<{ recipient: string; purpose: string }[]>(
        `SELECT recipient, purpose FROM outbox_messages WHERE template = 'survey-invitation'`,
      );
      expect(mails.map((m) => m.recipient).sort()).toEqual(rows.map((r) => r.email).sort());
      for (const row of rows)
        expect(mails.filter((m) => m.purpose === `survey-invitation:${row.id}`)).toHaveLength(1);

      // Once the survey has closed, a late check-in is no longer invited.
      never.checkedIn = true;
      expect(await mailing.sweep(new Date(Date.now() + 40 * DAY))).toMatchObject({ invited: 0 });
      expect(await invitations()).toHaveLength(3);
    });

    it('invite every confirmed attendee when nobody was checked in', async () => {
      const { edition } = await withSurvey('lyon-2017');
      audience.add(edition.id, [{ checkedIn: false }, { checkedIn: false }, { checkedIn: false }]);
      expect(await mailing.sweep()).toEqual({ invited: 3, reminded: 0 });
    });

    it('remind only those who have not answered, at +5 and +12 days, at most twice', async () => {
      const { edition } = await withSurvey('lyon-2017');
      audience.add(edition.id, [{}, {}]);
      const start = new Date();
      await mailing.sweep(start);
      const [answering, silent] = await invitations();
      expect((await participant(answering.id).submit(goodAnswers)).status).toBe(201);

      const at = (days: number) => new Date(start.getTime() + days * DAY + HOUR);
      expect(await mailing.sweep(at(4))).toEqual({ invited: 0, reminded: 0 });
      expect(await mailing.sweep(at(5))).toEqual({ invited: 0, reminded: 1 });
      expect(await mailing.sweep(at(5))).toEqual({ invited: 0, reminded: 0 });
      expect(await mailing.sweep(at(12))).toEqual({ invited: 0, reminded: 1 });
      expect(await mailing.sweep(at(20))).toEqual({ invited: 0, reminded: 0 });

      const reminders = await ds.query<{ recipient: string; purpose: string }[]>(
        `SELECT recipient, purpose FROM outbox_messages WHERE template = 'survey-reminder' ORDER BY purpose`,
      );
      expect(reminders).toEqual([
        { recipient: silent.email, purpose: `survey-reminder:${silent.id}:1` },
        { recipient: silent.email, purpose: `survey-reminder:${silent.id}:2` },
      ]);
    });

    it('stop at the survey’s maximum and after closing', async () => {
      const { edition, owner } = await withSurvey('lyon-2017');
      await owner.json('patch', '/api/v1/editions/lyon-2017/survey', { maxReminders: 1 });
      audience.add(edition.id, [{}]);
      const start = new Date();
      await mailing.sweep(start);
      expect((await mailing.sweep(new Date(start.getTime() + 13 * DAY))).reminded).toBe(1);
      expect((await mailing.sweep(new Date(start.getTime() + 14 * DAY))).reminded).toBe(0);
      await owner.json('patch', '/api/v1/editions/lyon-2017/survey', { maxReminders: 2 });
      // The survey closes 28 days after the end of the edition.
      expect((await mailing.sweep(new Date(start.getTime() + 40 * DAY))).reminded).toBe(0);
    });

    it('send each invitation and each reminder once with two workers sweeping at once', async () => {
      const { edition } = await withSurvey('lyon-2017');
      audience.add(
        edition.id,
        Array.from({ length: 60 }, () => ({})),
      );
      const second = await startSurveyWorker(config, audience);
      try {
        const other = second.get(SurveyMailingService);
        const start = new Date();
        const invited = await Promise.all([mailing.sweep(start), other.sweep(start)]);
        expect(invited[0].invited + invited[1].invited).toBe(60);
        const later = new Date(start.getTime() + 5 * DAY + HOUR);
        const reminded = await Promise.all([
          mailing.sweep(later),
          other.sweep(later),
          mailing.sweep(later),
        ]);
        expect(reminded.reduce((sum, r) => sum + r.reminded, 0)).toBe(60);
      } finally {
        await second.close();
      }
      const [{ rows, purposes }] = await ds.query<{ rows: number; purposes: number }[]>(
        `SELECT count(*)::int AS rows, count(DISTINCT purpose)::int AS purposes FROM outbox_messages`,
      );
      expect({ rows, purposes }).toEqual({ rows: 120, purposes: 120 });
      expect(new Set((await invitations()).map((r) => r.reminders_sent))).toEqual(new Set([1]));
    });
  });

  describe('answering', () => {
    const invitedTo = async (slug: string, people: object[] = [{}]) => {
      const created = await withSurvey(slug);
      audience.add(created.edition.id, people);
      await mailing.sweep();
      return { ...created, rows: await invitations() };
    };

    it('opens only with the invitation’s own token (404 otherwise)', async () => {
      const { rows } = await invitedTo('lyon-2017', [{}, {}]);
      const [a, b] = rows;
      expect((await participant(a.id).open()).status).toBe(200);
      expect((await participant(a.id, tokenOf(config, b.id)).open()).status).toBe(404);
      expect((await participant(a.id, 'nope').open()).status).toBe(404);
      expect((await participant('not-a-uuid').open()).status).toBe(404);
      const noToken = await newBrowser(api).json('get', `/api/v1/survey-invitations/${a.id}`);
      expect(noToken.status).toBe(404);
      expect((await participant(b.id, tokenOf(config, a.id)).submit(goodAnswers)).status).toBe(404);
    });

    it('asks stakeholder-specific questions and the matrix of one’s own workshops', async () => {
      const created = await withSurvey('lyon-2017');
      audience.setWorkshops(created.edition.id, [
        { id: 'w1', titleFr: 'Financer son tiers-lieu', titleEn: 'Funding a third place' },
        { id: 'w2', titleFr: 'Tiers-lieux ruraux', titleEn: 'Rural third places' },
      ]);
      audience.add(created.edition.id, [
        { stakeholderType: 'local_authority', workshopIds: ['w2'], email: 'elu@example.org' },
        { stakeholderType: 'coworking_operator', email: 'gerant@example.org' },
      ]);
      await mailing.sweep();
      const [authority, operator] = await invitations();
      const keysOf = (body: unknown) =>
        (body as { sections: { questions: { key: string }[] }[] }).sections.flatMap((s) =>
          s.questions.map((q) => q.key),
        );
      const a = await participant(authority.id).open();
      expect(keysOf(a.body)).toContain('authority_plans');
      expect(keysOf(a.body)).toContain('workshops');
      expect(keysOf(a.body)).not.toContain('operator_support');
      expect((a.body as { workshops: unknown }).workshops).toEqual([
        { id: 'w2', titleFr: 'Tiers-lieux ruraux', titleEn: 'Rural third places' },
      ]);
      const o = await participant(operator.id).open();
      expect(keysOf(o.body)).toContain('operator_support');
      expect(keysOf(o.body)).not.toContain('workshops');

      const wrongWorkshop = await participant(authority.id).submit({
        ...goodAnswers,
        workshops: { w1: 4 },
      });
      expect(wrongWorkshop.status).toBe(422);
      expect(wrongWorkshop.body).toMatchObject({ fields: { workshops: ['unknown_workshop'] } });
      const ok = await participant(authority.id).submit({ ...goodAnswers, workshops: { w2: 4 } });
      expect(ok.status).toBe(201);
    });

    it('keeps a draft until submission, then forgets it', async () => {
      const { rows } = await invitedTo('lyon-2017');
      const p = participant(rows[0].id);
      const saved = await p.draft({ satisfaction: 4, keep: 'Le déjeuner' });
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ hasDraft: true, state: 'open' });
      const reopened = await p.open();
      expect(reopened.body).toMatchObject({ answers: { satisfaction: 4, keep: 'Le déjeuner' } });
      expect((await p.draft({ satisfaction: 9 })).status).toBe(422);
      expect((await p.submit({ ...goodAnswers, satisfaction: 4 })).status).toBe(201);
      const [{ n }] = await ds.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM survey_drafts',
      );
      expect(n).toBe(0);
      expect((await p.draft({ satisfaction: 3 })).status).toBe(409);
    });

    it('refuses invalid answers with 422 and a message per question, storing nothing', async () => {
      const { rows } = await invitedTo('lyon-2017');
      const res = await participant(rows[0].id).submit({
        satisfaction: 6,
        heard_from: 'pigeon',
        topics: ['rural', 'astrology'],
      });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'survey.invalid_answers',
        fields: {
          satisfaction: ['out_of_range'],
          nps: ['required'],
          heard_from: ['unknown_option'],
          topics: ['unknown_option'],
        },
      });
      const [{ n }] = await ds.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM survey_responses',
      );
      expect(n).toBe(0);
      expect((await invitations())[0].answered).toBe(false);
      const notObject = await newBrowser(api)
        .json('post', `/api/v1/survey-invitations/${rows[0].id}/response`, { answers: 'x' })
        .set('Authorization', `Bearer ${tokenOf(config, rows[0].id)}`);
      expect(notObject.status).toBe(422);
    });

    it('stores one response for a double submit (parallel requests)', async () => {
      const { rows } = await invitedTo('lyon-2017');
      const p = participant(rows[0].id);
      const results = await Promise.all(Array.from({ length: 5 }, () => p.submit(goodAnswers)));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
      const conflict = results.find((r) => r.status === 409)!;
      expect(conflict.body).toMatchObject({ code: 'survey.already_answered' });
      const [{ n }] = await ds.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM survey_responses',
      );
      expect(n).toBe(1);
      expect((await p.open()).body).toMatchObject({ state: 'answered' });
    });

    it('lets answers change until closing when the survey allows it (not anonymous)', async () => {
      const created = await withSurvey('lyon-2017');
      await created.owner.json('patch', '/api/v1/editions/lyon-2017/survey', {
        anonymous: false,
        allowChanges: true,
      });
      audience.add(created.edition.id, [{}]);
      await mailing.sweep();
      const [row] = await invitations();
      const p = participant(row.id);
      expect((await p.submit(goodAnswers)).status).toBe(201);
      const reopened = await p.open();
      expect(reopened.body).toMatchObject({ state: 'editable', answers: goodAnswers });
      expect((await p.submit({ ...goodAnswers, satisfaction: 2 })).status).toBe(201);
      const responses = await ds.query<
        { answers: { satisfaction: number }; invitation_id: string }[]
      >('SELECT answers, invitation_id FROM survey_responses');
      expect(responses).toEqual([
        { answers: { ...goodAnswers, satisfaction: 2 }, invitation_id: row.id },
      ]);
    });

    it('says a closed survey is closed and refuses answers', async () => {
      const { rows } = await invitedTo('lyon-2017');
      await ds.query(
        `UPDATE surveys SET opens_at = now() - interval '30 days', closes_at = now() - interval '1 hour'`,
      );
      const p = participant(rows[0].id);
      expect((await p.open()).body).toMatchObject({ state: 'closed' });
      const res = await p.submit(goodAnswers);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'survey.closed' });
    });
  });

  describe('anonymous mode', () => {
    /** Every (table, column) of the public schema, with its type. */
    const columns = () =>
      ds.query<{ table_name: string; column_name: string; data_type: string }[]>(
        `SELECT table_name, column_name, data_type FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name <> 'migrations'
          ORDER BY table_name, ordinal_position`,
      );
    const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const isTime = (type: string) => type.startsWith('timestamp') || type === 'date';

    /** Where a value appears, as text, anywhere in the database: "table.column" list. */
    const whereIs = async (needle: string): Promise<string[]> => {
      const hits: string[] = [];
      for (const c of await columns()) {
        const [{ n }] = await ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM ${ident(c.table_name)}
            WHERE strpos(lower(${ident(c.column_name)}::text), lower($1)) > 0`,
          [needle],
        );
        if (n > 0) hits.push(`${c.table_name}.${c.column_name}`);
      }
      return hits;
    };

    /** Every time column holding a value within an hour of `at`. */
    const timesNear = async (at: Date): Promise<string[]> => {
      const hits: string[] = [];
      for (const c of (await columns()).filter((col) => isTime(col.data_type))) {
        const [{ n }] = await ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM ${ident(c.table_name)}
            WHERE ${ident(c.column_name)} BETWEEN $1::timestamptz - interval '1 hour'
                                              AND $1::timestamptz + interval '1 hour'`,
          [at],
        );
        if (n > 0) hits.push(`${c.table_name}.${c.column_name}`);
      }
      return hits;
    };

    /** Moves every time in the database two days back: what happened before is "long ago". */
    const ageEverything = async () => {
      for (const c of (await columns()).filter((col) => isTime(col.data_type))) {
        await ds.query(
          `UPDATE ${ident(c.table_name)} SET ${ident(c.column_name)} = ${ident(c.column_name)} - interval '2 days'
            WHERE ${ident(c.column_name)} IS NOT NULL`,
        );
      }
    };

    const answerOnce = async (anonymous: boolean) => {
      const created = await withSurvey('lyon-2017');
      if (!anonymous)
        await created.owner.json('patch', '/api/v1/editions/lyon-2017/survey', {
          anonymous: false,
        });
      audience.setWorkshops(created.edition.id, [{ id: 'w1', titleFr: 'A', titleEn: 'A' }]);
      audience.add(created.edition.id, [
        { name: 'Solène Quintard', email: 'solene.quintard@example.org', workshopIds: ['w1'] },
        {},
        {},
      ]);
      await mailing.sweep();
      const target = (await invitations('email = $1', ['solene.quintard@example.org']))[0];
      const p = participant(target.id);
      expect((await p.draft({ satisfaction: 3 })).status).toBe(200);
      // Let the worker send the invitations: their delivery times are not answering times.
      await eventually(
        async () =>
          (
            await ds.query<{ n: number }[]>(
              `SELECT count(*)::int AS n FROM outbox_messages WHERE status <> 'sent'`,
            )
          )[0].n === 0,
        { what: 'the invitations to be sent' },
      );
      await ageEverything();
      const submittedAt = new Date();
      expect((await p.submit({ ...goodAnswers, workshops: { w1: 5 } })).status).toBe(201);
      const [response] = await ds.query<{ id: string }[]>('SELECT id FROM survey_responses');
      return { target, submittedAt, responseId: response.id };
    };

    it('leaves no column, join or timestamp linking the answer to the person or the invitation', async () => {
      const { target, submittedAt, responseId } = await answerOnce(true);
      const [response] = await ds.query<Record<string, unknown>[]>(
        'SELECT * FROM survey_responses',
      );
      expect(response).toMatchObject({ invitation_id: null, submitted_at: null, updated_at: null });
      const [invitation] = await invitations('id = $1', [target.id]);
      expect(invitation).toMatchObject({ answered: true, answered_at: null });

      const token = tokenOf(config, target.id);
      // The person and the invitation appear only where they were before the answer.
      expect(await whereIs(target.id)).toEqual([
        'outbox_messages.data',
        'outbox_messages.purpose',
        'survey_invitations.id',
      ]);
      expect(await whereIs(target.token_hash)).toEqual(['survey_invitations.token_hash']);
      expect(await whereIs(target.registration_id)).toEqual(['survey_invitations.registration_id']);
      for (const needle of [token, target.email, target.name]) {
        const hits = await whereIs(needle);
        expect(hits.some((hit) => hit.startsWith('survey_responses.'))).toBe(false);
        expect(hits.some((hit) => hit.startsWith('survey_drafts.'))).toBe(false);
        expect(hits.some((hit) => hit.startsWith('audit_events.'))).toBe(false);
      }
      // The response is named only by its own answer rows (the shape the results aggregate),
      // which hold nothing of the person either; nothing anywhere was written at answering time.
      expect(await whereIs(responseId)).toEqual([
        'survey_answers.response_id',
        'survey_responses.id',
      ]);
      expect(await timesNear(submittedAt)).toEqual([]);
      const [{ n }] = await ds.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM survey_drafts',
      );
      expect(n).toBe(0);
    });

    it('finds the link with the same search when the survey is not anonymous', async () => {
      const { target, submittedAt } = await answerOnce(false);
      expect(await whereIs(target.id)).toContain('survey_responses.invitation_id');
      expect(await timesNear(submittedAt)).toEqual(
        expect.arrayContaining(['survey_invitations.answered_at', 'survey_responses.submitted_at']),
      );
    });
  });

  describe('results', () => {
    it('count response rates by stakeholder and territory, chart every question, filter', async () => {
      const created = await withSurvey('lyon-2017');
      audience.add(created.edition.id, [
        { stakeholderType: 'local_authority', territoryType: 'rural' },
        { stakeholderType: 'local_authority', territoryType: 'urban' },
        { stakeholderType: 'coworking_operator', territoryType: 'urban' },
        { stakeholderType: 'coworking_operator', territoryType: 'urban' },
      ]);
      await mailing.sweep();
      const rows = await ds.query<
        { id: string; stakeholder_type: string; territory_type: string }[]
      >(
        'SELECT id, stakeholder_type, territory_type FROM survey_invitations ORDER BY stakeholder_type, territory_type',
      );
      const [operator, , ruralAuthority, urbanAuthority] = rows;
      await participant(operator.id).submit({ satisfaction: 5, nps: 10, topics: ['rural'] });
      await participant(ruralAuthority.id).submit({
        satisfaction: 3,
        nps: 6,
        topics: ['rural', 'funding'],
        change: '<script>alert(1)</script>',
      });
      await participant(urbanAuthority.id).submit({ satisfaction: 4, nps: 8 });

      const res = await created.owner.json('get', '/api/v1/editions/lyon-2017/survey/results');
      expect(res.status).toBe(200);
      const body = res.body as {
        responses: number;
        rates: { overall: object; byStakeholder: object[]; byTerritory: object[] };
        questions: {
          key: string;
          bars: { key: string; count: number }[];
          mean: number;
          median: number;
          nps: object;
          texts: string[];
        }[];
      };
      expect(body.responses).toBe(3);
      expect(body.rates.overall).toEqual({ key: 'all', invited: 4, answered: 3, rate: 0.75 });
      expect(body.rates.byStakeholder).toEqual([
        { key: 'coworking_operator', invited: 2, answered: 1, rate: 0.5 },
        { key: 'local_authority', invited: 2, answered: 2, rate: 1 },
      ]);
      expect(body.rates.byTerritory).toEqual([
        { key: 'rural', invited: 1, answered: 1, rate: 1 },
        { key: 'urban', invited: 3, answered: 2, rate: 2 / 3 },
      ]);
      const q = (key: string) => body.questions.find((x) => x.key === key)!;
      expect(q('satisfaction')).toMatchObject({ mean: 4, median: 4 });
      expect(q('satisfaction').bars.map((b) => b.count)).toEqual([0, 0, 1, 1, 1]);
      expect(q('nps').nps).toEqual({ score: 0, promoters: 1, passives: 1, detractors: 1 });
      expect(q('topics').bars.filter((b) => b.count > 0)).toEqual([
        expect.objectContaining({ key: 'funding', count: 1 }),
        expect.objectContaining({ key: 'rural', count: 2 }),
      ]);
      expect(q('change').texts).toEqual(['<script>alert(1)</script>']);

      const filtered = await created.owner.json(
        'get',
        '/api/v1/editions/lyon-2017/survey/results?stakeholderType=local_authority&territoryType=rural',
      );
      expect(filtered.body).toMatchObject({ responses: 1 });
      const bad = await created.owner.json(
        'get',
        '/api/v1/editions/lyon-2017/survey/results?stakeholderType=wizard',
      );
      expect(bad.status).toBe(422);
    });

    it('list who has not answered, only when the survey is not anonymous', async () => {
      const created = await withSurvey('lyon-2017');
      audience.add(created.edition.id, [{ name: 'Ada' }, { name: 'Basile' }]);
      await mailing.sweep();
      const anonymous = await created.owner.json(
        'get',
        '/api/v1/editions/lyon-2017/survey/non-respondents',
      );
      expect(anonymous.status).toBe(409);
      expect(anonymous.body).toMatchObject({ code: 'survey.anonymous' });

      await created.owner.json('patch', '/api/v1/editions/lyon-2017/survey', { anonymous: false });
      const [ada] = await invitations(`name = 'Ada'`);
      await participant(ada.id).submit(goodAnswers);
      const res = await created.owner.json(
        'get',
        '/api/v1/editions/lyon-2017/survey/non-respondents',
      );
      expect(res.status).toBe(200);
      expect((res.body as { items: { name: string }[] }).items.map((i) => i.name)).toEqual([
        'Basile',
      ]);
    });
  });
});
