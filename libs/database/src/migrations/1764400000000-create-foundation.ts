import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, sessions, editions and their teams, the mail outbox and the audit log. */
export class CreateFoundation1764400000000 implements MigrationInterface {
  name = 'CreateFoundation1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        password_hash text,
        locale text NOT NULL DEFAULT 'fr',
        is_platform_admin boolean NOT NULL DEFAULT false,
        disabled_at timestamptz,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_accounts_email ON accounts (lower(email))`);

    await q.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_sessions_account_id ON sessions (account_id)`);

    await q.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_password_resets_account_id ON password_resets (account_id)`);

    await q.query(`
      CREATE TABLE editions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE,
        title text NOT NULL,
        host_city text NOT NULL,
        host_organisation text NOT NULL DEFAULT '',
        venue_name text NOT NULL DEFAULT '',
        venue_address text NOT NULL DEFAULT '',
        description text NOT NULL DEFAULT '',
        timezone text NOT NULL DEFAULT 'Europe/Paris',
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'draft'
          CHECK (status IN ('draft','announced','cfp_open','programme_published','registration_open','running','closed','archived')),
        default_locale text NOT NULL DEFAULT 'fr' CHECK (default_locale IN ('fr','en')),
        capacity int NOT NULL CHECK (capacity >= 0),
        attendance_count int CHECK (attendance_count >= 0),
        previous_edition_id uuid REFERENCES editions(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at >= starts_at)
      )`);
    await q.query(`CREATE INDEX ix_editions_starts_at ON editions (starts_at)`);

    await q.query(`
      CREATE TABLE memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner','organiser','reviewer','volunteer')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (edition_id, account_id)
      )`);
    await q.query(`CREATE INDEX ix_memberships_account_id ON memberships (account_id)`);

    await q.query(`
      CREATE TABLE invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('owner','organiser','reviewer','volunteer')),
        token_hash text NOT NULL UNIQUE,
        invited_by_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        expires_at timestamptz NOT NULL,
        accepted_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_invitations_edition_email ON invitations (edition_id, email)`);

    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('owner','organiser','reviewer','volunteer')),
        label text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ix_api_tokens_account_id ON api_tokens (account_id)`);

    await q.query(`
      CREATE TABLE outbox_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient text NOT NULL,
        recipient_name text,
        template text NOT NULL,
        locale text NOT NULL,
        data jsonb NOT NULL,
        purpose text NOT NULL,
        category text NOT NULL DEFAULT 'transactional' CHECK (category IN ('transactional','bulk')),
        edition_id uuid REFERENCES editions(id) ON DELETE SET NULL,
        not_before timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending','sending','sent','failed','cancelled')),
        attempts int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        last_error text,
        subject text,
        message_id text,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_outbox_messages_recipient_purpose ON outbox_messages (recipient, purpose)`,
    );
    await q.query(
      `CREATE INDEX ix_outbox_messages_due ON outbox_messages (not_before) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX ix_outbox_messages_sending ON outbox_messages (locked_until) WHERE status = 'sending'`,
    );
    await q.query(
      `CREATE INDEX ix_outbox_messages_created_at ON outbox_messages (created_at DESC)`,
    );
    await q.query(`CREATE INDEX ix_outbox_messages_edition_id ON outbox_messages (edition_id)`);

    await q.query(`
      CREATE TABLE mail_suppressions (
        email text PRIMARY KEY,
        reason text NOT NULL DEFAULT 'unsubscribe',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        edition_id uuid REFERENCES editions(id) ON DELETE CASCADE,
        actor_id uuid REFERENCES accounts(id) ON DELETE SET NULL,
        action text NOT NULL,
        from_state text,
        to_state text,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX ix_audit_events_subject ON audit_events (subject_type, subject_id, created_at)`,
    );
    await q.query(
      `CREATE INDEX ix_audit_events_edition_id ON audit_events (edition_id, created_at)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_events',
      'mail_suppressions',
      'outbox_messages',
      'api_tokens',
      'invitations',
      'memberships',
      'editions',
      'password_resets',
      'sessions',
      'accounts',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
