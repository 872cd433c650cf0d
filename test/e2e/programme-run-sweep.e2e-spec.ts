import type { AppConfig } from '@assises/config';
import { EditionStatus } from '@assises/editions';
import { SchedulingService } from '@assises/programme';
import { JobProducer } from '@assises/queue';
import { DataSource } from 'typeorm';
import { createEdition, CreatedAccount, DEFAULT_PASSWORD } from '../factories';
import { startApi, startWorker, TestApi, TestWorker } from '../harness/app';
import { loginJson } from '../harness/browserless';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';
import { unusedPort } from '../harness/names';
import { eventually } from '../harness/wait';

const SLUG = 'rennes-2027';
const BASE = `/api/v1/editions/${SLUG}/programme`;

/**
 * A scheduling run is a row first and a job second: a run started while Redis was down stays
 * `queued`, and the worker's sweep gives it its job a minute later, once.
 */
describe('Scheduling runs left queued', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let down: TestApi | undefined;
  let up: TestApi | undefined;
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
  });

  afterAll(async () => {
    await worker?.close();
    await up?.close();
    await down?.close();
    if (config) await clearQueuePrefix(config);
    await db?.drop();
  });

  it('are re-enqueued after a minute (job id = run id, never twice) and computed by the worker', async () => {
    down = await startApi(
      testConfig(db.url, {
        QUEUE_PREFIX: config.redis.prefix,
        REDIS_URL: `redis://127.0.0.1:${await unusedPort()}`,
      }),
    );
    const ds = down.app.get(DataSource);
    const { members } = await createEdition(ds, {
      slug: SLUG,
      status: EditionStatus.Announced,
      startsAt: new Date('2027-02-04T08:00:00Z'),
      endsAt: new Date('2027-02-04T17:00:00Z'),
      members: { owner: {} },
    });
    const owner = await loginJson(down, (members.owner as CreatedAccount).email, DEFAULT_PASSWORD);
    expect(
      (await owner.json('post', `${BASE}/rooms`, { name: 'Amphi', capacity: 80 })).status,
    ).toBe(201);
    expect(
      (
        await owner.json('post', `${BASE}/sessions`, {
          title: 'Atelier',
          kind: 'talk',
          durationMinutes: 60,
        })
      ).status,
    ).toBe(201);
    // Redis is down: both runs are stored, neither reaches a queue.
    const stale = await owner.json('post', `${BASE}/scheduling-runs`, { mode: 'unscheduled' });
    const fresh = await owner.json('post', `${BASE}/scheduling-runs`, { mode: 'unscheduled' });
    expect([stale.status, fresh.status]).toEqual([202, 202]);
    const staleId = (stale.body as { id: string }).id;
    const freshId = (fresh.body as { id: string }).id;
    await ds.query(
      `UPDATE scheduling_runs SET created_at = now() - interval '2 minutes' WHERE id = $1`,
      [staleId],
    );

    // With Redis back, the sweep enqueues the old run only, and twice the sweep is one job.
    up = await startApi(config);
    const scheduling = up.app.get(SchedulingService);
    const queue = up.app.get(JobProducer).queueFor('schedule-programme');
    expect(await scheduling.requeueStale()).toBe(1);
    expect(await scheduling.requeueStale()).toBe(1);
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active']);
    expect(jobs.map((job) => [job.id, job.name])).toEqual([[staleId, 'schedule-programme']]);

    worker = await startWorker(config);
    const statuses = await eventually(
      async () => {
        const rows = await ds.query<{ id: string; status: string }[]>(
          'SELECT id, status FROM scheduling_runs',
        );
        const byId = Object.fromEntries(rows.map((row) => [row.id, row.status]));
        return byId[staleId] === 'done' ? byId : undefined;
      },
      { what: 'the stale run computed' },
    );
    expect(statuses[freshId]).toBe('queued');
  });
});
