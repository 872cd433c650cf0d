import { loadConfig } from '@assises/config';
import { dataSourceOptions, DatabaseNotifications } from '@assises/database';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../../apps/cli/src/entities';
import { createEdition } from '../factories';
import { createTestDatabase, TestDatabase } from '../harness/db';
import { eventually } from '../harness/wait';

/**
 * LISTEN/NOTIFY through a real PostgreSQL: the registration context's triggers (see the
 * NotifyRegistrationContext migration) and the listening connection, including its return
 * after the server dropped it.
 */
describe('DatabaseNotifications', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let notifications: DatabaseNotifications;
  let heard: (string | null)[];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ DATABASE_URL: db.url });
    ds = new DataSource(dataSourceOptions(config, ENTITIES));
    await ds.initialize();
    notifications = new DatabaseNotifications(config);
    heard = [];
    notifications.listen('registration_context', (payload) => heard.push(payload));
    // First connection: subscribers hear null ("anything may have changed").
    await eventually(() => notifications.connected && heard.includes(null), {
      what: 'the listening connection',
    });
  });

  afterAll(async () => {
    await notifications.onModuleDestroy();
    await ds.destroy();
    await db.drop();
  });

  /**
   * Waits for every notification already sent, then forgets them: notifications arrive in
   * commit order, so once a marker sent now has arrived, the earlier ones have too.
   */
  let markers = 0;
  async function settle(): Promise<void> {
    markers += 1;
    const marker = `marker-${markers}`;
    await ds.query(`SELECT pg_notify('registration_context', $1)`, [marker]);
    await eventually(() => heard.includes(marker), { what: marker });
    heard.length = 0;
  }

  /** An edition with registration settings and a category, as the api would have them. */
  async function editionWithSettings(): Promise<string> {
    const { edition } = await createEdition(ds);
    await ds.query(
      `INSERT INTO registration_settings (edition_id, opens_at, closes_at, capacity, seats_left)
       VALUES ($1, now(), now() + interval '1 day', 10, 10)`,
      [edition.id],
    );
    await ds.query(
      `INSERT INTO ticket_categories (edition_id, key, name_fr, name_en, quota, seats_left)
       VALUES ($1, 'participant', 'Participant', 'Participant', 5, 5)`,
      [edition.id],
    );
    return edition.id;
  }

  it('tells which edition changed: its row, its settings, its categories', async () => {
    const id = await editionWithSettings();
    await settle();
    await ds.query(`UPDATE editions SET title = 'Autre titre' WHERE id = $1`, [id]);
    await ds.query(
      `UPDATE registration_settings SET privacy_notice_version = '2' WHERE edition_id = $1`,
      [id],
    );
    await ds.query(`UPDATE ticket_categories SET hidden = true WHERE edition_id = $1`, [id]);
    await ds.query(`DELETE FROM ticket_categories WHERE edition_id = $1`, [id]);
    await eventually(() => heard.length >= 4, { what: 'four notifications' });

    expect(heard).toEqual([id, id, id, id]);
  });

  it('stays silent when only seat counters move, as each registration moves them', async () => {
    const quiet = await editionWithSettings();
    const loud = await editionWithSettings();
    await settle();
    await ds.query(
      `UPDATE registration_settings SET seats_left = seats_left - 1, updated_at = now() WHERE edition_id = $1`,
      [quiet],
    );
    await ds.query(
      `UPDATE ticket_categories SET seats_left = seats_left - 1 WHERE edition_id = $1`,
      [quiet],
    );
    // Notifications arrive in commit order: once the second edition's is here, the first had
    // its chance.
    await ds.query(`UPDATE editions SET title = 'Bruyante' WHERE id = $1`, [loud]);
    await eventually(() => heard.length >= 1, { what: 'a notification' });

    expect(heard).toEqual([loud]);
  });

  it('listens to a channel added once the connection is open', async () => {
    const later: (string | null)[] = [];
    const stop = notifications.listen('assises_test_later', (payload) => later.push(payload));
    // LISTEN is sent as the channel is added: a notification sent after it has been taken is heard.
    await eventually(
      async () => {
        await ds.query(`SELECT pg_notify('assises_test_later', 'hello')`);
        return later.includes('hello');
      },
      { what: 'the later channel' },
    );
    stop();
    expect(later.filter((payload) => payload !== null)[0]).toBe('hello');
  });

  it('opens the connection again when the server drops it, and says so with null', async () => {
    await settle();
    await ds.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'assises-listen' AND datname = current_database()`,
    );
    await eventually(() => heard.includes(null), { what: 'null after the drop' });
    await eventually(() => notifications.connected, { what: 'the connection back' });
    const id = await editionWithSettings();
    await settle();
    await ds.query(`UPDATE editions SET title = 'De retour' WHERE id = $1`, [id]);
    await eventually(() => heard.includes(id), { what: 'a notification after the return' });

    expect(heard.filter((payload) => payload !== null)).toEqual([id]);
  });
});
