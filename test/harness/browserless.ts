import request from 'supertest';
import type { TestApi } from './app';

/** Raw body of a binary response (supertest leaves it unparsed otherwise). */
export function binary(
  res: { on: (e: string, cb: (c?: Buffer) => void) => void },
  done: (e: Error | null, b?: Buffer) => void,
) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk?: Buffer) => chunks.push(chunk!));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** What a browser sends when it follows a link or submits a form. */
export const HTML_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

type Agent = ReturnType<typeof request.agent>;
type Fields = Record<string, string | number | boolean | undefined>;

let browsers = 0;

/**
 * A client address of its own for each browser (10.x.y.z). The api only reads it when
 * TRUST_PROXY is on (as behind the production proxy); then the per-address limits (10 logins a
 * minute) count per simulated person, as they do for real people on their own computers.
 */
function nextAddress(): string {
  browsers += 1;
  return `10.${(browsers >> 16) & 255}.${(browsers >> 8) & 255}.${browsers & 255}`;
}

/** The value of the hidden `_csrf` field of a page, or null when the page has no form. */
export function csrfTokenIn(html: string): string | null {
  return /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? null;
}

/** A page as a browser received it. */
export interface Page {
  res: request.Response;
  status: number;
  html: string;
  /** The CSRF token its forms carry. */
  csrf: string | null;
}

/**
 * A browser without a browser: a supertest agent that keeps its cookies, asks for HTML, reads
 * the CSRF token from a page and posts urlencoded forms with it; and the same person's JSON
 * client (`json`), which shares the cookies.
 */
export class Browser {
  readonly agent: Agent;
  readonly address: string;

  constructor(api: TestApi, options: { address?: string } = {}) {
    this.address = options.address ?? nextAddress();
    this.agent = request.agent(api.app.getHttpServer());
    this.agent.set('X-Forwarded-For', this.address);
  }

  /** A GET as a browser sends it (Accept: text/html); redirects are not followed. */
  get(path: string): request.Test {
    return this.agent.get(path).set('Accept', HTML_ACCEPT);
  }

  async open(path: string): Promise<Page> {
    const res = await this.get(path);
    return { res, status: res.status, html: res.text, csrf: csrfTokenIn(res.text) };
  }

  /** The CSRF token of a page (the login page by default: every visitor may open it). */
  async csrf(path = '/admin/login'): Promise<string> {
    const page = await this.open(path);
    if (!page.csrf) throw new Error(`no _csrf field on ${path} (status ${page.status})`);
    return page.csrf;
  }

  /**
   * Posts a form, urlencoded, as a browser does. `csrf`: the token to send, `null` for none
   * (what a cross-site form would send).
   */
  post(action: string, fields: Fields, csrf: string | null): request.Test {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields))
      if (value !== undefined) body.append(name, String(value));
    if (csrf !== null) body.append('_csrf', csrf);
    return this.agent.post(action).set('Accept', HTML_ACCEPT).type('form').send(body.toString());
  }

  /** Opens `page`, then submits its form to `action` with the page's CSRF token. */
  async submit(page: string, action: string, fields: Fields = {}): Promise<request.Response> {
    return this.post(action, fields, await this.csrf(page));
  }

  /** A JSON API call with this browser's cookies. */
  json(
    method: 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: string,
    body?: object,
  ): request.Test {
    const req = this.agent[method](path).set('Accept', 'application/json');
    return body === undefined ? req : req.send(body);
  }

  /** Signs in through the login page; fails the test unless it redirects. */
  async signIn(email: string, password: string): Promise<request.Response> {
    const res = await this.submit('/admin/login', '/admin/login', { email, password });
    if (res.status !== 303)
      throw new Error(`page sign-in of ${email} answered ${res.status}: ${res.text.slice(0, 300)}`);
    return res;
  }
}

/** A browser of its own for someone who has not signed in. */
export function newBrowser(api: TestApi, options?: { address?: string }): Browser {
  return new Browser(api, options);
}

/** Signs in through POST /api/v1/auth/login (JSON) and returns the browser holding the session. */
export async function loginJson(
  api: TestApi,
  email: string,
  password: string,
  options?: { address?: string },
): Promise<Browser> {
  const browser = new Browser(api, options);
  const res = await browser.json('post', '/api/v1/auth/login', { email, password });
  if (res.status !== 200)
    throw new Error(`JSON login of ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return browser;
}

/** The Set-Cookie line of a cookie in a response, or undefined. */
export function setCookie(res: request.Response, name: string): string | undefined {
  const header = res.headers['set-cookie'] as string[] | string | undefined;
  const lines = Array.isArray(header) ? header : header ? [header] : [];
  return lines.find((line) => line.startsWith(`${name}=`));
}

/**
 * The one-time message a response leaves for the next page (the flash cookie it sets last; a
 * page may also clear the previous one), or null.
 */
export function flashIn(res: request.Response): { kind: string; key: string } | null {
  const header = res.headers['set-cookie'] as string[] | string | undefined;
  const lines = (Array.isArray(header) ? header : header ? [header] : []).filter((line) =>
    /^assises_flash=[^;]+/.test(line),
  );
  const last = lines.at(-1);
  if (!last) return null;
  const value = decodeURIComponent(last.slice('assises_flash='.length).split(';')[0]);
  return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as {
    kind: string;
    key: string;
  };
}
