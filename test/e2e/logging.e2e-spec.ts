import type { AppConfig } from '@assises/config';
import { spawnApp, SpawnedWorker } from '../harness/app';
import { testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';
import { unusedPort } from '../harness/names';
import { eventually } from '../harness/wait';

interface LogLine {
  msg?: string;
  app?: string;
  req?: { id: string; method: string; url: string; headers?: unknown };
  res?: { statusCode: number };
}

/**
 * The api's logs as production writes them (its own process, `LOG_LEVEL=info`, stdout): one JSON
 * line per request with its id, nothing secret, and no line for health probes.
 */
describe('Request logs', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: SpawnedWorker;
  let base: string;

  const requestLines = (): LogLine[] =>
    api
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.req !== undefined && line.res !== undefined);

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await unusedPort();
    base = `http://127.0.0.1:${port}`;
    config = testConfig(db.url, {
      LOG_LEVEL: 'info',
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
    });
    api = spawnApp('api', config);
    await api.ready;
  });

  afterAll(async () => {
    api?.kill('SIGTERM');
    await api?.exited;
    await db?.drop();
  });

  it('writes one line per request with its id, secrets scrubbed, and none for /health', async () => {
    const secret = 'Zs4x1u0P8mJq3wRtY6vB9nC2kL5hG7fD-_aE';
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/health?probe=lb`)).status).toBe(200);
    const page = await fetch(`${base}/admin/password/reset/${secret}?token=${secret}`, {
      headers: {
        Cookie: `assises_session=${secret}`,
        Authorization: `Bearer ${secret}`,
        'X-Request-Id': 'probe-1234-abcd',
      },
    });
    await page.text();
    await fetch(`${base}/e/nowhere`).then((r) => r.text());

    await eventually(() => requestLines().length >= 2);
    expect(requestLines()).toHaveLength(2);
    const [reset, missing] = requestLines();
    expect(reset.req).toMatchObject({
      id: 'probe-1234-abcd',
      method: 'GET',
      url: '/admin/password/reset/[secret]?token=[secret]',
    });
    expect(reset.app).toBe('api');
    expect(missing.req?.url).toBe('/e/nowhere');
    expect(missing.res?.statusCode).toBe(404);
    expect(api.output()).not.toContain(secret);
    expect(requestLines().some((line) => line.req?.url.startsWith('/health'))).toBe(false);
  });
});
