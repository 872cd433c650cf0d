import { Account, PasswordHasher } from '@assises/accounts';
import { dataSourceOptions } from '@assises/database';
import { Edition, EditionRole, Membership } from '@assises/editions';
import { OutboxMessage } from '@assises/mail';
import { DataSource } from 'typeorm';
import { createAccount, createEdition, DEFAULT_PASSWORD } from '../factories';
import { testConfig } from '../harness/config';
import { createTestDatabase, TestDatabase, truncateAll } from '../harness/db';

/** The tools every other e2e file stands on. */
describe('Test harness', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(
      dataSourceOptions(testConfig(db.url), [Account, Edition, Membership, OutboxMessage]),
    );
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  describe('createTestDatabase', () => {
    it('clones a database on which every migration has run', async () => {
      expect(await ds.showMigrations()).toBe(false);
      const [{ name }] = await ds.query<{ name: string }[]>(`SELECT current_database() AS name`);
      expect(name).toBe(db.name);
    });
  });

  describe('factories', () => {
    it('create an account that signs in with the default password', async () => {
      const account = await createAccount(ds, { email: 'Camille@Example.org', locale: 'en' });
      const [{ password_hash: hash }] = await ds.query<{ password_hash: string }[]>(
        `SELECT password_hash FROM accounts WHERE id = $1`,
        [account.id],
      );
      expect(account.email).toBe('camille@example.org');
      expect(hash).toMatch(/^\$argon2id\$/);
      await expect(new PasswordHasher().verify(hash, DEFAULT_PASSWORD)).resolves.toBe(true);
    });

    it('create an edition with its team in one call', async () => {
      const reviewer = await createAccount(ds);
      const { edition, members } = await createEdition(ds, {
        hostCity: 'Lyon',
        members: { owner: {}, organiser: { name: 'Dominique' }, reviewer },
      });
      const rows = await ds.manager.find(Membership, {
        where: { editionId: edition.id },
        order: { role: 'ASC' },
      });

      expect(edition.hostCity).toBe('Lyon');
      expect(edition.endsAt.getTime()).toBeGreaterThan(edition.startsAt.getTime());
      expect(members.reviewer).toBe(reviewer);
      expect(members.organiser?.name).toBe('Dominique');
      expect(rows.map((m) => [m.role, m.accountId])).toEqual([
        [EditionRole.Organiser, members.organiser?.id],
        [EditionRole.Owner, members.owner?.id],
        [EditionRole.Reviewer, reviewer.id],
      ]);
    });
  });

  describe('truncateAll', () => {
    it('empties every table but the migrations', async () => {
      await createEdition(ds, { members: { owner: {}, volunteer: {} } });
      await ds.query(
        `INSERT INTO outbox_messages (recipient, template, locale, data, purpose)
         VALUES ('a@example.org', 'password-reset', 'fr', '{}', 'x')`,
      );

      await truncateAll(ds);

      const counts = await ds.query<{ table: string; n: number }[]>(`
        SELECT 'accounts' AS table, count(*)::int AS n FROM accounts
        UNION ALL SELECT 'editions', count(*)::int FROM editions
        UNION ALL SELECT 'memberships', count(*)::int FROM memberships
        UNION ALL SELECT 'outbox_messages', count(*)::int FROM outbox_messages`);
      expect(counts).toEqual([
        { table: 'accounts', n: 0 },
        { table: 'editions', n: 0 },
        { table: 'memberships', n: 0 },
        { table: 'outbox_messages', n: 0 },
      ]);
      expect(await ds.showMigrations()).toBe(false);
    });
  });
});
