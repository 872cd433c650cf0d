import type { AppConfig } from '@assises/config';
import { dataSourceOptions } from '@assises/database';
import { Edition } from '@assises/editions';
import {
  detectConflicts,
  InterestRegistry,
  ProgrammeLoader,
  ScheduleVersion,
} from '@assises/programme';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../apps/cli/src/entities';
import { seedDemo } from '../../apps/cli/src/seed';
import { testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase } from '../harness/db';

describe('Programme demo data', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    ds = new DataSource(dataSourceOptions(config, ENTITIES));
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('gives 2017 a published programme and the upcoming edition conflicts and sessions to place', async () => {
    const seed = await seedDemo(ds, new Date('2026-11-29T12:00:00Z'));
    expect(seed).not.toBeNull();
    const loader = new ProgrammeLoader(new InterestRegistry());

    const past = await ds.manager.findOneOrFail(Edition, { where: { slug: 'lyon-2017' } });
    const [version] = await ds.manager.find(ScheduleVersion, { where: { editionId: past.id } });
    expect(version).toMatchObject({ number: 1 });
    expect(version.snapshot.sessions).toHaveLength(10);
    expect(new Set(version.snapshot.sessions.map((s) => s.kind))).toEqual(
      new Set(['plenary', 'round_table', 'talk', 'workshop']),
    );
    const pastRows = await loader.rows(ds.manager, past);
    expect(detectConflicts(await loader.model(ds.manager, pastRows))).toEqual([]);

    const upcoming = seed!.editions.upcoming;
    const rows = await loader.rows(ds.manager, upcoming);
    const conflicts = detectConflicts(await loader.model(ds.manager, rows));
    expect(conflicts.map((c) => c.code).sort()).toEqual(['over_capacity', 'speaker_clash']);
    expect(rows.sessions.filter((s) => !s.roomId)).toHaveLength(3);
  });
});
