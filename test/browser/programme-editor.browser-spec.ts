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

const SLUG = 'grenoble-2027';
const HOSTILE = '<img src=x onerror=alert(1)> Atelier';

describe('Schedule editor (Chromium, without JavaScript)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let harness: BrowserHarness;
  let ds: DataSource;
  let organiser: CreatedAccount;
  let page: Page | undefined;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    harness = await startBrowserHarness(config);
    ds = harness.api.app.get(DataSource);
    organiser = await createAccount(ds, { email: 'organiser@example.org', name: 'Camille Dupont' });
    const { edition } = await createEdition(ds, {
      slug: SLUG,
      status: EditionStatus.Announced,
      startsAt: new Date('2027-02-04T08:00:00Z'),
      endsAt: new Date('2027-02-04T17:00:00Z'),
      members: { [EditionRole.Owner]: organiser },
    });
    for (const [key, name, capacity] of [
      ['amphi', 'Amphi', 200],
      ['salle', 'Salle B', 30],
    ] as const) {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO rooms (edition_id, name, capacity, position) VALUES ($1, $2, $3, $4) RETURNING id`,
        [edition.id, name, capacity, key === 'amphi' ? 0 : 1],
      );
      ids[key] = id;
    }
    for (const [key, title] of [
      ['hostile', HOSTILE],
      ['other', 'Table ronde'],
    ] as const) {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO programme_sessions (edition_id, title, kind, duration_minutes)
         VALUES ($1, $2, 'workshop', 60) RETURNING id`,
        [edition.id, title],
      );
      await ds.query(
        `INSERT INTO programme_session_speakers (session_id, name, email) VALUES ($1, 'Zoé', 'zoe@example.org')`,
        [id],
      );
      ids[key] = id;
    }
  });

  afterAll(async () => {
    await harness?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it(
    'places a session with the form, shows it on the grid, and names the clash of the next one',
    onFailureScreenshot(
      () => [page],
      async () => {
        page = await harness.newPage({ javaScriptEnabled: false });
        await page.goto(`/admin/editions/${SLUG}/programme`);
        const login = page.locator('main form');
        await login.getByLabel('Adresse e-mail').fill(organiser.email);
        await login.getByLabel('Mot de passe').fill(organiser.password!);
        await login.locator('button[type=submit]').click();
        await page.waitForURL(`**/admin/editions/${SLUG}/programme`);
        expect(await page.locator('h1').innerText()).toBe('Programme : grille et sessions');
        expect(await unlabelledInputs(page.locator('main'))).toEqual([]);

        const first = page.locator(`#session-${ids.hostile}`);
        await first.getByLabel('Salle').selectOption(ids.amphi);
        await first.getByLabel('Début').selectOption('2027-02-04T09:00');
        await first.getByRole('button', { name: 'Placer' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator('.flash').innerText()).toContain('Session placée.');
        const cell = page.locator('table.programme-grid tbody tr', { hasText: '09:00' }).first();
        expect(await cell.innerText()).toContain(HOSTILE);
        expect(await page.locator('img[src=x]').count()).toBe(0);

        const second = page.locator(`#session-${ids.other}`);
        await second.getByLabel('Salle').selectOption(ids.salle);
        await second.getByLabel('Début').selectOption('2027-02-04T09:30');
        await second.getByRole('button', { name: 'Placer' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator(`#session-${ids.other} [role=alert]`).innerText()).toContain(
          'Intervenant·e à deux endroits en même temps',
        );
        // The refused choice stays in the form, to force it or change it.
        expect(await second.getByLabel('Salle').inputValue()).toBe(ids.salle);
        expect(await second.getByLabel('Début').inputValue()).toBe('2027-02-04T09:30');
        await screenshot(page, 'programme-editor');
      },
    ),
  );
});
