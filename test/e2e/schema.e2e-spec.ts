import { loadConfig } from '@assises/config';
import { dataSourceOptions, MIGRATIONS } from '@assises/database';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../apps/cli/src/entities';
import { createTestDatabase, TestDatabase } from '../harness/db';

/**
 * Migrations are written by hand; entities describe the same tables for TypeORM. This checks
 * that they agree on every table and column (names, types, nullability, defaults), so an entity
 * never reads a column that no migration created. Indexes, foreign keys and CHECK constraints
 * live in the migrations only, so TypeORM's wish to drop them is not a disagreement.
 */
describe('Database schema', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(loadConfig({ DATABASE_URL: db.url }), ENTITIES));
    await ds.initialize();
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('has run every migration listed', async () => {
    const rows = await ds.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
  });

  it('matches the entities on every table and column', async () => {
    const { upQueries } = await ds.driver.createSchemaBuilder().log();
    const structural = upQueries
      .map((q) => q.query)
      .filter((sql) =>
        /CREATE TABLE|DROP TABLE|ADD COLUMN|DROP COLUMN|ALTER COLUMN|ADD "|RENAME/i.test(sql),
      )
      .filter((sql) => !/ADD CONSTRAINT/i.test(sql));
    expect(structural).toEqual([]);
  });

  it('lists every entity of the libs', () => {
    const tables = ds.entityMetadatas.map((m) => m.tableName).sort();
    expect(tables).toEqual(
      [
        'accounts',
        'api_tokens',
        'audit_events',
        'call_formats',
        'call_questions',
        'call_themes',
        'calls',
        'edition_reports',
        'editions',
        'invitation_codes',
        'invitations',
        'mail_suppressions',
        'memberships',
        'outbox_messages',
        'password_resets',
        'proposal_speakers',
        'proposals',
        'registration_settings',
        'registrations',
        'review_assignments',
        'review_criteria',
        'reviews',
        'sessions',
        'survey_answers',
        'survey_drafts',
        'survey_invitations',
        'survey_questions',
        'survey_responses',
        'survey_sections',
        'surveys',
        'ticket_categories',
        // programme
        'fixed_blocks',
        'programme_grids',
        'programme_session_speakers',
        'programme_sessions',
        'rooms',
        'schedule_versions',
        'scheduling_runs',
        // workshops
        'session_interests',
        'workshop_seats',
        'workshop_signups',
      ].sort(),
    );
  });
});
