import type { AppConfig } from '@assises/config';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { createAccount, CreatedAccount } from '../factories';
import { startApi, TestApi } from '../harness/app';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';
import { unusedPort } from '../harness/names';

/**
 * Rate limits are counted in Redis, so that several api processes behind a load balancer
 * enforce one limit; without Redis each process counts alone, and requests never wait on it.
 */
describe('Rate limits across api processes', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let account: CreatedAccount;

  /**
   * A login attempt with a wrong password, from `address` (behind a trusted proxy). The bound is
   * on waiting, not a measure of speed: a request held until Redis comes back would never be
   * answered.
   */
  const attempt = (api: TestApi, address: string) =>
    api.http
      .post('/api/v1/auth/login')
      .set('X-Forwarded-For', address)
      .send({ email: account.email, password: 'not-the-password' })
      .timeout({ response: 10_000 });

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url, { TRUST_PROXY: 'true' });
  });

  afterAll(async () => {
    await clearQueuePrefix(config);
    await db?.drop();
  });

  describe('two api processes sharing Redis', () => {
    let apis: TestApi[];

    beforeAll(async () => {
      apis = [await startApi(config), await startApi(config)];
      account = await createAccount(apis[0].app.get(DataSource));
    });

    afterAll(async () => {
      for (const api of apis ?? []) await api.close();
    });

    it("counts an address's login attempts on both processes: past 10, each of them refuses", async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1)
        statuses.push((await attempt(apis[i % 2], '203.0.113.10')).status);

      expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
      // Another address is counted on its own, on either process.
      expect((await attempt(apis[1], '203.0.113.11')).status).toBe(401);
      expect((await attempt(apis[0], '203.0.113.11')).status).toBe(401);
    });

    it("keeps the counters under the api's Redis prefix, each with an expiry", async () => {
      await attempt(apis[0], '203.0.113.12');
      const redis = new IORedis(config.redis.url, { maxRetriesPerRequest: 1 });
      try {
        const keys = await redis.keys(`${config.redis.prefix}:throttle:*`);
        expect(keys.length).toBeGreaterThan(0);
        const ttls = await Promise.all(keys.map((key) => redis.pttl(key)));
        for (const ttl of ttls) {
          expect(ttl).toBeGreaterThan(0);
          expect(ttl).toBeLessThanOrEqual(60_000);
        }
      } finally {
        redis.disconnect();
      }
    });
  });

  describe('Redis unreachable', () => {
    let api: TestApi;

    beforeAll(async () => {
      api = await startApi(
        testConfig(db.url, {
          TRUST_PROXY: 'true',
          QUEUE_PREFIX: config.redis.prefix,
          REDIS_URL: `redis://127.0.0.1:${await unusedPort()}`,
        }),
      );
      account = await createAccount(api.app.get(DataSource), { email: 'down@example.org' });
    });

    afterAll(async () => {
      await api?.close();
    });

    it('answers at once and still limits: the process counts on its own', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i += 1) statuses.push((await attempt(api, '203.0.113.20')).status);

      expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
      expect((await attempt(api, '203.0.113.21')).status).toBe(401);
    });
  });
});
