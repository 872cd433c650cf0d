import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registration: settings per edition (dates, capacity and its seat counter, waiting-list mode,
 * reminder offsets, privacy notice), ticket categories with quotas, invitation codes, and the
 * registrations themselves. Seat counters (`seats_left`) are decremented by atomic conditional
 * updates, so the database alone decides who gets a seat. Outbox rows may carry attachments
 * (the iCal file and the QR code of a confirmation).
 */
export class CreateRegistration1764700000000 implements MigrationInterface {
  name = 'CreateRegistration1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE registration_settings (
        edition_id uuid PRIMARY KEY REFERENCES editions(id) ON DELETE CASCADE,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        capacity int CHECK (capacity IS NULL OR capacity >= 0),
        seats_left int NOT NULL,
        waitlist_mode text NOT NULL DEFAULT 'auto' CHECK (waitlist_mode IN ('auto','offer')),
        offer_hours int NOT NULL DEFAULT 48 CHECK (offer_hours BETWEEN 1 AND 720),
        reminder_days jsonb NOT NULL DEFAULT '[7, 1]',
        privacy_notice_version text NOT NULL DEFAULT '1',
        questions jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (closes_at > opens_at)
      )`);

    await q.query(`
      CREATE TABLE ticket_categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        key text NOT NULL,
        name_fr text NOT NULL,
        name_en text NOT NULL,
        quota int CHECK (quota IS NULL OR quota >= 0),
        seats_left int,
        hidden boolean NOT NULL DEFAULT false,
        position int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (edition_id, key),
        CHECK ((quota IS NULL) = (seats_left IS NULL))
      )`);

    await q.query(`
      CREATE TABLE invitation_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        category_id uuid NOT NULL REFERENCES ticket_categories(id) ON DELETE CASCADE,
        code text NOT NULL,
        max_uses int NOT NULL DEFAULT 1 CHECK (max_uses >= 1),
        used_count int NOT NULL DEFAULT 0 CHECK (used_count >= 0),
        note text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (edition_id, code),
        CHECK (used_count <= max_uses)
      )`);

    await q.query(`
      CREATE TABLE registrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        category_id uuid NOT NULL REFERENCES ticket_categories(id) ON DELETE RESTRICT,
        invitation_code_id uuid REFERENCES invitation_codes(id) ON DELETE SET NULL,
        state text NOT NULL CHECK (state IN ('confirmed','waiting','offered','cancelled','expired')),
        name text NOT NULL,
        email text NOT NULL,
        organisation text NOT NULL DEFAULT '',
        role text NOT NULL DEFAULT '',
        stakeholder_type text NOT NULL CHECK (stakeholder_type IN ('coworking_operator','project_holder',
          'coworker_independent','local_authority','academic_researcher','company','association_network','other')),
        territory_type text NOT NULL CHECK (territory_type IN ('urban','periurban','rural')),
        city_or_region text NOT NULL DEFAULT '',
        heard_from text NOT NULL DEFAULT '',
        accessibility_needs text NOT NULL DEFAULT '',
        dietary_needs text NOT NULL DEFAULT '',
        privacy_notice_version text NOT NULL,
        privacy_consented_at timestamptz NOT NULL,
        public_listing boolean NOT NULL DEFAULT false,
        answers jsonb NOT NULL DEFAULT '{}',
        locale text NOT NULL DEFAULT 'fr',
        manage_token_hash text NOT NULL UNIQUE,
        check_in_code text NOT NULL UNIQUE,
        offer_expires_at timestamptz,
        confirmed_at timestamptz,
        cancelled_at timestamptz,
        checked_in_at timestamptz,
        checked_in_by uuid REFERENCES accounts(id) ON DELETE SET NULL,
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (state <> 'offered' OR offer_expires_at IS NOT NULL)
      )`);
    // One live registration per address and edition: a second one gets the first back.
    await q.query(
      `CREATE UNIQUE INDEX uq_registrations_edition_email ON registrations (edition_id, email) WHERE state NOT IN ('cancelled','expired')`,
    );
    await q.query(
      `CREATE UNIQUE INDEX uq_registrations_idempotency ON registrations (edition_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ix_registrations_waiting ON registrations (edition_id, seq) WHERE state = 'waiting'`,
    );
    await q.query(
      `CREATE INDEX ix_registrations_offered ON registrations (offer_expires_at) WHERE state = 'offered'`,
    );
    await q.query(
      `CREATE INDEX ix_registrations_edition_state ON registrations (edition_id, state)`,
    );

    await q.query(`ALTER TABLE outbox_messages ADD COLUMN attachments jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox_messages DROP COLUMN attachments`);
    for (const table of [
      'registrations',
      'invitation_codes',
      'ticket_categories',
      'registration_settings',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
