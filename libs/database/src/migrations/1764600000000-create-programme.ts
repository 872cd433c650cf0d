import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The programme of an edition: rooms, the time grid and its fixed blocks, sessions (from
 * confirmed proposals or created by organisers) with their speakers, the published versions of
 * the schedule, and the runs of the automatic scheduler.
 */
export class CreateProgramme1764600000000 implements MigrationInterface {
  name = 'CreateProgramme1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rooms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        name text NOT NULL,
        capacity int NOT NULL CHECK (capacity >= 0),
        access_notes text NOT NULL DEFAULT '',
        step_free boolean NOT NULL DEFAULT true,
        equipment jsonb NOT NULL DEFAULT '[]',
        availability jsonb NOT NULL DEFAULT '[]',
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (edition_id, name)
      )`);

    await q.query(`
      CREATE TABLE programme_grids (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL UNIQUE REFERENCES editions(id) ON DELETE CASCADE,
        step_minutes int NOT NULL DEFAULT 15 CHECK (step_minutes BETWEEN 5 AND 120),
        day_start text NOT NULL DEFAULT '09:00' CHECK (day_start ~ '^[0-2][0-9]:[0-5][0-9]$'),
        day_end text NOT NULL DEFAULT '18:00' CHECK (day_end ~ '^[0-2][0-9]:[0-5][0-9]$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (day_end > day_start)
      )`);

    await q.query(`
      CREATE TABLE fixed_blocks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('opening','plenary','break','lunch','closing')),
        title text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at)
      )`);
    await q.query(`CREATE INDEX ix_fixed_blocks_edition ON fixed_blocks (edition_id, starts_at)`);

    await q.query(`
      CREATE TABLE programme_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        proposal_id uuid UNIQUE REFERENCES proposals(id) ON DELETE SET NULL,
        theme_id uuid REFERENCES call_themes(id) ON DELETE SET NULL,
        title text NOT NULL,
        abstract text NOT NULL DEFAULT '',
        kind text NOT NULL CHECK (kind IN ('talk','workshop','round_table','plenary','keynote','other')),
        language text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr','en')),
        duration_minutes int NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
        capacity int CHECK (capacity >= 0),
        expected_audience int CHECK (expected_audience >= 0),
        estimated_demand int CHECK (estimated_demand >= 0),
        availability jsonb NOT NULL DEFAULT '[]',
        room_id uuid REFERENCES rooms(id) ON DELETE SET NULL,
        starts_at timestamptz,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((room_id IS NULL) = (starts_at IS NULL))
      )`);
    await q.query(`CREATE INDEX ix_programme_sessions_edition ON programme_sessions (edition_id)`);
    await q.query(
      `CREATE INDEX ix_programme_sessions_room ON programme_sessions (room_id, starts_at)`,
    );

    await q.query(`
      CREATE TABLE programme_session_speakers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES programme_sessions(id) ON DELETE CASCADE,
        name text NOT NULL,
        email text NOT NULL DEFAULT '',
        organisation text NOT NULL DEFAULT '',
        bio text NOT NULL DEFAULT '',
        locale text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr','en')),
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_programme_session_speakers_session ON programme_session_speakers (session_id, position)`,
    );

    await q.query(`
      CREATE TABLE schedule_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        number int NOT NULL CHECK (number >= 1),
        name text NOT NULL,
        snapshot jsonb NOT NULL,
        changelog jsonb NOT NULL DEFAULT '{}',
        published_by_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (edition_id, number)
      )`);

    await q.query(`
      CREATE TABLE scheduling_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        mode text NOT NULL CHECK (mode IN ('unscheduled','all','reoptimise')),
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued','running','done','failed','applied','discarded')),
        progress int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
        result jsonb,
        error text,
        requested_by_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_scheduling_runs_edition ON scheduling_runs (edition_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'scheduling_runs',
      'schedule_versions',
      'programme_session_speakers',
      'programme_sessions',
      'fixed_blocks',
      'programme_grids',
      'rooms',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
