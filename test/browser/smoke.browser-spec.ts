import type { AppConfig } from '@assises/config';
import { Edition, EditionRole, EditionStatus } from '@assises/editions';
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

/** Next year: the upcoming edition; the year after: the editions created through the form. */
const NEXT_YEAR = new Date().getFullYear() + 1;
const LATER_YEAR = NEXT_YEAR + 1;

/** Sign-in through the page, as an organiser would. */
async function signIn(page: Page, account: CreatedAccount): Promise<void> {
  const form = page.locator('main form');
  await form.getByLabel('Adresse e-mail').fill(account.email);
  await form.getByLabel('Mot de passe').fill(account.password!);
  await form.locator('button[type=submit]').click();
}

interface EditionForm {
  title: string;
  slug: string;
  hostCity: string;
  startsAt: string;
  endsAt: string;
  capacity: string;
}

/** Fills the new-edition form (dates typed into the datetime-local inputs) and submits it. */
async function submitEditionForm(page: Page, values: EditionForm): Promise<void> {
  const form = page.locator('main form');
  await form.locator('#f-title').fill(values.title);
  await form.locator('#f-slug').fill(values.slug);
  await form.locator('#f-hostCity').fill(values.hostCity);
  await form.locator('#f-startsAt').fill(values.startsAt);
  await form.locator('#f-endsAt').fill(values.endsAt);
  await form.locator('#f-capacity').fill(values.capacity);
  await form.locator('button[type=submit]').click();
  await page.waitForLoadState('load');
}

const text = async (page: Page, selector: string) =>
  (await page.locator(selector).innerText()).replace(/\s+/g, ' ').trim();

