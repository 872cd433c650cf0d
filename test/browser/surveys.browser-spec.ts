import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { SurveyBuilderService, SurveyMailingService } from '@assises/surveys';
import type { INestApplicationContext } from '@nestjs/common';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount } from '../factories';
import { FixedSurveyAudience, startSurveyWorker, tokenOf } from '../factories/survey.factory';
import {
  BrowserHarness,
  onFailureScreenshot,
  startBrowserHarness,
  unlabelledInputs,
} from '../harness/browser';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

const DAY = 86_400_000;

describe('Surveys in Chromium (no JavaScript)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let harness: BrowserHarness;
  let worker: INestApplicationContext;
  let page: Page | undefined;
  let link: string;
  let ds: DataSource;
  let owner: CreatedAccount;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    harness = await startBrowserHarness(config);
    ds = harness.api.app.get(DataSource);
    const audience = new FixedSurveyAudience();
    worker = await startSurveyWorker(config, audience);
    const { edition, members } = await createEdition(ds, {
      slug: 'lyon-2017',
      status: EditionStatus.Closed,
      startsAt: new Date(Date.now() - DAY - 9 * 3_600_000),
      endsAt: new Date(Date.now() - DAY),
      members: { owner: {} },
    });
    owner = members.owner as CreatedAccount;
    await harness.api.app.get(SurveyBuilderService).createDefault(
      {
        accountId: owner.id,
        name: owner.name,
        email: owner.email,
        locale: 'fr',
        isPlatformAdmin: false,
      },
      'lyon-2017',
    );
    audience.setWorkshops(edition.id, [
      { id: 'w1', titleFr: 'Financer son tiers-lieu', titleEn: 'Funding a third place' },
    ]);
    audience.add(edition.id, [{ workshopIds: ['w1'], stakeholderType: 'local_authority' }]);
    await worker.get(SurveyMailingService).sweep();
    const [{ id }] = await ds.query<{ id: string }[]>('SELECT id FROM survey_invitations');
    link = `/s/${id}?token=${tokenOf(config, id)}`;
  });

  afterAll(async () => {
    await worker?.close();
    await harness?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it(
    'is answered on a phone without scripts: saved for later, refused when incomplete, sent once',
    onFailureScreenshot(
      () => [page],
      async () => {
        page = await harness.newPage({
          javaScriptEnabled: false,
          viewport: { width: 375, height: 740 },
        });
        await page.goto(link);
        expect(await unlabelledInputs(page.locator('form.survey-form'))).toEqual([]);
        await page
          .getByRole('group', { name: /satisfait/ })
          .getByLabel('4', { exact: true })
          .check();
        await page
          .getByRole('group', { name: /ateliers/ })
          .getByLabel('5', { exact: true })
          .check();
        await page.getByRole('button', { name: 'Enregistrer et continuer plus tard' }).click();
        await expect(page.locator('.flash-success').innerText()).resolves.toContain(
          'Vos réponses sont enregistrées',
        );
        expect(
          await page
            .getByRole('group', { name: /satisfait/ })
            .getByLabel('4', { exact: true })
            .isChecked(),
        ).toBe(true);

        await page.getByRole('button', { name: 'Envoyer mes réponses' }).click();
        await expect(page.locator('#q-nps .field-error').innerText()).resolves.toBe(
          'Cette question demande une réponse.',
        );
        await page
          .getByRole('group', { name: /Recommanderiez/ })
          .getByLabel('9', { exact: true })
          .check();
        await page
          .getByLabel('Qu’est-ce qu’il faut garder ?')
          .fill('Les ateliers en petits groupes');
        await page.getByRole('button', { name: 'Envoyer mes réponses' }).click();
        await expect(page.locator('.flash-success').innerText()).resolves.toContain('Merci');
        await expect(page.locator('main').innerText()).resolves.toContain(
          'Vous avez déjà répondu à ce questionnaire.',
        );
        expect(await page.locator('form.survey-form').count()).toBe(0);
      },
    ),
  );

  const signIn = async (path: string) => {
    page = await harness.newPage({ javaScriptEnabled: false });
    await page.goto(path);
    const login = page.locator('main form');
    await login.getByLabel('Adresse e-mail').fill(owner.email);
    await login.getByLabel('Mot de passe').fill(owner.password!);
    await login.locator('button[type=submit]').click();
    await page.waitForURL(`**${path}`);
    return page;
  };

  it(
    'builds a section with questions of several kinds, then previews it as participants see it',
    onFailureScreenshot(
      () => [page],
      async () => {
        const p = await signIn('/admin/editions/lyon-2017/survey');
        // The settings are folded (<details>): check the forms in view.
        for (const heading of ['add-section-heading', 'add-question-heading'])
          expect(await unlabelledInputs(p.locator(`section[aria-labelledby=${heading}]`))).toEqual(
            [],
          );
        const addSection = p.locator('section[aria-labelledby=add-section-heading] form');
        await addSection.getByLabel('Titre (français)').fill('Le lieu');
        await addSection.getByLabel('Titre (anglais)').fill('The venue');
        await addSection.getByRole('button', { name: 'Ajouter une section' }).click();
        await p.waitForLoadState('load');
        await expect(p.locator('input[name=titleFr][value="Le lieu"]').count()).resolves.toBe(1);

        const addQuestion = async (fields: {
          kind: string;
          fr: string;
          en: string;
          options?: string;
          required?: boolean;
        }) => {
          const form = p.locator('section[aria-labelledby=add-question-heading] form');
          await form.getByLabel('Section').selectOption({ label: 'Le lieu' });
          await form.getByLabel('Type').selectOption({ label: fields.kind });
          await form.getByLabel('Intitulé (français)').fill(fields.fr);
          await form.getByLabel('Intitulé (anglais)').fill(fields.en);
          if (fields.options)
            await form.getByRole('textbox', { name: /^Choix/ }).fill(fields.options);
          if (fields.required) await form.getByLabel('Obligatoire').check();
          await form.getByRole('button', { name: 'Ajouter une question' }).click();
          await p.waitForLoadState('load');
          await expect(p.locator('.flash-success').innerText()).resolves.not.toBe('');
        };
        await addQuestion({
          kind: 'Note de 1 à 5',
          fr: 'Le lieu vous a plu ?',
          en: 'Did you like the venue?',
        });
        await addQuestion({
          kind: 'Choix unique',
          fr: 'Comment êtes-vous venu·e ?',
          en: 'How did you come?',
          options: 'train | Train | Train\ncar | Voiture | Car\nbike | Vélo | Bike',
        });
        await addQuestion({
          kind: 'Choix multiple',
          fr: 'Quels espaces avez-vous utilisés ?',
          en: 'Which spaces did you use?',
          options: 'hall | Le hall | The hall\ngarden | Le jardin | The garden',
        });
        await addQuestion({ kind: 'Texte long', fr: 'Un mot sur le lieu <b>?</b>', en: 'A word?' });
        const section = p.locator('article', { has: p.locator('input[value="Le lieu"]') });
        await expect(section.locator('ol > li').count()).resolves.toBe(4);

        await p.getByRole('link', { name: 'Aperçu' }).click();
        await p.waitForURL('**/survey/preview');
        const form = p.locator('main');
        await expect(
          form
            .getByRole('group', { name: /Le lieu vous a plu/ })
            .getByLabel('5', { exact: true })
            .count(),
        ).resolves.toBe(1);
        await expect(
          form
            .getByRole('group', { name: /Comment êtes-vous venu/ })
            .getByLabel('Voiture')
            .count(),
        ).resolves.toBe(1);
        await expect(
          form
            .getByRole('group', { name: /Quels espaces/ })
            .getByLabel('Le jardin')
            .count(),
        ).resolves.toBe(1);
        // The organisers' wording is text, never markup.
        await expect(form.getByLabel('Un mot sur le lieu <b>?</b>').count()).resolves.toBe(1);
        expect(await unlabelledInputs(form)).toEqual([]);
      },
    ),
  );

  it(
    'draws the results as SVG bars and filters them by stakeholder type',
    onFailureScreenshot(
      () => [page],
      async () => {
        const [{ id: surveyId }] = await ds.query<{ id: string }[]>('SELECT id FROM surveys');
        for (const [stakeholder, satisfaction] of [
          ['local_authority', 5],
          ['company', 2],
          ['company', 2],
        ] as const)
          await ds.query(
            `INSERT INTO survey_responses (survey_id, answers, stakeholder_type, territory_type)
             VALUES ($1, $2, $3, 'urban')`,
            [surveyId, JSON.stringify({ satisfaction }), stakeholder],
          );
        const count = async (where: string) =>
          (
            await ds.query<{ n: number }[]>(
              `SELECT count(*)::int AS n FROM survey_responses WHERE ${where}`,
            )
          )[0].n;

        const p = await signIn('/admin/editions/lyon-2017/survey/results');
        await expect(p.locator('hgroup p').innerText()).resolves.toContain(
          `${await count('true')} réponse(s)`,
        );
        const satisfaction = p.locator('section.survey-result', { hasText: /satisfait/ });
        const bars = satisfaction.locator('svg.survey-bar');
        await expect(bars.count()).resolves.toBe(5);
        // Drawn on the server, laid out by the browser: every bar has a size, the bar of "2" is
        // as long as its share of the answers.
        for (const bar of await bars.all()) {
          const box = await bar.boundingBox();
          expect(box?.width).toBeGreaterThan(20);
        }
        const two = satisfaction.locator('li', { hasText: /^2/ }).locator('svg rect').nth(1);
        const answered = await count(`answers ? 'satisfaction'`);
        const twos = await count(`answers->>'satisfaction' = '2'`);
        expect(Number(await two.getAttribute('width'))).toBeCloseTo((twos / answered) * 100, 1);

        await p.getByLabel('Par profil').selectOption({ label: 'Collectivité' });
        await p.getByRole('button', { name: 'Filtrer' }).click();
        await p.waitForURL('**/survey/results?stakeholderType=local_authority*');
        await expect(p.locator('hgroup p').innerText()).resolves.toContain(
          `${await count(`stakeholder_type = 'local_authority'`)} réponse(s)`,
        );
        expect(await p.getByLabel('Par profil').inputValue()).toBe('local_authority');
        await expect(
          p
            .locator('section.survey-result', { hasText: /satisfait/ })
            .locator('li', { hasText: /^2/ })
            .innerText(),
        ).resolves.toMatch(/0 · 0[\u00a0\u202f ]%/);
      },
    ),
  );
});
