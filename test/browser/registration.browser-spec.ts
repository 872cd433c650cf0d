import type { AppConfig } from '@assises/config';
import { EditionRole, EditionStatus } from '@assises/editions';
import type { Page } from 'playwright-core';
import QRCode from 'qrcode';
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
/** A phone held upright. */
const PHONE = { width: 390, height: 844 };

const text = async (page: Page, selector: string) =>
  (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();

/**
 * Registration in Chromium. Without JavaScript: an organiser sets registration up on its page;
 * an attendee goes from the edition page to a confirmed registration and signs up to a workshop
 * on their manage page; a volunteer checks them in by typing their code. With it: the check-in
 * desk's QR scanner and live count.
 */
describe('Registration in Chromium', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let harness: BrowserHarness;
  let ds: DataSource;
  let organiser: CreatedAccount;
  let volunteer: CreatedAccount;
  let page: Page | undefined;

  /** A JSON API call as the organiser (signed in once, with the session cookie). */
  let cookie = '';
  async function api(method: string, path: string, body?: object): Promise<unknown> {
    if (!cookie) {
      const login = await fetch(`${harness.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email: organiser.email, password: organiser.password }),
      });
      expect(login.status).toBe(200);
      cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    }
    const res = await fetch(`${harness.baseUrl}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: cookie },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(res.status).toBeLessThan(300);
    return res.json();
  }

  async function signIn(p: Page, account: CreatedAccount, next: string) {
    await p.goto(`/admin/login?next=${encodeURIComponent(next)}`);
    const form = p.locator('main form');
    await form.getByLabel('Adresse e-mail').fill(account.email);
    await form.getByLabel('Mot de passe').fill(account.password!);
    await form.locator('button[type=submit]').click();
    await p.waitForLoadState('load');
  }

  /** Registration open from yesterday, for twenty days. */
  const openRegistration = (slug: string) =>
    api('PUT', `/api/v1/editions/${slug}/registration`, {
      opensAt: new Date(Date.now() - DAY).toISOString(),
      closesAt: new Date(Date.now() + 20 * DAY).toISOString(),
    });

  /** A volunteer at the desk of `slug` scans a code and sees `name` checked in, the count move. */
  async function scanAtDesk(p: Page, slug: string, name: string, registered: number) {
    await signIn(p, volunteer, `/admin/editions/${slug}/check-in`);
    expect(await text(p, '.check-in-count')).toBe(`0 présent·es sur ${registered} inscrit·es`);
    await p.getByRole('button', { name: 'Scanner un QR code' }).click();
    await p.waitForURL(/shown=/);
    expect(await text(p, '.flash')).toContain(`${name} est enregistré·e.`);
    expect(await text(p, '.check-in-count')).toBe(`1 présent·es sur ${registered} inscrit·es`);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    harness = await startBrowserHarness(config);
    ds = harness.api.app.get(DataSource);
    organiser = await createAccount(ds, { email: 'organisation@example.org' });
    volunteer = await createAccount(ds, { email: 'benevole@example.org' });
    for (const slug of ['quimper-2027', 'vannes-2027', 'lorient-2027', 'brest-2027'])
      await createEdition(ds, {
        slug,
        title: `Assises ${slug}`,
        status: EditionStatus.RegistrationOpen,
        startsAt: new Date('2027-03-04T08:00:00Z'),
        endsAt: new Date('2027-03-04T17:00:00Z'),
        capacity: 150,
        members: { [EditionRole.Owner]: organiser, [EditionRole.Volunteer]: volunteer },
      });
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
    'an organiser sets registration up: dates, a bad capacity shown beside its field, a category with a quota, an invitation code revoked',
    async () => {
      page = await harness.newPage({ javaScriptEnabled: false });
      await signIn(page, organiser, '/admin/editions/quimper-2027');
      await page.getByRole('link', { name: 'Paramètres des inscriptions' }).click();
      expect(await text(page, 'h1')).toBe('Paramètres des inscriptions');
      expect(await unlabelledInputs(page.locator('main form'))).toEqual([]);

      const settings = page.locator('#settings form');
      await settings.getByLabel('Ouverture').fill('2026-11-01T09:00');
      await settings.getByLabel('Clôture').fill('2027-03-01T23:59');
      await settings.getByLabel('Capacité').fill('-5');
      await settings.getByLabel('Rappels (jours avant)').fill('10, 3');
      await settings.getByRole('button', { name: 'Enregistrer' }).click();
      await page.waitForLoadState('load');
      expect(await text(page, '#settings .form-errors')).toContain('erreur');
      expect(await page.locator('#settings-capacity').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#settings-reminderDays').inputValue()).toBe('10, 3');

      await page.locator('#settings-capacity').fill('');
      await page.locator('#settings form').getByRole('button', { name: 'Enregistrer' }).click();
      await page.waitForLoadState('load');
      expect(await text(page, '.flash')).toContain('Modifications enregistrées');
      expect(await page.locator('#settings-opensAt').inputValue()).toBe('2026-11-01T09:00');

      await page.locator('#categories details summary').click();
      const category = page.locator('#categories details form');
      await category.getByLabel('Clé').fill('elus');
      await category.getByLabel('Nom (français)').fill('Élu·es');
      await category.getByLabel('Nom (anglais)').fill('Elected officials');
      await category.getByLabel('Quota').fill('12');
      await category.getByLabel('Masquée').check();
      await category.getByRole('button', { name: 'Ajouter une catégorie' }).click();
      await page.waitForLoadState('load');
      expect(await text(page, '#categories')).toContain('Élu·es');
      expect(await text(page, '#categories')).toContain('12 places restantes dans le quota');

      const code = page.locator('#codes form').last();
      await code.getByLabel('Catégorie').selectOption('elus');
      await code.locator('#code-new-code').fill('MAIRIE-29');
      await code.locator('#code-new-maxUses').fill('5');
      await code.getByRole('button', { name: 'Créer le code' }).click();
      await page.waitForLoadState('load');
      expect(await text(page, '.flash')).toContain('MAIRIE-29');
      expect(await text(page, '#codes table')).toContain('0 / 5');
      await page.locator('#codes table').getByRole('button', { name: 'Révoquer' }).click();
      await page.waitForLoadState('load');
      expect(await text(page, '#codes table')).toContain('Révoqué le');
      await screenshot(page, 'registration-settings');

      const [row] = await ds.query<{ reminder_days: number[]; capacity: number | null }[]>(
        `SELECT s.reminder_days, s.capacity FROM registration_settings s
           JOIN editions e ON e.id = s.edition_id WHERE e.slug = 'quimper-2027'`,
      );
      expect(row).toEqual({ reminder_days: [10, 3], capacity: null });
    },
  );

  browserIt(
    'an attendee registers from the edition page, signs up to a workshop on their manage page, and a volunteer checks them in by typing their code',
    async () => {
      await api('PUT', '/api/v1/editions/vannes-2027/registration', {
        opensAt: new Date(Date.now() - DAY).toISOString(),
        closesAt: new Date(Date.now() + 20 * DAY).toISOString(),
      });
      const programme = '/api/v1/editions/vannes-2027/programme';
      const room = (await api('POST', `${programme}/rooms`, {
        name: 'Salle du Port',
        capacity: 30,
      })) as {
        id: string;
      };
      const session = (await api('POST', `${programme}/sessions`, {
        title: 'Atelier : ouvrir un tiers-lieu',
        kind: 'workshop',
        durationMinutes: 90,
        capacity: 12,
      })) as { id: string; version: number };
      await api('PUT', `${programme}/sessions/${session.id}/placement`, {
        roomId: room.id,
        startsAt: '2027-03-04T10:00',
        version: session.version,
      });
      await api('POST', `${programme}/versions`, { name: 'Programme' });

      page = await harness.newPage({ javaScriptEnabled: false, viewport: PHONE });
      await page.goto('/e/vannes-2027');
      // The edition page's call to action: a link styled as a button.
      await page.getByRole('button', { name: "S'inscrire" }).click();
      const form = page.locator('main form');
      await form.getByLabel('Nom').fill('Morgane Le Goff');
      await form.getByLabel('Adresse e-mail').fill('morgane@example.org');
      await form.getByLabel('Structure').fill('La Ruche de Vannes');
      await form.getByLabel('Vous êtes').selectOption('coworking_operator');
      await form.getByLabel('Votre territoire').selectOption('periurban');
      await form.getByLabel("J'accepte la politique de confidentialité").check();
      await form.getByRole('button', { name: "M'inscrire" }).click();
      await page.waitForLoadState('load');
      expect(await text(page, 'h1')).toBe('Merci !');
      expect(await text(page, '.flash')).toContain('Votre inscription est confirmée');

      const [mail] = await ds.query<{ data: { manageUrl: string } }[]>(
        `SELECT data FROM outbox_messages WHERE template = 'registration-confirmed'`,
      );
      const link = new URL(mail.data.manageUrl);
      await page.goto(`${link.pathname}${link.search}`);
      expect(await text(page, 'main')).toContain('Atelier : ouvrir un tiers-lieu');
      expect(await text(page, '#workshops')).toContain('Places restantes : 12 sur 12');
      await page.locator('#workshops').getByRole('button', { name: "M'inscrire" }).click();
      await page.waitForLoadState('load');
      expect(await text(page, '.flash')).toContain("Vous êtes inscrit·e à l'atelier.");
      expect(await text(page, '#workshops')).toContain('Vous êtes inscrit·e.');
      const code = (await page.locator('dd strong').first().innerText()).trim();
      expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      await screenshot(page, 'registration-manage-phone');
      expect(
        await ds.query(`SELECT template FROM outbox_messages WHERE template LIKE 'workshop-%'`),
      ).toEqual([{ template: 'workshop-confirmed' }]);

      const desk = await harness.newPage({ javaScriptEnabled: false, viewport: PHONE });
      page = desk;
      await signIn(desk, volunteer, '/admin/editions/vannes-2027/check-in');
      expect(await text(desk, '.check-in-count')).toBe('0 présent·es sur 1 inscrit·es');
      await desk.getByLabel('Code', { exact: true }).fill(code.toLowerCase());
      await desk.getByRole('button', { name: "Enregistrer l'arrivée" }).click();
      await desk.waitForLoadState('load');
      expect(await text(desk, '.flash')).toContain('Morgane Le Goff est enregistré·e.');
      expect(await text(desk, '#person')).toContain('La Ruche de Vannes');
      expect(await text(desk, '#person')).toContain('Atelier : ouvrir un tiers-lieu');
      expect(await text(desk, '.check-in-count')).toBe('1 présent·es sur 1 inscrit·es');
      await screenshot(desk, 'check-in-phone');

      await desk.getByLabel('Code', { exact: true }).fill(code);
      await desk.getByRole('button', { name: "Enregistrer l'arrivée" }).click();
      await desk.waitForLoadState('load');
      expect(await text(desk, '.flash')).toMatch(
        /Morgane Le Goff était déjà enregistré·e \(\d{2}:\d{2}\)/,
      );
    },
  );

  it(
    'with JavaScript, the desk scans a QR code where the browser reads them, and the count follows the other volunteers',
    onFailureScreenshot(
      () => [page],
      async () => {
        await openRegistration('lorient-2027');
        const ids: string[] = [];
        for (const [name, email] of [
          ['Yanis Scanné', 'yanis@example.org'],
          ['Inès Ailleurs', 'ines@example.org'],
        ]) {
          const res = await fetch(`${harness.baseUrl}/api/v1/editions/lorient-2027/registrations`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
            body: JSON.stringify({
              name,
              email,
              stakeholderType: 'company',
              territoryType: 'urban',
              privacyConsent: true,
            }),
          });
          expect(res.status).toBe(201);
          ids.push(((await res.json()) as { id: string }).id);
        }
        const codes = await ds.query<{ check_in_code: string }[]>(
          'SELECT check_in_code FROM registrations WHERE id = ANY($1::uuid[]) ORDER BY name DESC',
          [ids],
        );

        page = await harness.newPage({ viewport: PHONE });
        // A camera and a QR reader, as Chrome on a phone has them: the reader sees Yanis's code.
        await page.addInitScript(`
          window.BarcodeDetector = class {
            detect() { return Promise.resolve([{ rawValue: ${JSON.stringify(codes[0].check_in_code)} }]); }
          };
          Object.defineProperty(navigator.mediaDevices, 'getUserMedia', {
            value: () => {
              const canvas = document.createElement('canvas');
              canvas.width = 64;
              canvas.height = 64;
              canvas.getContext('2d').fillRect(0, 0, 64, 64);
              return Promise.resolve(canvas.captureStream(10));
            },
          });
        `);
        await scanAtDesk(page, 'lorient-2027', 'Yanis Scanné', 2);
        expect(await text(page, '#person')).toContain('Yanis Scanné');

        // Another volunteer checks Inès in at another door: this desk's count follows.
        await api('POST', '/api/v1/editions/lorient-2027/check-ins', {
          code: codes[1].check_in_code,
        });
        // The page's script asks every 5 seconds (CSP forbids evaluating a string here).
        const desk = page;
        let count = '';
        for (let waited = 0; waited < 8_000 && !count.startsWith('2 '); waited += 250) {
          await desk.waitForTimeout(250);
          count = await text(desk, '.check-in-count');
        }
        expect(count).toBe('2 présent·es sur 2 inscrit·es');
      },
    ),
  );

  browserIt(
    'with JavaScript and no QR reader in the browser (Safari, Firefox), the desk reads the code from the camera with jsQR',
    async () => {
      await openRegistration('brest-2027');
      const res = await fetch(`${harness.baseUrl}/api/v1/editions/brest-2027/registrations`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          name: 'Léa Caméra',
          email: 'lea@example.org',
          stakeholderType: 'company',
          territoryType: 'rural',
          privacyConsent: true,
        }),
      });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const [{ check_in_code: code }] = await ds.query<{ check_in_code: string }[]>(
        'SELECT check_in_code FROM registrations WHERE id = $1',
        [id],
      );
      // The QR code of the confirmation email, as a phone's camera would film it: black
      // modules on white, drawn on a canvas whose stream stands in for the camera.
      const qr = QRCode.create(code, { errorCorrectionLevel: 'M' }).modules;
      const modules = Array.from(qr.data);
      page = await harness.newPage({ viewport: PHONE });
      await page.addInitScript(`
          delete window.BarcodeDetector;
          Object.defineProperty(navigator.mediaDevices, 'getUserMedia', {
            value: () => {
              const size = ${qr.size}, modules = ${JSON.stringify(modules)}, scale = 8;
              const canvas = document.createElement('canvas');
              canvas.width = canvas.height = (size + 8) * scale;
              const context = canvas.getContext('2d');
              const draw = () => {
                context.fillStyle = '#fff';
                context.fillRect(0, 0, canvas.width, canvas.height);
                context.fillStyle = '#000';
                for (let y = 0; y < size; y += 1)
                  for (let x = 0; x < size; x += 1)
                    if (modules[y * size + x]) context.fillRect((x + 4) * scale, (y + 4) * scale, scale, scale);
              };
              draw();
              setInterval(draw, 100);
              return Promise.resolve(canvas.captureStream(10));
            },
          });
        `);
      await scanAtDesk(page, 'brest-2027', 'Léa Caméra', 1);
      expect(
        await ds.query(
          'SELECT checked_in_at IS NOT NULL AS present FROM registrations WHERE id = $1',
          [id],
        ),
      ).toEqual([{ present: true }]);
    },
  );
});
