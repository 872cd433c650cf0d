import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  CreateRegisterAttendeeFunction1765150000000,
  REGISTER_ATTENDEE_SQL,
} from './1765150000000-create-register-attendee-function';

/**
 * The waiting list's length per edition, kept on the settings row by a trigger on
 * `registrations` (any row entering or leaving the `waiting` state), so that
 * `register_attendee` reads a newcomer's position instead of counting the list under the
 * edition's lock: with 1,700 people waiting that count visited 1,700 rows (~1 ms) while every
 * other registration of the edition queued behind it.
 *
 * The trigger updates the settings row, so a transaction that moves someone into or out of the
 * waiting list takes that row's lock when it does: every such transaction locks the settings
 * row before any waiting registration (register_attendee, promotions, cancelling someone
 * waiting, changing their category; see RegistrationService.lockSeatsOf), so that two of them
 * cannot wait for each other. The position stays exact: under the lock, the newcomer is the
 * last of the list.
 */
export class CountWaitingList1765350000000 implements MigrationInterface {
  name = 'CountWaitingList1765350000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE registration_settings
        ADD COLUMN waiting_count int NOT NULL DEFAULT 0 CHECK (waiting_count >= 0)`);
    await q.query(`
      UPDATE registration_settings s
         SET waiting_count = (SELECT count(*) FROM registrations r
                               WHERE r.edition_id = s.edition_id AND r.state = 'waiting')`);
    await q.query(`
      CREATE FUNCTION count_waiting() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_delta int := 0;
        v_edition uuid;
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          IF OLD.state = 'waiting' THEN
            v_delta := v_delta - 1;
            v_edition := OLD.edition_id;
          END IF;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          IF NEW.state = 'waiting' THEN
            v_delta := v_delta + 1;
            v_edition := NEW.edition_id;
          END IF;
        END IF;
        IF v_delta <> 0 THEN
          UPDATE registration_settings SET waiting_count = waiting_count + v_delta
           WHERE edition_id = v_edition;
        END IF;
        RETURN NULL;
      END
      $fn$`);
    await q.query(`
      CREATE TRIGGER registrations_count_waiting
        AFTER INSERT OR UPDATE OF state OR DELETE ON registrations
        FOR EACH ROW EXECUTE FUNCTION count_waiting()`);
    await q.query(
      'DROP FUNCTION register_attendee(uuid, uuid, uuid, jsonb, timestamptz, jsonb, jsonb, jsonb, boolean)',
    );
    await q.query(REGISTER_ATTENDEE);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP FUNCTION register_attendee(uuid, uuid, uuid, jsonb, timestamptz, jsonb, jsonb, jsonb, boolean)',
    );
    await new CreateRegisterAttendeeFunction1765150000000().up(q);
    await q.query('DROP TRIGGER registrations_count_waiting ON registrations');
    await q.query('DROP FUNCTION count_waiting()');
    await q.query('ALTER TABLE registration_settings DROP COLUMN waiting_count');
  }
}

/** How CreateRegisterAttendeeFunction1765150000000 found the position: counting the list. */
const COUNTED = `SELECT count(*)::int INTO v_position FROM registrations w
           WHERE w.edition_id = p_edition AND w.state = 'waiting' AND w.seq <= v_seq;`;

/** `register_attendee` as created by CreateRegisterAttendeeFunction1765150000000, but for the position. */
const REGISTER_ATTENDEE = (() => {
  if (!REGISTER_ATTENDEE_SQL.includes(COUNTED))
    throw new Error('register_attendee: the statement to replace was not found');
  return REGISTER_ATTENDEE_SQL.replace(
    COUNTED,
    `-- The newcomer is the last of the list (the lock is held): its length is the position,
          -- kept by the count_waiting trigger.
          SELECT s.waiting_count INTO v_position FROM registration_settings s
           WHERE s.edition_id = p_edition;`,
  );
})();
