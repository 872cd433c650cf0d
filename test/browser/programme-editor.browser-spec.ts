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

describe('Schedule editor (Chromium)', () => {
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
      ['dragged', 'Atelier glissé'],
      ['typed', 'Atelier au clavier'],
      ['contested', 'Atelier disputé'],
    ] as const) {
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO programme_sessions (edition_id, title, kind, duration_minutes)
         VALUES ($1, $2, 'workshop', 60) RETURNING id`,
        [edition.id, title],
      );
      await ds.query(
        `INSERT INTO programme_session_speakers (session_id, name, email) VALUES ($1, $2, $3)`,
        key === 'hostile' || key === 'other'
          ? [id, 'Zoé', 'zoe@example.org']
          : [id, `Intervenant ${key}`, `${key}@example.org`],
      );
      ids[key] = id;
    }
  });

  /** A new page, signed in as the organiser, on the schedule editor. */
  async function signedIn(options: { javaScriptEnabled: boolean }): Promise<Page> {
    const opened = await harness.newPage(options);
    await opened.goto(`/admin/editions/${SLUG}/programme`);
    const login = opened.locator('main form');
    await login.getByLabel('Adresse e-mail').fill(organiser.email);
    await login.getByLabel('Mot de passe').fill(organiser.password!);
    await login.locator('button[type=submit]').click();
    await opened.waitForURL(`**/admin/editions/${SLUG}/programme`);
    return opened;
  }

  const placementOf = async (id: string) =>
    (
      await ds.query<{ room_id: string | null; starts_at: Date | null; version: number }[]>(
        'SELECT room_id, starts_at, version FROM programme_sessions WHERE id = $1',
        [id],
      )
    )[0];
  const cell = (room: string, start: string) =>
    `td[data-room="${ids[room]}"][data-start="2027-02-04T${start}"]`;
  /**
   * A mouse drag from the unscheduled list to the grid. Both must be on screen at once (a drag
   * cannot scroll), so the window is made as tall as the page.
   */
  async function drag(from: string, to: string): Promise<void> {
    const height = await page!.evaluate('document.documentElement.scrollHeight');
    await page!.setViewportSize({ width: 1280, height: Number(height) + 100 });
    await page!.dragAndDrop(from, to);
  }
  const unscheduled = (key: string) => `#main ul .session-item[data-session="${ids[key]}"]`;

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
        page = await signedIn({ javaScriptEnabled: false });
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
  it(
    'moves a session by dragging it with the mouse onto a room and time, saved with its version',
    onFailureScreenshot(
      () => [page],
      async () => {
        page = await signedIn({ javaScriptEnabled: true });
        expect(await page.locator('#schedule-dnd-help').innerText()).toContain('Glissez');
        await drag(unscheduled('dragged'), cell('salle', '11:00'));
        await page
          .locator('#schedule-dnd-status', { hasText: 'Session placée : Atelier glissé' })
          .waitFor();
        expect(await placementOf(ids.dragged)).toEqual({
          room_id: ids.salle,
          starts_at: new Date('2027-02-04T10:00:00Z'),
          version: 2,
        });
        // The grid was refreshed in place: the session now sits in its cell.
        expect(await page.locator(cell('salle', '11:00')).innerText()).toContain('Atelier glissé');

        // A drop that breaks a hard constraint is refused and says which (Zoé is in the Amphi).
        await drag(unscheduled('other'), cell('salle', '09:00'));
        await page.locator('#schedule-dnd-alert', { hasText: 'Placement refusé' }).waitFor();
        expect(await page.locator('#schedule-dnd-alert').innerText()).toContain(
          'Intervenant·e à deux endroits en même temps',
        );
        expect((await placementOf(ids.other)).room_id).toBeNull();
        await screenshot(page, 'programme-editor-drag');
      },
    ),
  );

  it(
    'places a session with the keyboard: Enter picks it up, arrows choose the cell, Enter drops it',
    onFailureScreenshot(
      () => [page],
      async () => {
        page = await signedIn({ javaScriptEnabled: true });
        await page.locator(unscheduled('typed')).focus();
        await page.keyboard.press('Enter');
        // The first cell of the grid: the Amphi at 09:00.
        expect(await page.locator(':focus').getAttribute('data-start')).toBe('2027-02-04T09:00');
        expect(await page.locator('#schedule-dnd-status').innerText()).toContain(
          'Session prise : « Atelier au clavier »',
        );
        await page.keyboard.press('ArrowRight');
        for (let i = 0; i < 20; i += 1) await page.keyboard.press('ArrowDown');
        expect(await page.locator('#schedule-dnd-status').innerText()).toBe(
          'Salle B, jeu. 4 févr. 14:00',
        );
        await page.keyboard.press('Enter');
        await page
          .locator('#schedule-dnd-status', { hasText: 'Session placée : Atelier au clavier' })
          .waitFor();
        expect(await placementOf(ids.typed)).toMatchObject({
          room_id: ids.salle,
          starts_at: new Date('2027-02-04T13:00:00Z'),
        });
        // Focus follows the session to its new cell.
        expect(await page.locator(':focus').getAttribute('data-session')).toBe(ids.typed);

        // Escape puts a picked session back without saving anything.
        await page.keyboard.press('Enter');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Escape');
        expect(await page.locator('#schedule-dnd-status').innerText()).toBe('Déplacement annulé.');
        expect((await placementOf(ids.typed)).version).toBe(2);
      },
    ),
  );

  it(
    'says clearly when someone else moved the session meanwhile (409) and shows the fresh grid',
    onFailureScreenshot(
      () => [page],
      async () => {
        page = await signedIn({ javaScriptEnabled: true });
        // Another organiser places it while this page shows it unscheduled (version 1).
        await ds.query(
          `UPDATE programme_sessions SET room_id = $2, starts_at = '2027-02-04T15:00:00Z',
             version = version + 1 WHERE id = $1`,
          [ids.contested, ids.amphi],
        );
        await drag(unscheduled('contested'), cell('salle', '12:00'));
        await page.locator('#schedule-dnd-alert', { hasText: 'Quelqu' }).waitFor();
        expect(await page.locator('#schedule-dnd-alert').innerText()).toBe(
          "Quelqu'un a modifié cette session entre-temps : la grille ci-dessous est à jour, recommencez.",
        );
        // The grid was refreshed: the session is where the other organiser put it.
        expect(await page.locator(cell('amphi', '16:00')).innerText()).toContain('Atelier disputé');
        expect(await placementOf(ids.contested)).toMatchObject({
          room_id: ids.amphi,
          starts_at: new Date('2027-02-04T15:00:00Z'),
          version: 2,
        });
        await screenshot(page, 'programme-editor-stale');
      },
    ),
  );
});
