import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `register_attendee`: the write half of a public registration in one statement, so that the
 * edition's seat lock is held only while PostgreSQL runs it (no network round trip, no Node.js
 * event loop turn in between). Everything the request can prepare (the row's fields, the audit
 * data, both possible sets of emails) is prepared before and passed in; the function takes the
 * invitation code's use, locks the edition's settings row (the waiting list's mutex), takes a
 * seat of the edition and of the category when both are free, inserts the registration, its
 * audit row and the emails of the outcome, and answers the state, the waiting position and the
 * ids of the emails to dispatch. Each statement of a PL/pgSQL function sees what committed
 * before it ran, so the position counted after the lock is exact.
 *
 * `p_guarded = false` skips the lock and takes the seat by read, pause, blind write: a race on
 * purpose, only ever passed by the api when the test-only switch TEST_ONLY_UNGUARDED_SEATS is on,
 * which the configuration refuses unless NODE_ENV=test (the load tests' control run).
 */
export class CreateRegisterAttendeeFunction1765150000000 implements MigrationInterface {
  name = 'CreateRegisterAttendeeFunction1765150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(REGISTER_ATTENDEE_SQL);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP FUNCTION register_attendee(uuid, uuid, uuid, jsonb, timestamptz, jsonb, jsonb, jsonb, boolean)',
    );
  }
}

/** The function's definition (CountWaitingList1765350000000 derives its successor from it). */
export const REGISTER_ATTENDEE_SQL = `
      CREATE FUNCTION register_attendee(
        p_edition uuid,
        p_category uuid,
        p_invitation uuid,
        p_registration jsonb,
        p_now timestamptz,
        p_audit_data jsonb,
        p_confirmed_mails jsonb,
        p_waiting_mails jsonb,
        p_guarded boolean
      ) RETURNS TABLE (state text, waiting_position int, mail_ids uuid[])
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_left int;
        v_unlimited boolean;
        v_seated boolean := false;
        v_state text;
        v_seq bigint;
        v_position int;
        v_mails jsonb;
        v_ids uuid[];
      BEGIN
        IF p_invitation IS NOT NULL THEN
          UPDATE invitation_codes SET used_count = used_count + 1, updated_at = now()
           WHERE id = p_invitation AND used_count < max_uses AND revoked_at IS NULL;
          IF NOT FOUND THEN
            RETURN QUERY SELECT 'invitation_used_up'::text, NULL::int, NULL::uuid[];
            RETURN;
          END IF;
        END IF;

        IF p_guarded THEN
          SELECT s.seats_left INTO v_left FROM registration_settings s
           WHERE s.edition_id = p_edition FOR UPDATE;
          IF v_left > 0 THEN
            SELECT c.seats_left IS NULL INTO v_unlimited FROM ticket_categories c
             WHERE c.id = p_category;
            IF v_unlimited THEN
              v_seated := true;
            ELSE
              UPDATE ticket_categories c SET seats_left = c.seats_left - 1
               WHERE c.id = p_category AND c.seats_left > 0;
              v_seated := FOUND;
            END IF;
            IF v_seated THEN
              UPDATE registration_settings s SET seats_left = s.seats_left - 1
               WHERE s.edition_id = p_edition;
            END IF;
          END IF;
        ELSE
          SELECT s.seats_left INTO v_left FROM registration_settings s WHERE s.edition_id = p_edition;
          PERFORM pg_sleep(0.02);
          IF v_left > 0 THEN
            UPDATE registration_settings s SET seats_left = v_left - 1 WHERE s.edition_id = p_edition;
            v_seated := true;
          END IF;
        END IF;

        v_state := CASE WHEN v_seated THEN 'confirmed' ELSE 'waiting' END;
        INSERT INTO registrations (id, edition_id, category_id, invitation_code_id, state, name,
               email, organisation, role, stakeholder_type, territory_type, city_or_region,
               heard_from, accessibility_needs, dietary_needs, privacy_notice_version,
               privacy_consented_at, public_listing, answers, locale, manage_token_hash,
               check_in_code, confirmed_at, idempotency_key)
        SELECT r.id, p_edition, p_category, p_invitation, v_state, r.name, r.email,
               r.organisation, r.role, r.stakeholder_type, r.territory_type, r.city_or_region,
               r.heard_from, r.accessibility_needs, r.dietary_needs, r.privacy_notice_version,
               p_now, r.public_listing, r.answers, r.locale, r.manage_token_hash, r.check_in_code,
               CASE WHEN v_seated THEN p_now END, r.idempotency_key
          FROM jsonb_populate_record(NULL::registrations, p_registration) r
        RETURNING seq INTO v_seq;

        INSERT INTO audit_events (subject_type, subject_id, edition_id, action, from_state,
               to_state, data)
        VALUES ('registration', (p_registration->>'id')::uuid, p_edition,
                CASE WHEN v_seated THEN 'confirm' ELSE 'wait' END, 'new', v_state, p_audit_data);

        IF v_seated THEN
          v_mails := p_confirmed_mails;
        ELSE
          SELECT count(*)::int INTO v_position FROM registrations w
           WHERE w.edition_id = p_edition AND w.state = 'waiting' AND w.seq <= v_seq;
          SELECT coalesce(jsonb_agg(jsonb_set(m, '{data,position}', to_jsonb(v_position))), '[]')
            INTO v_mails FROM jsonb_array_elements(p_waiting_mails) m;
        END IF;

        WITH staged AS (
          INSERT INTO outbox_messages (recipient, recipient_name, template, locale, data, purpose,
                 category, edition_id, not_before, attachments)
          SELECT m.recipient, m.recipient_name, m.template, m.locale, m.data, m.purpose,
                 m.category, m.edition_id, m.not_before, m.attachments
            FROM jsonb_populate_recordset(NULL::outbox_messages, v_mails) m
          ON CONFLICT DO NOTHING
          RETURNING id, not_before
        )
        SELECT coalesce(array_agg(id) FILTER (WHERE not_before <= clock_timestamp()), '{}') INTO v_ids
          FROM staged;

        RETURN QUERY SELECT v_state, v_position, v_ids;
      END
      $fn$`;
