import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { SurveyMailingService } from '@assises/surveys';
import type { INestApplicationContext } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  createEdition,
  CreatedAccount,
  createFormat,
  createProposal,
  DEFAULT_PASSWORD,
} from '../factories';
import { FixedSurveyAudience, startSurveyWorker, tokenOf } from '../factories/survey.factory';
import { startApi, TestApi } from '../harness/app';
import { binary, Browser, csrfTokenIn, flashIn, newBrowser } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { pdfStreams, pdfTextHeights, pdfTextLines } from '../harness/pdf';

const DAY = 86_400_000;

describe('Evaluation surveys (pages)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;
  let worker: INestApplicationContext;
  let audience: FixedSurveyAudience;

  const signedIn = async (account: CreatedAccount) => {
    const browser = newBrowser(api);
    await browser.signIn(account.email, DEFAULT_PASSWORD);
    return browser;
  };

  /** An edition that ended yesterday, its owner signed in on the builder page. */
  const setUp = async () => {
    const { edition, members } = await createEdition(ds, {
      slug: 'lyon-2017',
      status: EditionStatus.Closed,
      startsAt: new Date(Date.now() - DAY - 9 * 3_600_000),
      endsAt: new Date(Date.now() - DAY),
      members: { owner: {} },
    });
    const owner = await signedIn(members.owner as CreatedAccount);
    return { edition, owner };
  };

  const withInvitees = async (people: object[], named = false) => {
    const ctx = await setUp();
    const created = await ctx.owner.submit(
      '/admin/editions/lyon-2017/survey',
      '/admin/editions/lyon-2017/survey',
    );
    expect(created.status).toBe(303);
    if (named) await ds.query('UPDATE surveys SET anonymous = false');
    audience.add(ctx.edition.id, people);
    await worker.get(SurveyMailingService).sweep();
    const invitations = await ds.query<{ id: string; name: string }[]>(
      'SELECT id, name FROM survey_invitations ORDER BY name',
    );
    return { ...ctx, invitations };
  };

  const linkOf = (id: string) => `/s/${id}?token=${tokenOf(config, id)}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { TRUST_PROXY: 'true' });
    api = await startApi(config);
    ds = api.app.get(DataSource);
    audience = new FixedSurveyAudience();
    worker = await startSurveyWorker(config, audience);
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
    it('offers the default survey, then shows its sections and questions with a preview', async () => {
      const { owner } = await setUp();
      const empty = await owner.open('/admin/editions/lyon-2017/survey');
      expect(empty.status).toBe(200);
      expect(empty.html).toContain('Créer le questionnaire par défaut');
      const created = await owner.submit(
        '/admin/editions/lyon-2017/survey',
        '/admin/editions/lyon-2017/survey',
      );
      expect(created.status).toBe(303);
      expect(flashIn(created)).toMatchObject({ key: 'surveys.flash.created' });
      const page = await owner.open('/admin/editions/lyon-2017/survey');
      expect(page.html).toContain('Dans l’ensemble, êtes-vous satisfait·e de ces Assises ?');
      expect(page.html).toContain('Overall, how satisfied are you with these Assises?');
      const preview = await owner.open('/admin/editions/lyon-2017/survey/preview?lang=en');
      expect(preview.status).toBe(200);
      expect(preview.html).toContain('Would you recommend the Assises to a colleague?');
      expect(preview.html).toContain('Workshop (sample)');
      expect(preview.html).not.toContain('name="_action"');
    });

    it('adds a question from the form, re-renders bad input with the field, edits and reorders', async () => {
      const { owner } = await setUp();
      await owner.submit('/admin/editions/lyon-2017/survey', '/admin/editions/lyon-2017/survey');
      const [section] = await ds.query<{ id: string }[]>(
        'SELECT id FROM survey_sections ORDER BY position LIMIT 1',
      );
      const bad = await owner.submit(
        '/admin/editions/lyon-2017/survey',
        '/admin/editions/lyon-2017/survey/questions',
        { sectionId: section.id, kind: 'single_choice', labelFr: 'Accès', labelEn: 'Access' },
      );
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('une question à choix demande au moins deux choix');
      expect(bad.text).toContain('value="Accès"');

      const ok = await owner.submit(
        '/admin/editions/lyon-2017/survey',
        '/admin/editions/lyon-2017/survey/questions',
        {
          sectionId: section.id,
          kind: 'single_choice',
          labelFr: 'Accès',
          labelEn: 'Access',
          options: 'train | Train | Train\nvelo | Vélo | Bike',
          required: 'true',
          stakeholderTypes: 'local_authority',
        },
      );
      expect(ok.status).toBe(303);
      const [question] = await ds.query<
        { id: string; options: object[]; required: boolean; stakeholder_types: string[] }[]
      >(`SELECT * FROM survey_questions WHERE label_fr = 'Accès'`);
      expect(question).toMatchObject({
        options: [
          { key: 'train', fr: 'Train', en: 'Train' },
          { key: 'velo', fr: 'Vélo', en: 'Bike' },
        ],
        required: true,
        stakeholder_types: ['local_authority'],
      });

      const editPage = await owner.open(
        `/admin/editions/lyon-2017/survey/questions/${question.id}`,
      );
      expect(editPage.html).toContain('velo | Vélo | Bike');
      const edited = await owner.submit(
        `/admin/editions/lyon-2017/survey/questions/${question.id}`,
        `/admin/editions/lyon-2017/survey/questions/${question.id}`,
        {
          sectionId: section.id,
          kind: 'single_choice',
          labelFr: 'Comment êtes-vous venu·e ?',
          labelEn: 'How did you come?',
          options: 'train | Train | Train\nvelo | Vélo | Bike',
          required: 'false',
        },
      );
      expect(edited.status).toBe(303);
      const moved = await owner.submit(
        '/admin/editions/lyon-2017/survey',
        `/admin/editions/lyon-2017/survey/questions/${question.id}/move`,
        { direction: 'up' },
      );
      expect(moved.status).toBe(303);
      const order = await ds.query<{ label_fr: string }[]>(
        'SELECT label_fr FROM survey_questions WHERE section_id = $1 ORDER BY position DESC LIMIT 2',
        [section.id],
      );
      expect(order.map((q) => q.label_fr)).toEqual([
        'Comment avez-vous connu les Assises ?',
        'Comment êtes-vous venu·e ?',
      ]);
    });

    it('refuses an anonymous survey with changeable answers, keeping the form', async () => {
      const { owner } = await setUp();
      await owner.submit('/admin/editions/lyon-2017/survey', '/admin/editions/lyon-2017/survey');
      const res = await owner.submit(
        '/admin/editions/lyon-2017/survey',
        '/admin/editions/lyon-2017/survey/settings',
        { anonymous: 'true', allowChanges: 'true' },
      );
      expect(res.status).toBe(422);
      expect(res.text).toContain('pas de réponses modifiables en mode anonyme');
    });
  });

  describe('the participant page', () => {
    it('opens only with the link’s token', async () => {
      const { invitations } = await withInvitees([{}, {}]);
      const [a, b] = invitations;
      const browser = newBrowser(api);
      expect((await browser.open(linkOf(a.id))).status).toBe(200);
      expect((await browser.open(`/s/${a.id}?token=${tokenOf(config, b.id)}`)).status).toBe(404);
      expect((await browser.open(`/s/${a.id}`)).status).toBe(404);
    });

    it('saves for later, re-renders bad answers with a message per question, then submits once', async () => {
      const { invitations } = await withInvitees([{ locale: 'fr' }]);
      const link = linkOf(invitations[0].id);
      const browser: Browser = newBrowser(api);
      const page = await browser.open(link);
      expect(page.html).toContain('name="a_satisfaction"');
      expect(page.html).toContain('Enregistrer et continuer plus tard');

      const saved = await browser.post(
        link,
        { _action: 'save', a_satisfaction: '4', a_keep: 'Le déjeuner' },
        page.csrf,
      );
      expect(saved.status).toBe(303);
      expect(flashIn(saved)).toMatchObject({ key: 'surveys.flash.draft_saved' });
      const again = await browser.open(link);
      expect(again.html).toMatch(/name="a_satisfaction" value="4" checked/);
      expect(again.html).toContain('Le déjeuner');

      const bad = await browser.post(
        link,
        { _action: 'submit', a_satisfaction: '9', a_heard_from: 'pigeon', a_keep: '<b>gras</b>' },
        again.csrf,
      );
      expect(bad.status).toBe(422);
      expect(bad.text).toContain('Cette réponse n&#x27;est pas dans l&#x27;échelle proposée.');
      expect(bad.text).toContain('Cette question demande une réponse.');
      expect(bad.text).toContain('Ce choix ne fait pas partie de la liste.');
      expect(bad.text).toContain('&lt;b&gt;gras&lt;/b&gt;');
      expect(bad.text).toContain('id="q-nps" class="survey-question has-error"');

      const sent = await browser.post(
        link,
        { _action: 'submit', a_satisfaction: '5', a_nps: '10', a_topics: 'rural' },
        csrfTokenIn(bad.text),
      );
      expect(sent.status).toBe(303);
      expect(flashIn(sent)).toMatchObject({ key: 'surveys.flash.submitted' });
      const done = await browser.open(link);
      expect(done.html).toContain('Vous avez déjà répondu à ce questionnaire.');
      expect(done.html).not.toContain('name="a_satisfaction"');
      const twice = await browser.post(
        link,
        { _action: 'submit', a_satisfaction: '1', a_nps: '0' },
        page.csrf,
      );
      expect(twice.status).toBe(303);
      const responses = await ds.query<{ answers: object }[]>(
        'SELECT answers FROM survey_responses',
      );
      expect(responses).toEqual([{ answers: { satisfaction: 5, nps: 10, topics: ['rural'] } }]);
    });

    it('says clearly that a closed survey is closed, in English too', async () => {
      const { invitations } = await withInvitees([{}]);
      await ds.query(
        `UPDATE surveys SET opens_at = now() - interval '30 days', closes_at = now() - interval '1 day'`,
      );
      const page = await newBrowser(api).open(`${linkOf(invitations[0].id)}&lang=en`);
      expect(page.status).toBe(200);
      expect(page.html).toContain('This survey closed on');
      expect(page.html).not.toContain('<form method="post" action="/s/');
    });
  });

  describe('results', () => {
    it('draws bars, the NPS and escaped free text; filters; lists non-respondents when named', async () => {
      const { owner, invitations } = await withInvitees(
        [
          { name: 'Ada', stakeholderType: 'local_authority', territoryType: 'rural' },
          { name: 'Basile' },
          { name: 'Chloé' },
        ],
        true,
      );
      const answer = (id: string, fields: Record<string, string>) =>
        newBrowser(api)
          .json('post', `/api/v1/survey-invitations/${id}/response`, { answers: fields })
          .set('Authorization', `Bearer ${tokenOf(config, id)}`);
      const [ada, basile] = invitations;
      expect(
        (
          await answer(ada.id, {
            satisfaction: '5',
            nps: '10',
            change: '<script>alert("x")</script>',
          })
        ).status,
      ).toBe(201);
      expect(
        (
          await answer(basile.id, {
            satisfaction: '3',
            nps: '5',
            keep: '=HYPERLINK("http://evil")',
          })
        ).status,
      ).toBe(201);

      const page = await owner.open('/admin/editions/lyon-2017/survey/results');
      expect(page.status).toBe(200);
      expect(page.html).toContain('2 réponse(s)');
      expect(page.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(page.html).not.toContain('<script>alert');
      expect(page.html).toContain('<strong>NPS 0</strong>');
      expect(page.html).toMatch(/<rect width="50" height="8" fill="#1d6f5f"\/>/);
      expect(page.html).toContain('Chloé');
      expect(page.html).not.toMatch(/<td>Ada<\/td>/);

      const filtered = await owner.open(
        '/admin/editions/lyon-2017/survey/results?stakeholderType=local_authority',
      );
      expect(filtered.html).toContain('1 réponse(s)');

      const csv = await owner.get('/admin/editions/lyon-2017/survey/results/csv');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      expect(csv.text.charCodeAt(0)).toBe(0xfeff);
      expect(csv.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
      expect(csv.text).toContain('Ada');

      const xlsx = await owner
        .get('/admin/editions/lyon-2017/survey/results/xlsx')
        .buffer(true)
        .parse(binary);
      expect(xlsx.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      const body = xlsx.body as Buffer;
      await workbook.xlsx.load(
        body.buffer.slice(body.byteOffset, body.byteOffset + body.length) as ArrayBuffer,
      );
      const values = workbook.worksheets[0]
        .getSheetValues()
        .flat()
        .filter((v) => typeof v === 'string');
      expect(values).toContain(`'=HYPERLINK("http://evil")`);
    });

    it('puts the previous edition’s response rates beside each stakeholder and territory type', async () => {
      const { owner, invitations } = await withInvitees([
        { name: 'Ada', stakeholderType: 'local_authority', territoryType: 'rural' },
        { name: 'Basile' },
      ]);
      const ada = invitations.find((i) => i.name === 'Ada')!;
      const answered = await newBrowser(api)
        .json('post', `/api/v1/survey-invitations/${ada.id}/response`, {
          answers: { satisfaction: 4, nps: 9 },
        })
        .set('Authorization', `Bearer ${tokenOf(config, ada.id)}`);
      expect(answered.status).toBe(201);
      const cloned = await owner.json('post', '/api/v1/editions/lyon-2017/clone', {
        slug: 'clermont-2027',
        hostCity: 'Clermont-Ferrand',
        startsAt: '2027-03-10T09:00',
        endsAt: '2027-03-10T18:00',
      });
      expect(cloned.status).toBe(201);
      // Clermont's edition is over too, and its survey open: its attendees are invited.
      await ds.query(
        `UPDATE editions SET starts_at = now() - interval '2 days', ends_at = now() - interval '1 day'
          WHERE slug = 'clermont-2027'`,
      );
      const [{ id: next }] = await ds.query<{ id: string }[]>(
        `SELECT id FROM editions WHERE slug = 'clermont-2027'`,
      );
      await ds.query(
        `UPDATE surveys SET opens_at = now() - interval '1 day', closes_at = now() + interval '20 days'
          WHERE edition_id = $1`,
        [next],
      );
      audience.add(next, [{}, { territoryType: 'periurban' }]);
      await worker.get(SurveyMailingService).sweep(new Date(Date.now() + 16 * 3_600_000));

      const page = await owner.open('/admin/editions/clermont-2027/survey/results');
      expect(page.status).toBe(200);
      const text = page.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      expect(text).toContain('Édition précédente (');
      // Invited, answered, rate, then the previous edition's rate.
      expect(text).toContain('Ensemble 2 0 0 % 50 %');
      expect(text).toContain('Gestionnaire d&#x27;espace 2 0 0 % 0 %');
      // Nobody of that kind this time: the line stays, with the previous edition's rate.
      expect(text).toContain('Collectivité 0 0 100 %');
      expect(text).toContain('Urbain 1 0 0 % 0 %');
      expect(text).toContain('Rural 0 0 100 %');
    });

    it('does not list non-respondents of an anonymous survey', async () => {
      const { owner } = await withInvitees([{ name: 'Ada' }]);
      const page = await owner.open('/admin/editions/lyon-2017/survey/results');
      expect(page.html).toContain(
        'la liste des personnes qui n&#x27;ont pas répondu n&#x27;est pas affichée',
      );
      expect(page.html).not.toContain('Ada');
    });
  });

  describe('the edition report', () => {
    it('prints the organisers’ text, survey charts beside the previous edition, what is missing said so', async () => {
      const { owner, invitations } = await withInvitees([{}]);
      const answered = await newBrowser(api)
        .json('post', `/api/v1/survey-invitations/${invitations[0].id}/response`, {
          answers: { satisfaction: 4, nps: 9 },
        })
        .set('Authorization', `Bearer ${tokenOf(config, invitations[0].id)}`);
      expect(answered.status).toBe(201);
      const cloned = await owner.json('post', '/api/v1/editions/lyon-2017/clone', {
        slug: 'clermont-2027',
        hostCity: 'Clermont-Ferrand',
        startsAt: '2027-03-10T09:00',
        endsAt: '2027-03-10T18:00',
      });
      expect(cloned.status).toBe(201);

      const report = await owner.open('/admin/editions/clermont-2027/report');
      expect(report.status).toBe(200);
      expect(report.html).toContain('Bilan de l&#x27;édition');
      expect(report.html).toContain('Aucune inscription confirmée pour cette édition');
      expect(report.html).toContain('Aucun programme publié pour cette édition.');
      expect(report.html).toContain('Aucune proposition reçue pour cette édition.');
      expect(report.html).toContain('0 réponse(s)');
      expect(report.html).toMatch(/édition précédente : 1 réponse\(s\), 100[\u00a0\u202f]%/);
      expect(report.html).toContain('édition précédente : Moyenne 4');

      const saved = await owner.submit(
        '/admin/editions/clermont-2027/report',
        '/admin/editions/clermont-2027/report',
        { body: '<i>Enjeux</i> : le rural' },
      );
      expect(saved.status).toBe(303);
      const again = await owner.open('/admin/editions/clermont-2027/report');
      expect(again.html).toContain('&lt;i&gt;Enjeux&lt;/i&gt; : le rural');
      const own = await owner.open('/admin/editions/lyon-2017/report');
      expect(own.html).toContain('<rect width="100" height="8" fill="#1d6f5f"/>');
    });

    /** The report as the PDF download, its text lines (footers left out) and headers. */
    const pdfOf = async (browser: Browser, path: string) => {
      const res = await browser.get(path).buffer(true).parse(binary);
      const body = res.body as Buffer;
      const lines = pdfTextLines(body).filter((l) => !/ · \d+ \/ \d+$/.test(l));
      return { res, body, lines };
    };

    it('downloads as a PDF: charts as shapes, hostile text as text, with or without a previous edition', async () => {
      const { owner, invitations } = await withInvitees([{}]);
      const answered = await newBrowser(api)
        .json('post', `/api/v1/survey-invitations/${invitations[0].id}/response`, {
          answers: {
            satisfaction: 4,
            nps: 9,
            heard_from: 'network',
            keep: 'Le café (et les gens) \\ « œuvre »',
          },
        })
        .set('Authorization', `Bearer ${tokenOf(config, invitations[0].id)}`);
      expect(answered.status).toBe(201);
      const hostile = `</p><script>alert(1)</script> ) Tj (x) Tj \\ \\) ${'é'.repeat(300)} çà œ « » ’ —`;
      const body = `${hostile} ${'Les enjeux ruraux. '.repeat(300)}`.slice(0, 5_000);
      const saved = await owner.submit(
        '/admin/editions/lyon-2017/report',
        '/admin/editions/lyon-2017/report',
        { body },
      );
      expect(saved.status).toBe(303);
      const page = await owner.open('/admin/editions/lyon-2017/report');
      expect(page.html).toContain('href="/admin/editions/lyon-2017/report/download.pdf"');

      // No previous edition: this one is the first.
      const own = await pdfOf(owner, '/admin/editions/lyon-2017/report/download.pdf');
      expect(own.res.status).toBe(200);
      expect(own.res.headers['content-type']).toBe('application/pdf');
      expect(own.res.headers['content-disposition']).toBe(
        'attachment; filename="lyon-2017-report.pdf"',
      );
      expect(own.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(own.lines).toContain("Bilan de l'édition");
      expect(own.lines).toContain("Le mot de l'équipe d'organisation");
      expect(own.lines).toContain('Évaluation');
      // The organisers' 5,000 characters, wrapped and carried over pages, all there as text.
      const flat = (text: string) => text.replace(/\s/g, '');
      expect(flat(own.lines.join(''))).toContain(flat(body));
      // Nothing written past an A4 page's margins (y counts from the bottom edge, 842 pt high).
      for (const y of pdfTextHeights(own.body)) {
        expect(y).toBeGreaterThan(20);
        expect(y).toBeLessThan(842 - 40);
      }
      // Survey charts: the bars' figures, the NPS scale, and the free text quoted.
      expect(own.lines).toContain('Comment avez-vous connu les Assises ?');
      expect(own.lines).toContain('Par mon réseau');
      expect(own.lines).toContain('1 · 100 %');
      expect(own.lines).toContain('NPS 100');
      // The mean and median marked on the 1–5 and 0–10 scales, each labelled.
      expect(own.lines.filter((l) => l === 'Moyenne').length).toBe(2);
      expect(own.lines.filter((l) => l === 'Médiane').length).toBe(2);
      expect(own.lines).toContain('« Le café (et les gens) \\ « œuvre » »');
      const shapes = pdfStreams(own.body).join('').match(/ re\b/g) ?? [];
      expect(shapes.length).toBeGreaterThan(10);

      // A next edition with no responses yet, the previous one beside, in English.
      const cloned = await owner.json('post', '/api/v1/editions/lyon-2017/clone', {
        slug: 'clermont-2027',
        hostCity: 'Clermont-Ferrand',
        startsAt: '2027-03-10T09:00',
        endsAt: '2027-03-10T18:00',
      });
      expect(cloned.status).toBe(201);
      const next = await pdfOf(owner, '/admin/editions/clermont-2027/report/download.pdf?lang=en');
      expect(next.res.status).toBe(200);
      expect(next.res.headers['content-disposition']).toBe(
        'attachment; filename="clermont-2027-report.pdf"',
      );
      expect(next.lines).toContain('Edition report');
      expect(next.lines.join('\n')).toContain('Clermont-Ferrand');
      expect(next.lines.join('\n')).toContain('0 response(s)');
      expect(next.lines.join('\n')).toContain('previous edition: 1 response(s), 100 %');
    });

    /** A published version of an edition's programme, as the programme lib freezes it. */
    const publish = async (editionId: string, sessions: object[]) => {
      await ds.query(
        `INSERT INTO schedule_versions (edition_id, number, name, snapshot) VALUES ($1, 1, 'v1', $2)`,
        [
          editionId,
          JSON.stringify({
            themes: [{ id: 't1', nameFr: 'Ruralité', nameEn: 'Rurality' }],
            rooms: [],
            sessions,
          }),
        ],
      );
    };
    /** A confirmed registration, checked in, as registration stores it. */
    const attendee = async (editionId: string, stakeholder: string, territory: string) => {
      const [{ id: category }] = await ds.query<{ id: string }[]>(
        `INSERT INTO ticket_categories (edition_id, key, name_fr, name_en)
         VALUES ($1, 'standard', 'Standard', 'Standard') RETURNING id`,
        [editionId],
      );
      const unique = randomBytes(6).toString('hex');
      await ds.query(
        `INSERT INTO registrations (edition_id, category_id, state, name, email, stakeholder_type,
           territory_type, privacy_notice_version, privacy_consented_at, manage_token_hash,
           check_in_code, confirmed_at, checked_in_at)
         VALUES ($1, $2, 'confirmed', 'Présente', $3, $4, $5, '1', now(), $6, $6, now(), now())`,
        [editionId, category, `present-${unique}@example.org`, stakeholder, territory, unique],
      );
    };
    const session = (kind: string, themeId: string | null, speaker: string) => ({
      kind,
      themeId,
      speakers: [{ name: speaker, organisation: '', bio: '' }],
    });

    it('sums up the published programme and the call beside the previous edition; downloads as one HTML file', async () => {
      const { owner, edition } = await withInvitees([{}]);
      const atelier = await createFormat(ds, edition.id, { key: 'atelier' });
      await createProposal(ds, edition.id, atelier, { state: 'confirmed' });
      await createProposal(ds, edition.id, atelier, { state: 'rejected' });
      await createProposal(ds, edition.id, atelier, { state: 'draft' });
      await publish(edition.id, [
        session('workshop', 't1', 'Ada'),
        session('plenary', null, 'Ada'),
      ]);
      const cloned = await owner.json('post', '/api/v1/editions/lyon-2017/clone', {
        slug: 'clermont-2027',
        hostCity: 'Clermont-Ferrand',
        startsAt: '2027-03-10T09:00',
        endsAt: '2027-03-10T18:00',
      });
      expect(cloned.status).toBe(201);
      const [{ id: next }] = await ds.query<{ id: string }[]>(
        `SELECT id FROM editions WHERE slug = 'clermont-2027'`,
      );
      const [copied] = await ds.query<{ id: string }[]>(
        `SELECT id FROM call_formats WHERE edition_id = $1 AND key = 'atelier'`,
        [next],
      );
      const format = copied?.id ?? (await createFormat(ds, next, { key: 'atelier' }));
      for (const state of ['accepted', 'confirmed', 'submitted', 'withdrawn'])
        await createProposal(ds, next, format, { state });
      // The api reads attendance from registration: one present in each edition.
      await attendee(edition.id, 'coworking_operator', 'urban');
      await attendee(next, 'local_authority', 'rural');
      await publish(next, [
        session('workshop', 't1', 'Bea'),
        session('workshop', 't1', 'Chloé'),
        session('round_table', null, '<script>alert(1)</script>'),
      ]);

      const report = await owner.open('/admin/editions/clermont-2027/report');
      expect(report.status).toBe(200);
      const text = report.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
      // Attendance by profile and territory, the previous edition's beside (its one attendee).
      expect(text).toContain('Collectivité 1 0');
      expect(text).toContain('Gestionnaire d&#x27;espace 0 1');
      expect(text).toContain('Rural 1 0');
      expect(text).toContain('Urbain 0 1');
      expect(text).toContain('3 sessions et 3 intervenant·es au programme publié (« v1 »)');
      expect(text).toContain('édition précédente : 2');
      // Sessions by kind, with the previous edition's count beside.
      expect(text).toContain('Atelier 2 1');
      expect(text).toContain('Table ronde 1 0');
      expect(text).toContain('Ruralité 2');
      expect(text).toContain('Sans thème 1');
      // Received: accepted, confirmed and submitted (withdrawn and drafts are not proposals).
      expect(text).toContain('3 propositions reçues, 2 retenues');
      expect(text).toContain('édition précédente : 2 / 1');
      expect(text).toContain('Atelier 3 2 2 / 1');
      expect(text).toContain('Gestionnaire d&#x27;espace 3 2');
      expect(report.html).not.toContain('<script>alert(1)');

      const saved = await owner.submit(
        '/admin/editions/clermont-2027/report',
        '/admin/editions/clermont-2027/report',
        { body: '</p><script>alert(1)</script> Les enjeux' },
      );
      expect(saved.status).toBe(303);
      const file = await owner.open('/admin/editions/clermont-2027/report/download.html');
      expect(file.status).toBe(200);
      expect(file.res.headers['content-disposition']).toBe(
        'attachment; filename="clermont-2027-report.html"',
      );
      expect(file.html).toMatch(/^<!doctype html>/);
      expect(file.html).toContain('<style>');
      expect(file.html).not.toContain('/assets/');
      expect(file.html).not.toContain('_csrf');
      expect(file.html).toContain('3 propositions reçues, 2 retenues');
      expect(file.html).toContain('&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt; Les enjeux');
      expect(file.html).not.toContain('<script>');

      // The PDF draws the same tables: attendance, sessions by kind and theme, the call.
      const pdf = await pdfOf(owner, '/admin/editions/clermont-2027/report/download.pdf');
      expect(pdf.res.status).toBe(200);
      const said = pdf.lines.join('\n');
      expect(said).toContain('1 inscrit·es confirmé·es, 1 présent·es · édition précédente : 1 / 1');
      expect(said).toContain('Collectivité\n1\n0');
      expect(said).toContain('Urbain\n0\n1');
      expect(said).toContain('Atelier\n2\n1');
      expect(said).toContain('Ruralité\n2');
      expect(said).toContain('3 propositions reçues, 2 retenues · édition précédente : 2 / 1');
      expect(said).toContain('Atelier\n3\n2\n2 / 1');
      expect(said).toContain('</p><script>alert(1)</script> Les enjeux');
    });
  });
});
