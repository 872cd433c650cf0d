import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The call for contributions of an edition (its dates, formats and themes) and the proposals sent
 * to it with their speakers. Custom questions, reviews and decisions come in later migrations.
 */
export class CreateCallForContributions1764450000000 implements MigrationInterface {
  name = 'CreateCallForContributions1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calls (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL UNIQUE REFERENCES editions(id) ON DELETE CASCADE,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        introduction text NOT NULL DEFAULT '',
        draft_reminder_days int NOT NULL DEFAULT 3 CHECK (draft_reminder_days >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (closes_at > opens_at)
      )`);

    await q.query(`
      CREATE TABLE call_formats (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        key text NOT NULL,
        name_fr text NOT NULL,
        name_en text NOT NULL,
        default_duration_minutes int NOT NULL CHECK (default_duration_minutes > 0),
        min_speakers int NOT NULL DEFAULT 1 CHECK (min_speakers >= 1),
        max_speakers int NOT NULL CHECK (max_speakers >= 1),
        deadline timestamptz,
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (edition_id, key),
        CHECK (max_speakers >= min_speakers)
      )`);

    await q.query(`
      CREATE TABLE call_themes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        name_fr text NOT NULL,
        name_en text NOT NULL,
        description text NOT NULL DEFAULT '',
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_call_themes_edition_id ON call_themes (edition_id)`);

    await q.query(`
      CREATE TABLE proposals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        format_id uuid NOT NULL REFERENCES call_formats(id) ON DELETE RESTRICT,
        theme_id uuid REFERENCES call_themes(id) ON DELETE SET NULL,
        title text NOT NULL,
        abstract text NOT NULL,
        description text NOT NULL DEFAULT '',
        language text NOT NULL CHECK (language IN ('fr','en')),
        expected_audience int CHECK (expected_audience >= 0),
        needs text NOT NULL DEFAULT '',
        availability jsonb NOT NULL DEFAULT '[]',
        state text NOT NULL DEFAULT 'draft'
          CHECK (state IN ('draft','submitted','accepted','rejected','backup','confirmed','withdrawn')),
        manage_token_hash text NOT NULL UNIQUE,
        submitted_at timestamptz,
        submitter_locale text NOT NULL DEFAULT 'fr' CHECK (submitter_locale IN ('fr','en')),
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (edition_id, idempotency_key)
      )`);
    await q.query(`CREATE INDEX ix_proposals_edition_state ON proposals (edition_id, state)`);
    await q.query(`CREATE INDEX ix_proposals_format_id ON proposals (format_id)`);

    await q.query(`
      CREATE TABLE proposal_speakers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
        name text NOT NULL,
        email text NOT NULL,
        organisation text NOT NULL DEFAULT '',
        role text NOT NULL DEFAULT '',
        stakeholder_type text NOT NULL CHECK (stakeholder_type IN ('coworking_operator','project_holder',
          'coworker_independent','local_authority','academic_researcher','company','association_network','other')),
        territory_type text NOT NULL CHECK (territory_type IN ('urban','periurban','rural')),
        city_or_region text NOT NULL DEFAULT '',
        bio text NOT NULL DEFAULT '',
        is_submitter boolean NOT NULL DEFAULT false,
        position int NOT NULL DEFAULT 0,
        confirmation_token_hash text UNIQUE,
        confirmed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_proposal_speakers_proposal_id ON proposal_speakers (proposal_id, position)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'proposal_speakers',
      'proposals',
      'call_themes',
      'call_formats',
      'calls',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
