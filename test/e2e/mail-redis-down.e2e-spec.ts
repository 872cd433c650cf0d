import type { AppConfig } from '@assises/config';
import { MailDelivery, MailOutbox, MailTemplates } from '@assises/mail';
import { JobProducer } from '@assises/queue';
import { DataSource } from 'typeorm';
import { createAccount } from '../factories';
import { startApi, startWorker, TestApi, TestWorker } from '../harness/app';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { outboxRows, settledRow, statusCounts } from '../harness/outbox';
import { unusedPort } from '../harness/names';
import { SmtpSink, startSmtpSink } from '../harness/smtp';
import { eventually } from '../harness/wait';

/**
 * PostgreSQL is the truth and Redis only a delivery mechanism: a request never waits on Redis,
 * and what Redis loses the outbox sweep puts back.
 */
describe('Mail when Redis is unavailable', () => {
  let db: TestDatabase;
  let sink: SmtpSink;
  let config: AppConfig;
  let api: TestApi | undefined;
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpSink();
    config = testConfig(db.url, { SMTP_URL: sink.url });
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    if (api) await truncateAll(api.app.get(DataSource));
    await api?.close();
    api = undefined;
    sink.reset();
    await clearQueuePrefix(config);
  });

  afterAll(async () => {
    await sink?.close();
    await db?.drop();
  });

  describe('Redis down while the api takes a request', () => {
    it('answers a password reset request at once, keeps the mail as a pending row, and a worker sends it once Redis is back', async () => {
      const down = testConfig(db.url, {
        QUEUE_PREFIX: config.redis.prefix,
        REDIS_URL: `redis://127.0.0.1:${await unusedPort()}`,
        SMTP_URL: sink.url,
      });
      api = await startApi(down);
      const ds = api.app.get(DataSource);
      const account = await createAccount(ds, { email: 'forgetful@example.org', locale: 'en' });
      // Warm-up (connection pool, first-request compilation) on an address without an account.
      await api.http
        .post('/api/v1/auth/password-reset')
        .send({ email: 'nobody@example.org' })
        .expect(202);

      // The bound is far below what waiting on Redis would take (ioredis: 5 s connect timeout,
      // forever with an offline queue): the request must not wait on Redis at all.
      const response = await api.http
        .post('/api/v1/auth/password-reset')
        .send({ email: account.email })
        .timeout({ response: 1_000 });

      expect(response.status).toBe(202);
      expect(response.body).toEqual({ accepted: true });
      const [resets] = await ds.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM password_resets WHERE account_id = $1`,
        [account.id],
      );
      expect(resets.n).toBe(1);
      const [row] = await outboxRows(ds);
      expect(row).toMatchObject({
        recipient: 'forgetful@example.org',
        status: 'pending',
        attempts: 0,
      });
      expect(sink.transactions).toBe(0);

      worker = await startWorker(config);
      const sent = await settledRow(ds, row.id, 'sent');
      const [mail] = await sink.waitFor(1);
      expect(mail.envelope.to).toEqual(['forgetful@example.org']);
      expect(mail.messageId).toBe(sent.message_id);
      expect(mail.text).toMatch(/http:\/\/localhost:3000\/admin\/password\/reset\/[\w-]+/);

      // Exactly once: sweeping again and delivering again change nothing.
      await worker.app.get(MailOutbox).sweep();
      await expect(worker.app.get(MailDelivery).deliver(row.id)).resolves.toBe('skipped');
      expect(sink.messages).toHaveLength(1);
      expect(await statusCounts(ds)).toEqual({ sent: 1 });
    });
  });

  describe('Redis loses its data while mail is pending', () => {
    it('re-enqueues every pending row from the sweep and sends each mail once', async () => {
      api = await startApi(config);
      const ds = api.app.get(DataSource);
      const outbox = api.app.get(MailOutbox);
      const sample = api.app.get(MailTemplates).sample('password-reset');
      const recipients = Array.from({ length: 20 }, (_, i) => `member-${i}@example.org`);
      const ids = await ds.transaction((em) =>
        outbox.stage(
          em,
          recipients.map((to) => ({
            to,
            template: 'password-reset',
            locale: 'fr',
            data: sample,
            purpose: 'welcome',
          })),
        ),
      );
      await outbox.dispatch(ids); // no worker yet: the jobs wait in Redis
      const queue = api.app.get(JobProducer).queueFor('send-mail');
      expect(await queue.getJobCountByTypes('wait')).toBe(20);

      // Redis restarts empty (it keeps nothing on disk): only our prefix, other runs share the server.
      expect(await clearQueuePrefix(config)).toBeGreaterThan(0);
      expect(await queue.getJobCountByTypes('wait', 'delayed', 'active')).toBe(0);
      expect(await statusCounts(ds)).toEqual({ pending: 20 });

      worker = await startWorker(config);
      await sink.waitFor(20);
      await eventually(async () => (await statusCounts(ds)).sent === 20 || undefined, {
        what: '20 rows sent',
      });
      expect(new Set(sink.messages.map((m) => m.envelope.to[0]))).toEqual(new Set(recipients));
      expect(sink.duplicates()).toBe(0);
      expect([...sink.countByMessageId().keys()].sort()).toEqual(
        ids.map((id) => `<${id}@localhost>`).sort(),
      );
    });
  });
});
