import type { AppConfig } from '@assises/config';
import { MailOutbox, MailTemplates } from '@assises/mail';
import { DataSource } from 'typeorm';
import { spawnWorker, SpawnedWorker, startApi, TestApi } from '../harness/app';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';
import { outboxRows, statusCounts } from '../harness/outbox';
import { SmtpSink, startSmtpSink } from '../harness/smtp';
import { eventually } from '../harness/wait';

const CONCURRENCY = 20;

/**
 * Workers as production runs them (`node dist/apps/worker/src/main.js`), killed for real.
 * Delivery is at-least-once: only a mail the SMTP server accepted while its worker died before
 * marking the row can arrive twice, so duplicates are bounded by the mails in flight.
 */
describe('Mail when a worker process stops', () => {
  let db: TestDatabase;
  let sink: SmtpSink;
  let config: AppConfig;
  let api: TestApi;
  let ds: DataSource;
  const workers: SpawnedWorker[] = [];

  /** Stages `count` mails to distinct recipients and puts them on the queue. */
  async function stage(count: number): Promise<string[]> {
    const outbox = api.app.get(MailOutbox);
    const data = api.app.get(MailTemplates).sample('password-reset');
    const ids = await ds.transaction((em) =>
      outbox.stage(
        em,
        Array.from({ length: count }, (_, i) => ({
          to: `attendee-${i}@example.org`,
          template: 'password-reset',
          locale: 'fr' as const,
          data,
          purpose: 'programme-published',
        })),
      ),
    );
    await outbox.dispatch(ids);
    return ids;
  }

  /** A worker process; its output joins any failure message. */
  async function spawn(): Promise<SpawnedWorker> {
    const worker = spawnWorker(config, { LOG_LEVEL: 'warn' });
    workers.push(worker);
    await worker.ready;
    return worker;
  }

  function explain(worker: SpawnedWorker): (error: Error) => never {
    return (error) => {
      throw new Error(`${error.message}\n--- worker output ---\n${worker.output()}`);
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    sink = await startSmtpSink();
    config = testConfig(db.url, {
      // Rows left `sending` by a dead worker may be taken over after 2 s. Every worker claims
      // with this lease, so the killed one too.
      MAIL_LEASE_SECONDS: '2',
      SMTP_URL: sink.url,
      WORKER_CONCURRENCY: String(CONCURRENCY),
    });
    api = await startApi(config);
    ds = api.app.get(DataSource);
  });

  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      worker.kill('SIGKILL');
      await worker.exited;
    }
    await truncateAll(ds);
    await clearQueuePrefix(config);
    sink.reset();
  });

  afterAll(async () => {
    await api?.close();
    await sink?.close();
    await db?.drop();
  });

  it('delivers all of 500 mails after a worker is killed mid-way, duplicating at most those in flight', async () => {
    const ids = await stage(500);
    sink.delayMs = 2; // keeps a few mails inside the SMTP exchange at any time

    const first = await spawn();
    await sink.waitFor(150, 30_000).catch(explain(first));
    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const receivedBeforeRestart = new Set(sink.messages.map((m) => m.messageId)).size;
    const atKill = await statusCounts(ds);
    const inFlight = atKill.sending ?? 0;
    expect(receivedBeforeRestart).toBeGreaterThanOrEqual(150);
    expect(receivedBeforeRestart).toBeLessThan(500);
    expect(inFlight).toBeLessThanOrEqual(CONCURRENCY);

    const second = await spawn();
    let counts: Record<string, number> = {};
    await eventually(
      async () => {
        counts = await statusCounts(ds);
        return counts.sent === 500;
      },
      { timeoutMs: 40_000, what: 'all 500 rows sent' },
    )
      .catch((error: Error) => {
        throw new Error(`${error.message}; rows by status: ${JSON.stringify(counts)}`);
      })
      .catch(explain(second));

    const received = sink.countByMessageId();
    expect([...received.keys()].sort()).toEqual(ids.map((id) => `<${id}@localhost>`).sort());
    expect(sink.duplicates()).toBeLessThanOrEqual(inFlight);
    expect(new Set(sink.messages.map((m) => m.envelope.to[0])).size).toBe(500);
  });

  it('finishes the mails in flight on SIGTERM, then exits without leaving a row sending', async () => {
    await stage(100);
    sink.delayMs = 100; // 5 SMTP connections at 100 ms a message: about 50 a second

    const worker = await spawn();
    await sink.waitFor(10, 20_000).catch(explain(worker));
    worker.kill('SIGTERM');
    const exit = await worker.exited;

    expect(exit).toEqual({ code: null, signal: 'SIGTERM' }); // Nest re-raises it once closed
    const rows = await outboxRows(ds);
    const counts = await statusCounts(ds);
    expect(counts.sending ?? 0).toBe(0);
    // Every mail the worker had taken was sent; the others wait, untouched, for the next worker.
    expect(rows.filter((row) => row.attempts > 0 && row.status !== 'sent')).toEqual([]);
    expect(counts.pending ?? 0).toBeGreaterThan(0);
    expect(rows.filter((row) => row.status === 'pending').every((row) => row.attempts === 0)).toBe(
      true,
    );
    expect(sink.messages.length).toBe(counts.sent);
    expect(sink.duplicates()).toBe(0);
  });
});
