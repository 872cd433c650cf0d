import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Interest marks and workshop sign-ups. An attendee marks the sessions they are interested in
 * (the programme's scheduler reads them as demand); once the programme is published, they sign
 * up to its workshops. Each workshop's seats are a counter (`workshop_seats.seats_left`) taken by
 * an atomic conditional UPDATE; the row is also the mutex of the workshop's waiting list.
 */
export class CreateWorkshopSignups1764900000000 implements MigrationInterface {
  name = 'CreateWorkshopSignups1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE session_interests (
        registration_id uuid NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
        session_id uuid NOT NULL REFERENCES programme_sessions(id) ON DELETE CASCADE,
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (registration_id, session_id)
      )`);
    await q.query('CREATE INDEX session_interests_edition ON session_interests (edition_id)');
    await q.query(`
      CREATE TABLE workshop_seats (
        session_id uuid PRIMARY KEY,
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        capacity int NOT NULL CHECK (capacity >= 0),
        seats_left int NOT NULL CHECK (seats_left >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE workshop_signups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        edition_id uuid NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
        registration_id uuid NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
        session_id uuid NOT NULL,
        state text NOT NULL CHECK (state IN ('confirmed', 'waiting')),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        confirmed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (registration_id, session_id)
      )`);
    await q.query(
      'CREATE INDEX workshop_signups_queue ON workshop_signups (session_id, state, seq)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE workshop_signups');
    await q.query('DROP TABLE workshop_seats');
    await q.query('DROP TABLE session_interests');
  }
}
