import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifies `registration_context` (payload: the edition's id) when what a registration reads
 * before it writes changes: the edition, its registration settings, its ticket categories. The
 * api keeps that context in memory for a moment (see RegistrationService) and forgets it on
 * this notification, whichever process or tool made the change. The counters moved by
 * every registration under the edition's lock (`seats_left`, `waiting_count`) are not part of
 * the context: an update that only moves them notifies nobody.
 */
export class NotifyRegistrationContext1765400000000 implements MigrationInterface {
  name = 'NotifyRegistrationContext1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_registration_context() RETURNS trigger
      LANGUAGE plpgsql AS $fn$
      DECLARE
        v_row record;
        v_edition uuid;
      BEGIN
        IF TG_OP = 'DELETE' THEN v_row := OLD; ELSE v_row := NEW; END IF;
        IF TG_TABLE_NAME = 'editions' THEN
          v_edition := v_row.id;
        ELSE
          v_edition := v_row.edition_id;
        END IF;
        PERFORM pg_notify('registration_context', v_edition::text);
        RETURN NULL;
      END
      $fn$`);
    await q.query(`
      CREATE TRIGGER editions_notify_registration_context
        AFTER INSERT OR UPDATE OR DELETE ON editions
        FOR EACH ROW EXECUTE FUNCTION notify_registration_context()`);
    for (const table of ['registration_settings', 'ticket_categories']) {
      await q.query(`
        CREATE TRIGGER ${table}_notify_registration_context
          AFTER INSERT OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION notify_registration_context()`);
      await q.query(`
        CREATE TRIGGER ${table}_update_notify_registration_context
          AFTER UPDATE ON ${table}
          FOR EACH ROW
          WHEN ((to_jsonb(OLD) - 'seats_left' - 'waiting_count' - 'updated_at')
                IS DISTINCT FROM (to_jsonb(NEW) - 'seats_left' - 'waiting_count' - 'updated_at'))
          EXECUTE FUNCTION notify_registration_context()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['registration_settings', 'ticket_categories']) {
      await q.query(`DROP TRIGGER ${table}_update_notify_registration_context ON ${table}`);
      await q.query(`DROP TRIGGER ${table}_notify_registration_context ON ${table}`);
    }
    await q.query('DROP TRIGGER editions_notify_registration_context ON editions');
    await q.query('DROP FUNCTION notify_registration_context()');
  }
}
