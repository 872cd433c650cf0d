import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createAccount, CreatedAccount, createEdition } from '../factories';
import { createCallFor, createProposalFor } from '../factories/review.factory';
import {
  BrowserHarness,
  onFailureScreenshot,
  screenshot,
  startBrowserHarness,
  unlabelledInputs,
} from '../harness/browser';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

async function signIn(page: Page, account: CreatedAccount, next: string): Promise<void> {
  await page.goto(`/admin/login?next=${encodeURIComponent(next)}`);
  const form = page.locator('main form');
  await form.getByLabel('Adresse e-mail').fill(account.email);
  await form.getByLabel('Mot de passe').fill(account.password!);
  await form.locator('button[type=submit]').click();
  await page.waitForLoadState('load');
}

describe('Review page (Chromium)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let harness: BrowserHarness;
  let ds: DataSource;
  let reviewer: CreatedAccount;
  let page: Page | undefined;
  const proposals: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    harness = await startBrowserHarness(config);
    ds = harness.api.app.get(DataSource);
    reviewer = await createAccount(ds, { name: 'Rémi Relecteur' });
    const other = await createAccount(ds, { name: 'Autre Relectrice' });
    const { edition } = await createEdition(ds, {
      slug: 'clermont-2028',
      status: EditionStatus.CfpOpen,
      members: { owner: {}, reviewer },
    });
    await ds.query(
      `INSERT INTO memberships (edition_id, account_id, role) VALUES ($1, $2, 'reviewer')`,
      [edition.id, other.id],
    );
    const call = await createCallFor(ds, edition.id, { blindReview: true });
    proposals.reviewed = await createProposalFor(ds, edition.id, {
      formatId: call.formats.atelier,
      title: 'Déjà relue une fois',
      submittedAt: new Date('2027-01-01T09:00:00Z'),
    });
    proposals.fresh = await createProposalFor(ds, edition.id, {
      formatId: call.formats.atelier,
      themeId: call.themes.rural,
      title: 'Un tiers-lieu dans le Cantal',
      abstract: 'Comment un village de 300 habitants a ouvert son espace de travail partagé.',
      submittedAt: new Date('2027-01-02T09:00:00Z'),
      speakers: [{ name: 'Jeanne Cachée', organisation: 'Mairie de Salers' }],
    });
    // The other reviewer already reviewed the first proposal: the fresh one comes next.
    await ds.query(
      `INSERT INTO reviews (edition_id, proposal_id, reviewer_id, scores, score, comment)
       VALUES ($1, $2, $3, '{"fit":3,"originality":3,"diversity":3,"feasibility":3}', 3, 'Correct')`,
      [edition.id, proposals.reviewed, other.id],
    );
  });

  afterAll(async () => {
    await harness?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it.each([true, false])(
    'a reviewer opens the next proposal, scores it, saves and sees the result (JavaScript %s)',
    (javaScriptEnabled) =>
      onFailureScreenshot(
        () => [page],
        async () => {
          await ds.query(`DELETE FROM reviews WHERE reviewer_id = $1`, [reviewer.id]);
          page = await harness.newPage({
            javaScriptEnabled,
            viewport: javaScriptEnabled
              ? { width: 1280, height: 900 }
              : { width: 390, height: 844 },
          });
          await signIn(page, reviewer, '/admin/editions/clermont-2028/review/next');

          expect(page.url()).toContain(
            `/admin/editions/clermont-2028/proposals/${proposals.fresh}`,
          );
          await expect(page.locator('h1').innerText()).resolves.toBe(
            'Un tiers-lieu dans le Cantal',
          );
          const main = await page.locator('main').innerText();
          expect(main).toContain('Relecture anonyme');
          expect(main).not.toContain('Jeanne Cachée');
          expect(main).not.toContain('Mairie de Salers');
          expect(await unlabelledInputs(page.locator('main form[action$="/review"]'))).toEqual([]);

          const form = page.locator('main form[action$="/review"]');
          for (const [legend, value] of [
            ['Adéquation aux thèmes', '4'],
            ['Originalité', '5'],
            ['Faisabilité', '2'],
          ] as const)
            await form
              .locator('fieldset', { hasText: legend })
              .getByLabel(value, { exact: true })
              .check();
          // Forgetting one criterion: the form comes back with the message and the choices kept.
          await form.getByLabel('Commentaire').fill('Une voix rurale rare, à garder.');
          await form.locator('button[type=submit]').click();
          await page.waitForLoadState('load');
          await expect(page.locator('.field-error').first().innerText()).resolves.toContain(
            'Donnez une note ou abstenez-vous.',
          );
          const again = page.locator('main form[action$="/review"]');
          await expect(
            again
              .locator('fieldset', { hasText: 'Originalité' })
              .getByLabel('5', { exact: true })
              .isChecked(),
          ).resolves.toBe(true);
          await again
            .locator('fieldset', { hasText: 'Diversité des voix' })
            .getByLabel("Je m'abstiens")
            .check();
          await again.locator('button[type=submit]').click();
          await page.waitForLoadState('load');

          await expect(page.locator('.flash').innerText()).resolves.toContain(
            'Votre relecture est enregistrée.',
          );
          // (2×4 + 5 + 2) / 4 = 3.75, the diversity abstention not counted.
          await expect(page.getByTestId('my-score').innerText()).resolves.toBe('3.75');
          const reviews = await page.locator('#reviews').innerText();
          expect(reviews).toContain('Une voix rurale rare, à garder.');
          expect(reviews).toContain('abstention');
          await screenshot(page, `review-page-saved-js-${javaScriptEnabled}`);

          // The list now shows it reviewed by me, with its mean.
          await page.goto('/admin/editions/clermont-2028/proposals?reviewed=yes');
          const row = page.locator('table.proposal-list tbody tr', {
            hasText: 'Un tiers-lieu dans le Cantal',
          });
          await expect(row.locator('td').nth(5).innerText()).resolves.toBe('3.75');
          await expect(row.locator('td').nth(7).innerText()).resolves.toBe('1');
          await page.locator('main details summary').click();
          expect(await unlabelledInputs(page.locator('main'))).toEqual([]);
          await screenshot(page, `review-list-js-${javaScriptEnabled}`);
        },
      )(),
  );
});
