import type { AppConfig } from '@assises/config';
import { hashSecret } from '@assises/core';
import { dataSourceOptions } from '@assises/database';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../apps/cli/src/entities';
import { SessionPurge } from '../../apps/worker/src/sweeps/session-purge';
import { createAccount } from '../factories';
import { startWorker, TestWorker } from '../harness/app';
import { clearQueuePrefix, testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

describe(SessionPurge.name, () => {
  let db: TestDatabase;
  let config: AppConfig;
  let worker: TestWorker | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
  });

  afterAll(async () => {
    await worker?.close();
    await clearQueuePrefix(config);
    await db.drop();
  });

  it('deletes expired sessions when the worker starts, and keeps the live ones', async () => {
    const seed = new DataSource(dataSourceOptions(config, ENTITIES));
    await seed.initialize();
    const account = await createAccount(seed);
    const insert = (token: string, expiresAt: Date) =>
      seed.query(`INSERT INTO sessions (account_id, token_hash, expires_at) VALUES ($1, $2, $3)`, [
        account.id,
        hashSecret(token),
        expiresAt,
      ]);
    await insert('expired-session', new Date(Date.now() - 60_000));
    await insert('live-session', new Date(Date.now() + 3_600_000));
    await seed.destroy();

    worker = await startWorker(config);

    const rows = await worker.app
      .get(DataSource)
      .query<{ token_hash: string }[]>('SELECT token_hash FROM sessions');
    expect(rows.map((r) => r.token_hash)).toEqual([hashSecret('live-session')]);
  });
});
