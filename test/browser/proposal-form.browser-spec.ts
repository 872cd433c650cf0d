import type { AppConfig } from '@assises/config';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createOpenCall, createQuestion } from '../factories/call.factory';
import {
  BrowserHarness,
  onFailureScreenshot,
  screenshot,
  startBrowserHarness,
  unlabelledInputs,
} from '../harness/browser';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

/** A phone held upright (an iPhone SE's CSS viewport). */
const PHONE = { width: 375, height: 667 };

const text = async (page: Page, selector: string) =>
  (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();

describe('Proposal form in a browser (Chromium, phone-sized)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let harness: BrowserHarness;
  let ds: DataSource;
  let page: Page | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    harness = await startBrowserHarness(config);
    ds = harness.api.app.get(DataSource);
  });

  afterEach(async () => {
    await truncateAll(ds);
  });

  afterAll(async () => {
    await harness?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  describe.each([
    { mode: 'with JavaScript', javaScriptEnabled: true },
    { mode: 'without JavaScript', javaScriptEnabled: false },
  ])('$mode', ({ javaScriptEnabled }) => {
    it(
      'goes from the call page to the confirmation, adding a co-speaker on the way',
      onFailureScreenshot(
        () => [page],
        async () => {
          const { edition } = await createOpenCall(ds);
          await createQuestion(ds, edition.id, {
            key: 'transport',
            kind: 'single_choice',
            labelFr: 'Comment viendrez-vous ?',
            required: true,
            options: [
              { key: 'train', fr: 'Train', en: 'Train' },
              { key: 'car', fr: 'Voiture', en: 'Car' },
            ],
          });
          page = await harness.newPage({ javaScriptEnabled, viewport: PHONE, isMobile: true });

          await page.goto('/e/lille-2027/call');
          expect(await text(page, 'h1')).toBe('Appel à contributions');
          await page.getByRole('button', { name: 'Proposer une contribution' }).first().click();
          await page.waitForURL('**/e/lille-2027/propose');
          expect(
            await unlabelledInputs(
              page,
              'main form input:not([type=hidden]), main form select, main form textarea',
            ),
          ).toEqual([]);
          // Nothing wider than the phone: no sideways scrolling.
          const overflow = await page.evaluate<number>(
            'document.documentElement.scrollWidth - document.documentElement.clientWidth',
          );
          const wide = await page.evaluate<string[]>(
            `[...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map((e) => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)`,
          );
          expect({ overflow, wide }).toEqual({ overflow: 0, wide: [] });

          const form = page.locator('main form.proposal-form');
          await form.locator('#f-title').fill('Un tiers-lieu dans une ancienne gare');
          await form
            .locator('#f-abstract')
            .fill('Comment une gare désaffectée est devenue un tiers-lieu.');
          await form
            .locator('#f-formatId')
            .selectOption({ label: 'Atelier — 60 min, 1 à 4 intervenant·es' });
          await form.locator('#f-day-2027-03-11').check();
          await form.locator('#f-answer-transport-train').check();
          await form.locator('#f-speakers-0-name').fill('Camille Martin');
          await form.locator('#f-speakers-0-email').fill('camille@example.org');
          await form.locator('#f-speakers-0-stakeholderType').selectOption('project_holder');
          await form.locator('#f-speakers-0-territoryType').selectOption('rural');

          await form.getByRole('button', { name: 'Ajouter un·e intervenant·e' }).click();
          await page.waitForLoadState('load');
          const again = page.locator('main form.proposal-form');
          // Nothing typed was lost.
          expect(await again.locator('#f-title').inputValue()).toBe(
            'Un tiers-lieu dans une ancienne gare',
          );
          expect(await again.locator('#f-answer-transport-train').isChecked()).toBe(true);
          expect(await again.locator('#f-day-2027-03-11').isChecked()).toBe(true);
          await again.locator('#f-speakers-1-name').fill('Jules Bernard');
          await again.locator('#f-speakers-1-email').fill('jules@example.org');
          await again.locator('#f-speakers-1-stakeholderType').selectOption('local_authority');
          await again.locator('#f-speakers-1-territoryType').selectOption('urban');
          if (javaScriptEnabled) await screenshot(page, 'proposal-form-phone');

          await again.getByRole('button', { name: 'Envoyer ma proposition' }).click();
          await page.waitForURL('**/e/lille-2027/propose/sent');
          expect(await text(page, 'h1')).toBe('Vérifiez vos e-mails');

          const [row] = await ds.query<{ title: string; answers: object; n: number }[]>(
            `SELECT title, answers, (SELECT count(*)::int FROM proposal_speakers s WHERE s.proposal_id = p.id) AS n
               FROM proposals p`,
          );
          expect(row).toEqual({
            title: 'Un tiers-lieu dans une ancienne gare',
            answers: { transport: 'train' },
            n: 2,
          });
        },
      ),
    );
  });
});
