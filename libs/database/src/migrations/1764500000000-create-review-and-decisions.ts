import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rest of the call for contributions: custom questions and their answers, drafts (speakers
 * may be incomplete until submission), review criteria, assignments and reviews, and decisions
 * taken quietly then released in one batch.
 */
export class CreateReviewAndDecisions1764500000000 implements MigrationInterface {
  name = 'CreateReviewAndDecisions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    // Call settings used by review and decisions.
    await q.query(`
      ALTER TABLE calls
        ADD COLUMN blind_review boolean NOT NULL DEFAULT false,
        ADD COLUMN reviews_per_proposal int NOT NULL DEFAULT 3 CHECK (reviews_per_proposal BETWEEN 1 AND 20),
        ADD COLUMN confirmation_reminder_days int NOT NULL DEFAULT 7 CHECK (confirmation_reminder_days >= 0)`);

    // A reviewer's organisation: nobody reviews a proposal from their own organisation.
    await q.query(`ALTER TABLE accounts ADD COLUMN organisation text NOT NULL DEFAULT ''`);

    await q.query(`
      CREATE TABLE call_questions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('short_text','long_text','single_choice','multiple_choice',
          'yes_no','url','number')),
        label_fr text NOT NULL,
        label_en text NOT NULL,
        help_fr text NOT NULL DEFAULT '',
        help_en text NOT NULL DEFAULT '',
        options jsonb NOT NULL DEFAULT '[]',
        required boolean NOT NULL DEFAULT false,
        format_keys text[] NOT NULL DEFAULT '{}',
        min_length int CHECK (min_length >= 0),
        max_length int CHECK (max_length >= 1),
        length_unit text NOT NULL DEFAULT 'chars' CHECK (length_unit IN ('chars','words')),
        min_value numeric,
        max_value numeric,
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (edition_id, key),
        CHECK (max_length IS NULL OR min_length IS NULL OR max_length >= min_length)
      )`);

    // Answers keyed by question key; drafts keep incomplete speakers until submission.
    await q.query(`
      ALTER TABLE proposals
        ADD COLUMN answers jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN idempotency_fingerprint text,
        ADD COLUMN pending_decision text CHECK (pending_decision IN ('accept','reject','keep_as_backup')),
        ADD COLUMN pending_decision_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        ADD COLUMN pending_decision_at timestamptz,
        ADD COLUMN decision_note text NOT NULL DEFAULT '',
        ADD COLUMN decision_released_at timestamptz,
        ADD COLUMN decision_token_hash text UNIQUE,
        ADD COLUMN confirmed_at timestamptz`);
    await q.query(`
      ALTER TABLE proposal_speakers
        ALTER COLUMN stakeholder_type DROP NOT NULL,
        ALTER COLUMN territory_type DROP NOT NULL`);
    await q.query(`CREATE INDEX ix_proposal_speakers_email ON proposal_speakers (lower(email))`);

    await q.query(`
      CREATE TABLE review_criteria (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        key text NOT NULL,
        name_fr text NOT NULL,
        name_en text NOT NULL,
        description_fr text NOT NULL DEFAULT '',
        description_en text NOT NULL DEFAULT '',
        weight numeric(6,2) NOT NULL DEFAULT 1 CHECK (weight > 0),
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (edition_id, key)
      )`);

    await q.query(`
      CREATE TABLE review_assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        proposal_id uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
        reviewer_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        assigned_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        automatic boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (proposal_id, reviewer_id)
      )`);
    await q.query(
      `CREATE INDEX ix_review_assignments_reviewer ON review_assignments (edition_id, reviewer_id)`,
    );

    // scores: { criterionKey: 0..5 | null (abstain) }; score: the weighted mean of the non-null
    // scores (null when the reviewer abstained on everything), recomputed when weights change.
    await q.query(`
      CREATE TABLE reviews (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        proposal_id uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
        reviewer_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        scores jsonb NOT NULL DEFAULT '{}',
        score numeric(6,3) CHECK (score BETWEEN 0 AND 5),
        comment text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (proposal_id, reviewer_id)
      )`);
    await q.query(`CREATE INDEX ix_reviews_edition_reviewer ON reviews (edition_id, reviewer_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reviews`);
    await q.query(`DROP TABLE review_assignments`);
    await q.query(`DROP TABLE review_criteria`);
    await q.query(`DROP INDEX ix_proposal_speakers_email`);
    await q.query(
      `DELETE FROM proposal_speakers WHERE stakeholder_type IS NULL OR territory_type IS NULL`,
    );
    await q.query(`
      ALTER TABLE proposal_speakers
        ALTER COLUMN stakeholder_type SET NOT NULL,
        ALTER COLUMN territory_type SET NOT NULL`);
    await q.query(`
      ALTER TABLE proposals
        DROP COLUMN answers, DROP COLUMN idempotency_fingerprint, DROP COLUMN pending_decision,
        DROP COLUMN pending_decision_by, DROP COLUMN pending_decision_at, DROP COLUMN decision_note,
        DROP COLUMN decision_released_at, DROP COLUMN decision_token_hash, DROP COLUMN confirmed_at`);
    await q.query(`DROP TABLE call_questions`);
    await q.query(`ALTER TABLE accounts DROP COLUMN organisation`);
    await q.query(`
      ALTER TABLE calls DROP COLUMN blind_review, DROP COLUMN reviews_per_proposal,
        DROP COLUMN confirmation_reminder_days`);
  }
}
