import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `register_attendees`: several registrations of one edition in one statement, one transaction,
 * one lock and one commit (group commit). Each item is `register_attendee`'s arguments as JSON;
 * each runs in a subtransaction of its own, so one item refused by a unique index (the same
 * address twice, a raced Idempotency-Key) or failing otherwise is answered with its SQLSTATE
 * and message while the others go through. Items are taken in the order given: the first takes
 * the edition's lock, the next ones hold it already, and each sees the seats and the waiting
 * list as the previous ones left them. Answers one row per item, with its ordinal.
 */
export class RegisterAttendeesTogether1765450000000 implements MigrationInterface {
  name = 'RegisterAttendeesTogether1765450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION register_attendees(p_items jsonb)
      RETURNS TABLE (ord int, state text, waiting_position int, mail_ids uuid[],
                     error_code text, error_message text)
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_item jsonb;
        v_result record;
      BEGIN
        ord := 0;
        FOR v_item IN SELECT value FROM jsonb_array_elements(p_items) LOOP
          ord := ord + 1;
          state := NULL;
          waiting_position := NULL;
          mail_ids := NULL;
          error_code := NULL;
          error_message := NULL;
          BEGIN
            SELECT * INTO v_result FROM register_attendee(
              (v_item->>'edition')::uuid, (v_item->>'category')::uuid,
              (v_item->>'invitation')::uuid, v_item->'registration',
              (v_item->>'now')::timestamptz, v_item->'audit', v_item->'confirmed_mails',
              v_item->'waiting_mails', true);
            state := v_result.state;
            waiting_position := v_result.waiting_position;
            mail_ids := v_result.mail_ids;
          EXCEPTION WHEN OTHERS THEN
            error_code := SQLSTATE;
            error_message := SQLERRM;
          END;
          RETURN NEXT;
        END LOOP;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION register_attendees(jsonb)');
  }
}
