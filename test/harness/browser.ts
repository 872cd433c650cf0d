import type { AppConfig } from '@assises/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  chromium,
  Locator,
  Page,
} from 'playwright-core';
import { createApiApp } from '../../apps/api/src/app.factory';

/** Debian's Chromium: never a downloaded browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Screenshots land here (gitignored). */
export const RESULTS_DIR = join(__dirname, '../../test-results');

/** How long a Playwright action or expectation waits: well under Jest's timeout, so it fails first. */
const ACTION_TIMEOUT_MS = 10_000;

export interface ListeningApi {
  app: NestExpressApplication;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The api, in this process, as main.ts builds it, listening on a free port of 127.0.0.1 so a
 * real browser can reach it. Plain http: cookies are not `Secure` as long as PUBLIC_URL is http.
 */
export async function listenApi(config: AppConfig): Promise<ListeningApi> {
  const app = await createApiApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/** Headless Chromium from the system. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ headless: true, executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface BrowserHarness {
  api: ListeningApi;
  browser: Browser;
  baseUrl: string;
  /**
   * A fresh context (own cookies) and page on the api, French by default. Pass
   * `{ javaScriptEnabled: false }` to check a page works without scripts.
   */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Closes the browser, then the api. */
  close(): Promise<void>;
}

/** The api on a real port and a browser to drive it. */
export async function startBrowserHarness(config: AppConfig): Promise<BrowserHarness> {
  const api = await listenApi(config);
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    await api.close();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    api,
    browser,
    baseUrl: api.baseUrl,
    async newPage(options = {}) {
      const context = await browser.newContext({
        baseURL: api.baseUrl,
        locale: 'fr-FR',
        viewport: { width: 1280, height: 900 },
        ...options,
      });
      context.setDefaultTimeout(ACTION_TIMEOUT_MS);
      context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
      contexts.push(context);
      return context.newPage();
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await api.close();
    },
  };
}

function fileSafe(name: string): string {
  return name
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 100);
}

/** A full-page screenshot into test-results/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${fileSafe(name)}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Wraps a test body: when it fails, screenshots the pages (`test-results/failed-<test>.png`) and
 * adds their paths to the error. `it('…', onFailureScreenshot(() => [page], async () => …))`.
 */
export function onFailureScreenshot(
  pages: () => (Page | undefined)[],
  body: () => Promise<void>,
): () => Promise<void> {
  return async () => {
    try {
      await body();
    } catch (error) {
      const test = expect.getState().currentTestName ?? 'test';
      const shots: string[] = [];
      for (const [index, page] of pages().entries()) {
        if (!page || page.isClosed()) continue;
        const name = `failed-${test}${index > 0 ? `-${index}` : ''}`;
        const path = await screenshot(page, name).catch(() => undefined);
        if (path) shots.push(`${path} (${page.url()})`);
      }
      if (shots.length > 0 && error instanceof Error) {
        const note = `\n\nScreenshot: ${shots.join(', ')}`;
        // Jest prints the stack, which already holds the original message.
        if (error.stack?.startsWith(`${error.name}: ${error.message}`))
          error.stack = error.stack.replace(error.message, error.message + note);
        error.message += note;
      }
      throw error;
    }
  };
}

/**
 * The form controls of `scope` that no label names: neither a `label[for=id]` nor a wrapping
 * `<label>` with text. Each is described as `type#id[name]`. An empty list is the goal.
 */
export async function unlabelledInputs(
  scope: Page | Locator,
  selector = 'input:not([type=hidden]), select, textarea',
): Promise<string[]> {
  const page = 'page' in scope ? scope.page() : scope;
  const missing: string[] = [];
  for (const input of await scope.locator(selector).all()) {
    const id = await input.getAttribute('id');
    const name = await input.getAttribute('name');
    const type = (await input.getAttribute('type')) ?? 'control';
    const labels = await input.locator('xpath=ancestor::label').all();
    if (id)
      labels.push(...(await page.locator(`label[for="${id.replace(/["\\]/g, '\\$&')}"]`).all()));
    let named = false;
    for (const label of labels) if ((await label.innerText()).trim() !== '') named = true;
    if (!named) missing.push(`${type}#${id ?? ''}[${name ?? ''}]`);
  }
  return missing;
}
