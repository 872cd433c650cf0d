import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { RegistrationService } from '@assises/registration';
import { SurveyMailingService } from '@assises/surveys';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, startWorker, TestApi, TestWorker } from '../harness/app';
import { Browser, loginJson, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { SmtpSink, startSmtpSink } from '../harness/smtp';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface Outcome {
  id: string;
  status: string;
}

/**
 * The survey's audience in production: registration's confirmed attendees, read by the real
 * worker (no audience swapped in), registered, cancelled and checked in through the API.
 */
describe('Survey audience from registration', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let worker: TestWorker;
  let sink: SmtpSink;
  let ds: DataSource;
  let mailing: SurveyMailingService;

  const as = (account: CreatedAccount) => loginJson(api, account.email, DEFAULT_PASSWORD);
  const SLUG = 'nantes-2027';
  const startsAt = new Date(Date.now() + 30 * DAY);
  const endsAt = new Date(startsAt.getTime() + 9 * HOUR);
  /** The morning after the event (the default delay is 15 h). */
  const morningAfter = new Date(endsAt.getTime() + 16 * HOUR);

  /**
   * An edition with 4 seats and an offer-mode waiting list, its default survey, and six people:
   * Alix, Basile and Camille confirmed; Dominique confirmed then cancelled, so Eden (first on
   * the waiting list) is offered the seat; Fanny still waiting.
   */
  async function eventWithPeople() {
    const created = await createEdition(ds, {
      slug: SLUG,
      status: EditionStatus.RegistrationOpen,
      startsAt,
      endsAt,
      capacity: 300,
      members: { owner: {}, volunteer: {} },
    });
    const owner = await as(created.members.owner as CreatedAccount);
    const settings = await owner.json('put', `/api/v1/editions/${SLUG}/registration`, {
      opensAt: new Date(Date.now() - DAY).toISOString(),
      closesAt: new Date(Date.now() + 20 * DAY).toISOString(),
      capacity: 4,
      waitlistMode: 'offer',
    });
    expect(settings.status).toBe(200);
    expect((await owner.json('post', `/api/v1/editions/${SLUG}/survey`)).status).toBe(201);

    const register = async (name: string, profile: object, expected: string) => {
      const res = await newBrowser(api).json('post', `/api/v1/editions/${SLUG}/registrations`, {
        name,
        email: `${name.toLowerCase()}@example.org`,
        organisation: 'La Gare numérique',
        privacyConsent: true,
        ...profile,
      });
      expect(res.status).toBe(201);
      expect((res.body as Outcome).status).toBe(expected);
      return { id: (res.body as Outcome).id, email: `${name.toLowerCase()}@example.org` };
    };
    const rural = { stakeholderType: 'coworking_operator', territoryType: 'rural' };
    const people = {
      alix: await register('Alix', { ...rural, locale: 'en' }, 'confirmed'),
      basile: await register(
        'Basile',
        { stakeholderType: 'local_authority', territoryType: 'urban' },
        'confirmed',
      ),
      camille: await register('Camille', rural, 'confirmed'),
      dominique: await register('Dominique', rural, 'confirmed'),
      eden: await register('Eden', rural, 'waiting'),
      fanny: await register('Fanny', rural, 'waiting'),
    };
    const token = api.app.get(RegistrationService).manageToken(people.dominique.id);
    const cancelled = await newBrowser(api)
      .json('delete', `/api/v1/registrations/${people.dominique.id}`)
      .set('Authorization', `Bearer ${token}`);
    expect(cancelled.status).toBeLessThan(300);
    const states = await ds.query<{ email: string; state: string }[]>(
      'SELECT email, state FROM registrations ORDER BY seq',
    );
    expect(states.map((s) => s.state)).toEqual([
      'confirmed',
      'confirmed',
      'confirmed',
      'cancelled',
      'offered',
      'waiting',
    ]);
    const volunteer = await as(created.members.volunteer as CreatedAccount);
    return { owner, volunteer, people };
  }

  const checkIn = async (volunteer: Browser, registrationId: string) => {
    const [{ check_in_code: code }] = await ds.query<{ check_in_code: string }[]>(
      'SELECT check_in_code FROM registrations WHERE id = $1',
      [registrationId],
    );
    const res = await volunteer.json('post', `/api/v1/editions/${SLUG}/check-ins`, { code });
    expect(res.status).toBe(200);
  };

  const invitationMails = () =>
    ds.query<{ recipient: string; purpose: string; locale: string }[]>(
      `SELECT recipient, purpose, locale FROM outbox_messages
        WHERE template = 'survey-invitation' ORDER BY recipient`,
    );

  const invitations = () =>
    ds.query<{ id: string; email: string; registration_id: string; checked_in: boolean }[]>(
      'SELECT id, email, registration_id, checked_in FROM survey_invitations ORDER BY email',
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpSink();
    config = testConfig(db.url, { TRUST_PROXY: 'true', SMTP_URL: sink.url });
    api = await startApi(config);
    // The production worker, as main.ts builds it: its SurveyAudience is registration's.
    worker = await startWorker(config);
    ds = api.app.get(DataSource);
    mailing = worker.app.get(SurveyMailingService);
  });

  afterEach(async () => {
    await truncateAll(ds);
    sink.messages.length = 0;
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await sink?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it('invites exactly the checked-in attendees, once each, and the report counts them', async () => {
    const { owner, volunteer, people } = await eventWithPeople();
    await checkIn(volunteer, people.alix.id);
    await checkIn(volunteer, people.basile.id);

    // Before the end plus the delay, nobody; after it, the two present, and never again.
    expect(await mailing.sweep(new Date(endsAt.getTime() + HOUR))).toEqual({
      invited: 0,
      reminded: 0,
    });
    expect(await mailing.sweep(morningAfter)).toEqual({ invited: 2, reminded: 0 });
    expect(await mailing.sweep(morningAfter)).toEqual({ invited: 0, reminded: 0 });

    const rows = await invitations();
    expect(rows.map((r) => [r.email, r.registration_id, r.checked_in])).toEqual([
      [people.alix.email, people.alix.id, true],
      [people.basile.email, people.basile.id, true],
    ]);
    const mails = await invitationMails();
    expect(mails).toEqual([
      { recipient: people.alix.email, purpose: `survey-invitation:${rows[0].id}`, locale: 'en' },
      { recipient: people.basile.email, purpose: `survey-invitation:${rows[1].id}`, locale: 'fr' },
    ]);

    // The edition report: attendance from registration, the present ones by profile and territory.
    const report = await owner.open(`/admin/editions/${SLUG}/report`);
    expect(report.status).toBe(200);
    expect(report.html).toContain('3 inscrit·es confirmé·es, 2 présent·es');
    expect(report.html).not.toContain('Aucune inscription confirmée');
    expect(report.html).toContain('<td>Collectivité</td><td>1</td>');
    expect(report.html).toContain('<td>Gestionnaire d&#x27;espace</td><td>1</td>');
    expect(report.html).toContain('<td>Rural</td><td>1</td>');
    expect(report.html).toContain('<td>Urbain</td><td>1</td>');

    // Camille is checked in late, after the invitations went out: invited at the next sweep,
    // once, like the others.
    await checkIn(volunteer, people.camille.id);
    const later = new Date(morningAfter.getTime() + HOUR);
    expect(await mailing.sweep(later)).toEqual({ invited: 1, reminded: 0 });
    expect(await mailing.sweep(later)).toEqual({ invited: 0, reminded: 0 });
    expect((await invitations()).map((r) => r.email)).toEqual(
      [people.alix.email, people.basile.email, people.camille.email].sort(),
    );
    expect((await invitationMails()).map((m) => m.recipient)).toContain(people.camille.email);
    expect(await invitationMails()).toHaveLength(3);
  });

  it('invites every confirmed attendee when nobody was checked in; cancelled, offered and waiting never', async () => {
    const { owner, people } = await eventWithPeople();

    expect(await mailing.sweep(morningAfter)).toEqual({ invited: 3, reminded: 0 });
    expect(await mailing.sweep(morningAfter)).toEqual({ invited: 0, reminded: 0 });

    const confirmed = [people.alix, people.basile, people.camille];
    const rows = await invitations();
    expect(rows.map((r) => [r.email, r.registration_id, r.checked_in])).toEqual(
      confirmed.map((p) => [p.email, p.id, false]),
    );
    const mails = await invitationMails();
    expect(mails.map((m) => m.recipient)).toEqual(confirmed.map((p) => p.email));
    expect(new Set(mails.map((m) => m.purpose)).size).toBe(3);
    for (const absent of [people.dominique, people.eden, people.fanny])
      expect(mails.map((m) => m.recipient)).not.toContain(absent.email);

    const report = await owner.open(`/admin/editions/${SLUG}/report`);
    expect(report.status).toBe(200);
    expect(report.html).toContain('3 inscrit·es confirmé·es, 0 présent·es');
    expect(report.html).toContain('<td>Gestionnaire d&#x27;espace</td><td>2</td>');
    expect(report.html).toContain('<td>Rural</td><td>2</td>');
  });
});
