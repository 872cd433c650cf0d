import type { AppConfig } from '@assises/config';
import { EditionRole, EditionStatus } from '@assises/editions';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createAccount, CreatedAccount, createEdition } from '../factories';
import {
  BrowserHarness,
  onFailureScreenshot,
  screenshot,
  startBrowserHarness,
  unlabelledInputs,
} from '../harness/browser';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

const DAY = 86_400_000;
const SLUG = 'clermont-2027';
/** A phone held upright. */
const PHONE = { width: 390, height: 844 };

const text = async (page: Page, selector: string) =>
  (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();

/**
 * The elements of the page's main content that stick out of the screen, except inside the
 * tables' own sideways-scrolling boxes (`.overflow-auto`). An empty list is the goal.
 */
const overflowing = (page: Page) =>
  page.evaluate<string[]>(`[...document.querySelectorAll('main *')]
    .filter((e) => !e.closest('.overflow-auto') && e.getBoundingClientRect().right > window.innerWidth + 1)
    .map((e) => e.tagName + (e.id ? '#' + e.id : ''))`);

describe('Decisions in Chromium, without JavaScript', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let harness: BrowserHarness;
  let ds: DataSource;
  let organiser: CreatedAccount;
  let accepted: string;
  let page: Page | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    harness = await startBrowserHarness(config);
    ds = harness.api.app.get(DataSource);
    organiser = await createAccount(ds, { email: 'organiser@example.org' });
    const { edition } = await createEdition(ds, {
      slug: SLUG,
      title: 'Assises du coworking 2027',
      status: EditionStatus.Announced,
      members: { [EditionRole.Owner]: organiser },
    });
    await ds.query(`INSERT INTO calls (edition_id, opens_at, closes_at) VALUES ($1, $2, $3)`, [
      edition.id,
      new Date(Date.now() - DAY),
      new Date(Date.now() + 30 * DAY),
    ]);
    const [{ id: formatId }] = await ds.query<{ id: string }[]>(
      `INSERT INTO call_formats (edition_id, key, name_fr, name_en, default_duration_minutes, max_speakers)
       VALUES ($1, 'atelier', 'Atelier', 'Workshop', 90, 4) RETURNING id`,
      [edition.id],
    );
    // Two proposals through the public API, as contributors send them.
    const submit = async (title: string, email: string) => {
      const res = await fetch(`${harness.baseUrl}/api/v1/editions/${SLUG}/proposals`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          abstract: 'Un tiers-lieu rural raconte ses cinq premières années.',
          formatId,
          language: 'fr',
          speakers: [
            {
              email,
              name: 'Camille Martin',
              organisation: 'La Gare numérique',
              stakeholderType: 'project_holder',
              territoryType: 'rural',
            },
          ],
          title,
        }),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    accepted = await submit('Un tiers-lieu dans une ancienne gare', 'camille@example.org');
    await submit('Coworking et mobilité douce', 'dominique@example.org');
  });

  afterAll(async () => {
    await harness?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  const browserIt = (name: string, body: () => Promise<void>) =>
    it(
      name,
      onFailureScreenshot(() => [page], body),
    );

  browserIt(
    'an organiser decides on the board, releases after confirming, and the speaker confirms on a phone',
    async () => {
      page = await harness.newPage({ javaScriptEnabled: false });
      await page.goto(`/admin/editions/${SLUG}`);
      const form = page.locator('main form');
      await form.getByLabel('Adresse e-mail').fill(organiser.email);
      await form.getByLabel('Mot de passe').fill(organiser.password!);
      await form.locator('button[type=submit]').click();
      await page.waitForLoadState('load');
      await page.getByRole('link', { name: 'Décisions' }).click();

      expect(await text(page, 'h1')).toBe('Décisions');
      // The notes sit in closed <details>: open them, as an organiser would, to see their labels.
      for (const summary of await page.locator('main form details summary').all())
        await summary.click();
      expect(await unlabelledInputs(page.locator('main form'))).toEqual([]);
      await page.selectOption(`#d-${accepted}`, 'accept');
      await page.fill(`#n-${accepted}`, 'Bravo, nous vous proposons le samedi matin.');
      await page.getByRole('button', { name: 'Enregistrer les décisions' }).click();
      await page.waitForLoadState('load');
      expect(await text(page, '.flash')).toContain('Décisions enregistrées');
      expect(await text(page, 'section[aria-labelledby=pending-heading]')).toContain(
        '1 à accepter',
      );
      await screenshot(page, 'decisions-board');

      await page.getByRole('button', { name: 'Publier 1 décision(s)…' }).click();
      expect(await text(page, 'h1')).toBe('Publier les décisions');
      await page.getByRole('button', { name: 'Oui, publier 1 décision(s)' }).click();
      await page.waitForLoadState('load');
      expect(await text(page, '.flash')).toContain('1 décision(s) publiée(s) : 1 acceptée(s)');

      const [mail] = await ds.query<{ data: { confirmUrl: string } }[]>(
        `SELECT data FROM outbox_messages WHERE template = 'proposal-accepted'`,
      );
      const link = new URL(mail.data.confirmUrl);
      const phone = await harness.newPage({ javaScriptEnabled: false, viewport: PHONE });
      page = phone;
      await phone.goto(`${link.pathname}${link.search}`);
      expect(await text(phone, 'h1')).toBe('Votre proposition est retenue');
      expect(await overflowing(phone)).toEqual([]);
      await screenshot(phone, 'proposal-confirm-phone');
      await phone.getByRole('button', { name: 'Je confirme notre participation' }).click();
      await phone.waitForLoadState('load');
      expect(await text(phone, 'main')).toContain('Votre participation est confirmée');
      expect(await phone.getByRole('button', { name: 'Nous ne pourrons pas venir' }).count()).toBe(
        0,
      );
      const [row] = await ds.query<{ state: string }[]>(
        'SELECT state FROM proposals WHERE id = $1',
        [accepted],
      );
      expect(row.state).toBe('confirmed');
    },
  );

  browserIt('the stakeholder mix reads on a phone', async () => {
    page = await harness.newPage({ javaScriptEnabled: false, viewport: PHONE });
    await page.goto(`/admin/login?next=/admin/editions/${SLUG}/mix`);
    const form = page.locator('main form');
    await form.getByLabel('Adresse e-mail').fill(organiser.email);
    await form.getByLabel('Mot de passe').fill(organiser.password!);
    await form.locator('button[type=submit]').click();
    await page.waitForLoadState('load');
    expect(await text(page, 'h1')).toBe('Équilibre des voix');
    expect(await text(page, 'main')).toContain('Porteur de projet');
    expect(await overflowing(page)).toEqual([]);
    await screenshot(page, 'stakeholder-mix-phone');
  });
});