describe('Browser smoke test (Chromium)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let harness: BrowserHarness;
  let ds: DataSource;
  let organiser: CreatedAccount;
  let page: Page | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    harness = await startBrowserHarness(config);
    ds = harness.api.app.get(DataSource);

    organiser = await createAccount(ds, { email: 'organiser@example.org', name: 'Camille Dupont' });
    await createEdition(ds, {
      slug: 'lyon-2017',
      title: 'Assises du coworking 2017',
      hostCity: 'Lyon',
      startsAt: new Date('2017-03-16T08:00:00Z'),
      endsAt: new Date('2017-03-17T17:00:00Z'),
      status: EditionStatus.Archived,
      members: { [EditionRole.Owner]: organiser },
    });
    await createEdition(ds, {
      slug: `marseille-${NEXT_YEAR}`,
      title: `Assises du coworking ${NEXT_YEAR}`,
      hostCity: 'Marseille',
      startsAt: new Date(`${NEXT_YEAR}-06-11T07:00:00Z`),
      endsAt: new Date(`${NEXT_YEAR}-06-12T16:00:00Z`),
      status: EditionStatus.Announced,
      members: { [EditionRole.Owner]: organiser },
    });
  });

  afterAll(async () => {
    await harness?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  /** `it` whose failure leaves a screenshot of the current page in test-results/. */
  const browserIt = (name: string, body: () => Promise<void>) =>
    it(
      name,
      onFailureScreenshot(() => [page], body),
    );

  describe('public pages', () => {
    beforeEach(async () => {
      page = await harness.newPage();
    });

    browserIt(
      'the home page shows the next edition and the past ones with their host cities, styled',
      async () => {
        const broken: string[] = [];
        page!.on('response', (response) => {
          const type = response.request().resourceType();
          if (response.status() >= 400 && ['stylesheet', 'script', 'image', 'font'].includes(type))
            broken.push(`${response.status()} ${response.url()}`);
        });
        page!.on('requestfailed', (request) => broken.push(`failed ${request.url()}`));

        await page!.goto('/');
        expect(await page!.getAttribute('html', 'lang')).toBe('fr');
        expect(await page!.title()).toBe(
          'Les Assises nationales du coworking — Assises nationales du coworking',
        );
        expect(await text(page!, 'h1')).toBe('Les Assises nationales du coworking');

        const next = await text(page!, 'section[aria-labelledby=next-heading]');
        expect(next).toContain('Prochaine édition');
        expect(next).toContain(`Assises du coworking ${NEXT_YEAR}`);
        expect(next).toContain('Marseille');
        expect(next).toContain(`11 juin ${NEXT_YEAR}`);

        const past = await text(page!, 'section[aria-labelledby=past-heading]');
        expect(past).toContain('Éditions précédentes');
        expect(past).toContain('Assises du coworking 2017');
        expect(past).toContain('Lyon');
        expect(past).toContain('16 mars 2017');
        expect(past).not.toContain('Marseille');

        // Pico CSS and our additions are applied, not only linked.
        const [picoFont, primary] = await page!.evaluate<[string, string]>(
          `(() => { const s = getComputedStyle(document.documentElement);
          return [s.getPropertyValue('--pico-font-family'), s.getPropertyValue('--pico-primary').trim()]; })()`,
        );
        expect(picoFont).not.toBe('');
        expect(primary).toBe('#1d6f5f');
        expect(broken).toEqual([]);

        await screenshot(page!, 'home');
      },
    );

    browserIt('the language switch shows the site in English, and remembers it', async () => {
      await page!.goto('/');
      const toEnglish = page!.locator('header a[hreflang=en]');
      expect(await toEnglish.innerText()).toBe('English');
      await toEnglish.click();
      await page!.waitForURL('**/?lang=en');

      expect(await page!.getAttribute('html', 'lang')).toBe('en');
      expect(await text(page!, 'h1')).toBe('Assises nationales du coworking');
      expect(await text(page!, '#next-heading')).toBe('Next edition');
      expect(await text(page!, '#past-heading')).toBe('Past editions');
      expect(await text(page!, 'section[aria-labelledby=past-heading]')).toContain('16 March 2017');
      expect(await text(page!, 'header nav')).toContain('Sign in');

      // The choice is kept in a cookie: a page opened afterwards is English too.
      await page!.goto('/admin/login');
      expect(await text(page!, 'h1')).toBe("Organisers' sign-in");

      await page!.locator('header a[hreflang=fr]').click();
      await page!.waitForURL('**/admin/login?lang=fr');
      expect(await page!.getAttribute('html', 'lang')).toBe('fr');
      expect(await text(page!, 'h1')).toBe('Connexion des organisateurs');
    });
  });

  describe.each([
    { mode: 'with JavaScript', javaScriptEnabled: true, city: 'Rennes' },
    { mode: 'without JavaScript', javaScriptEnabled: false, city: 'Brest' },
  ])('organisers $mode', ({ javaScriptEnabled, city }) => {
    const slug = `${city.toLowerCase()}-${LATER_YEAR}`;
    // One set of screenshots is enough: the pages are the same without JavaScript.
    const takeScreenshots = javaScriptEnabled;

    beforeEach(async () => {
      page = await harness.newPage({ javaScriptEnabled });
    });

    browserIt('/admin leads to the login page, whose inputs all have labels', async () => {
      await page!.goto('/admin');
      const url = new URL(page!.url());
      expect(url.pathname).toBe('/admin/login');
      expect(url.searchParams.get('next')).toBe('/admin');
      expect(await text(page!, 'h1')).toBe('Connexion des organisateurs');
      expect(await unlabelledInputs(page!)).toEqual([]);
      expect(await page!.locator('main input:not([type=hidden])').count()).toBe(2);
      if (takeScreenshots) await screenshot(page!, 'login');
    });

    browserIt("signing in lands on the dashboard listing the organiser's editions", async () => {
      await page!.goto('/admin');
      await signIn(page!, organiser);
      await page!.waitForURL((u) => u.pathname === '/admin');

      expect(await text(page!, 'h1')).toBe('Vos éditions');
      expect(await text(page!, 'main hgroup')).toContain('Camille Dupont');
      const rows = await page!.locator('main table tbody tr').allInnerTexts();
      const flat = rows.map((row) => row.replace(/\s+/g, ' ').trim());
      expect(flat).toEqual(
        expect.arrayContaining([
          expect.stringContaining(`Assises du coworking ${NEXT_YEAR} Marseille`),
          expect.stringContaining('Assises du coworking 2017 Lyon'),
        ]),
      );
      expect(await text(page!, 'header nav')).toContain('Se déconnecter');
    });

    browserIt('on a phone, the signed-in header and the tables never widen the page', async () => {
      await page!.setViewportSize({ width: 390, height: 844 });
      await page!.goto('/admin');
      await signIn(page!, organiser);
      await page!.waitForURL((u) => u.pathname === '/admin');
      expect(await text(page!, 'header nav')).toContain('Se déconnecter');
      const width = await page!.evaluate<number>('document.documentElement.scrollWidth');
      expect(width).toBeLessThanOrEqual(390);
    });

    browserIt(
      'creating an edition through the form lands on its admin page with a success message',
      async () => {
        await page!.goto('/admin/login');
        await signIn(page!, organiser);
        await page!.waitForURL((u) => u.pathname === '/admin');
        await page!.locator('main a[href="/admin/editions/new"]').click();
        await page!.waitForURL('**/admin/editions/new');
        expect(await text(page!, 'h1')).toBe('Nouvelle édition');
        expect(await unlabelledInputs(page!.locator('main form'))).toEqual([]);

        await submitEditionForm(page!, {
          title: `Assises du coworking ${LATER_YEAR} (${city})`,
          slug,
          hostCity: city,
          startsAt: `${LATER_YEAR}-02-03T09:00`,
          endsAt: `${LATER_YEAR}-02-04T18:00`,
          capacity: '250',
        });

        expect(new URL(page!.url()).pathname).toBe(`/admin/editions/${slug}`);
        expect(await text(page!, 'main [role=status]')).toBe('Édition créée.');
        expect(await text(page!, 'h1')).toBe(`Assises du coworking ${LATER_YEAR} (${city})`);
        const meta = await text(page!, 'main hgroup p');
        expect(meta).toContain(city);
        expect(meta).toContain('09:00');
        expect(meta).toContain('Brouillon');
        expect(meta).toContain('Votre rôle : Responsable');

        // The local times were read in Europe/Paris (UTC+1 in February).
        const stored = await ds.manager.findOneByOrFail(Edition, { slug });
        expect(stored.startsAt.toISOString()).toBe(`${LATER_YEAR}-02-03T08:00:00.000Z`);
        expect(stored.endsAt.toISOString()).toBe(`${LATER_YEAR}-02-04T17:00:00.000Z`);
        expect(stored.capacity).toBe(250);
        expect(stored.status).toBe(EditionStatus.Draft);

        // The flash message is shown once.
        await page!.reload();
        expect(await page!.locator('main [role=status]').count()).toBe(0);
      },
    );

    browserIt('an invalid capacity shows the field error and keeps the other values', async () => {
      await page!.goto('/admin/editions/new');
      await signIn(page!, organiser);
      await page!.waitForURL('**/admin/editions/new');

      const values: EditionForm = {
        title: `Assises du coworking ${LATER_YEAR} (bis)`,
        slug: `${slug}-bis`,
        hostCity: 'Saint-Étienne',
        startsAt: `${LATER_YEAR}-03-10T09:30`,
        endsAt: `${LATER_YEAR}-03-11T17:00`,
        capacity: '0',
      };
      const status = page!.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith('/admin/editions'),
      );
      await submitEditionForm(page!, values);
      expect((await status).status()).toBe(422);

      expect(await text(page!, 'main [role=alert]')).toContain(
        'Le formulaire contient des erreurs',
      );
      const capacity = page!.locator('#f-capacity');
      expect(await capacity.getAttribute('aria-invalid')).toBe('true');
      expect(await capacity.getAttribute('aria-describedby')).toBe('f-capacity-error');
      expect(await text(page!, '#f-capacity-error')).toBe('La valeur doit être au moins 1.');
      expect(await capacity.inputValue()).toBe('0');
      for (const [field, value] of Object.entries(values).filter(([f]) => f !== 'capacity')) {
        expect([field, await page!.locator(`#f-${field}`).inputValue()]).toEqual([field, value]);
        expect([field, await page!.locator(`#f-${field}`).getAttribute('aria-invalid')]).toEqual([
          field,
          null,
        ]);
      }
      expect(await page!.locator('#f-timezone').inputValue()).toBe('Europe/Paris');
      expect(await unlabelledInputs(page!.locator('main form'))).toEqual([]);
      expect(await ds.manager.existsBy(Edition, { slug: values.slug })).toBe(false);
      if (takeScreenshots) await screenshot(page!, 'edition-form-error');
    });
  });
});
