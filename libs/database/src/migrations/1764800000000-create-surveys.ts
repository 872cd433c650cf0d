import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evaluation: one survey per edition, its sections and questions, the invitations (a snapshot of
 * each invitee), the responses and the drafts kept until submission.
 *
 * Anonymous mode is a promise about the data: a response then carries no invitation id, no
 * person and no timestamp (`invitation_id`, `submitted_at` and `updated_at` stay NULL), and the
 * invitation records only that it was answered (`answered`, never `answered_at`). The service
 * keeps the promise and an e2e test searches every table for a link.
 */
export class CreateSurveys1764800000000 implements MigrationInterface {
  name = 'CreateSurveys1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE surveys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL UNIQUE REFERENCES editions(id) ON DELETE CASCADE,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        anonymous boolean NOT NULL DEFAULT true,
        allow_changes boolean NOT NULL DEFAULT false,
        invitation_delay_hours int NOT NULL DEFAULT 15 CHECK (invitation_delay_hours BETWEEN 0 AND 720),
        reminder_days int[] NOT NULL DEFAULT '{5,12}',
        max_reminders int NOT NULL DEFAULT 2 CHECK (max_reminders BETWEEN 0 AND 10),
        intro_fr text NOT NULL DEFAULT '',
        intro_en text NOT NULL DEFAULT '',
        workshops jsonb NOT NULL DEFAULT '[]',
        invitations_created_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (closes_at > opens_at),
        -- Changing an answer needs a link from the invitation to its response.
        CHECK (NOT (anonymous AND allow_changes))
      )`);

    await q.query(`
      CREATE TABLE survey_sections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        survey_id uuid NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        title_fr text NOT NULL,
        title_en text NOT NULL,
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_survey_sections_survey ON survey_sections (survey_id, position)`,
    );

    await q.query(`
      CREATE TABLE survey_questions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        survey_id uuid NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        section_id uuid NOT NULL REFERENCES survey_sections(id) ON DELETE CASCADE,
        key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('rating','nps','single_choice','multiple_choice',
          'short_text','long_text','workshop_matrix')),
        label_fr text NOT NULL,
        label_en text NOT NULL,
        help_fr text NOT NULL DEFAULT '',
        help_en text NOT NULL DEFAULT '',
        options jsonb NOT NULL DEFAULT '[]',
        required boolean NOT NULL DEFAULT false,
        stakeholder_types text[] NOT NULL DEFAULT '{}',
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (survey_id, key)
      )`);
    await q.query(
      `CREATE INDEX ix_survey_questions_section ON survey_questions (section_id, position)`,
    );

    // No updated_at: answering must not leave a time on the invitation (anonymous mode).
    await q.query(`
      CREATE TABLE survey_invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        survey_id uuid NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        registration_id text NOT NULL,
        name text NOT NULL,
        email text NOT NULL,
        locale text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr','en')),
        stakeholder_type text NOT NULL,
        territory_type text NOT NULL,
        workshop_ids jsonb NOT NULL DEFAULT '[]',
        checked_in boolean NOT NULL DEFAULT false,
        token_hash text NOT NULL UNIQUE,
        answered boolean NOT NULL DEFAULT false,
        answered_at timestamptz,
        reminders_sent int NOT NULL DEFAULT 0,
        last_reminded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (survey_id, registration_id)
      )`);
    await q.query(
      `CREATE INDEX ix_survey_invitations_pending ON survey_invitations (survey_id) WHERE NOT answered`,
    );

    // In anonymous mode invitation_id, submitted_at and updated_at are NULL.
    await q.query(`
      CREATE TABLE survey_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        survey_id uuid NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
        invitation_id uuid UNIQUE REFERENCES survey_invitations(id) ON DELETE SET NULL,
        answers jsonb NOT NULL DEFAULT '{}',
        stakeholder_type text,
        territory_type text,
        locale text NOT NULL DEFAULT 'fr',
        submitted_at timestamptz,
        updated_at timestamptz
      )`);
    await q.query(`CREATE INDEX ix_survey_responses_survey ON survey_responses (survey_id)`);

    // Deleted at submission, in both modes.
    await q.query(`
      CREATE TABLE survey_drafts (
        invitation_id uuid PRIMARY KEY REFERENCES survey_invitations(id) ON DELETE CASCADE,
        answers jsonb NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // The organisers' own words in the edition report (the booklet for the next host city).
    await q.query(`
      CREATE TABLE edition_reports (
        edition_id uuid PRIMARY KEY REFERENCES editions(id) ON DELETE CASCADE,
        body text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE edition_reports`);
    await q.query(`DROP TABLE survey_drafts`);
    await q.query(`DROP TABLE survey_responses`);
    await q.query(`DROP TABLE survey_invitations`);
    await q.query(`DROP TABLE survey_questions`);
    await q.query(`DROP TABLE survey_sections`);
    await q.query(`DROP TABLE surveys`);
  }
}
