import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { SurveyBuilderService, SurveyMailingService } from '@assises/surveys';
import type { INestApplicationContext } from '@nestjs/common';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createEdition } from '../factories';
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

describe('Survey form in Chromium (phone, no JavaScript)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let harness: BrowserHarness;
  let worker: INestApplicationContext;
  let page: Page | undefined;
  let link: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    harness = await startBrowserHarness(config);
    const ds = harness.api.app.get(DataSource);
    const audience = new FixedSurveyAudience();
    worker = await startSurveyWorker(config, audience);
    const { edition, members } = await createEdition(ds, {
      slug: 'lyon-2017',
      status: EditionStatus.Closed,
      startsAt: new Date(Date.now() - DAY - 9 * 3_600_000),
      endsAt: new Date(Date.now() - DAY),
      members: { owner: {} },
    });
    const owner = members.owner!;
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
});
