import { isMigrationName, migrationClassName, renderMigration } from './migration-file';

describe(isMigrationName.name, () => {
  it.each(['add-rooms', 'create-registration-tables', 'add-slot-v2'])('accepts %s', (name) => {
    expect(isMigrationName(name)).toBe(true);
  });

  it.each(['rooms', 'AddRooms', 'add_rooms', 'add-', '-add-rooms', '1-add'])(
    'refuses %s',
    (name) => {
      expect(isMigrationName(name)).toBe(false);
    },
  );
});

describe(renderMigration.name, () => {
  it('writes a class named after the migration, undoing the last step first', () => {
    const className = migrationClassName('add-rooms', 1764500000000);
    const source = renderMigration(
      className,
      [
        { query: 'CREATE TABLE "rooms" ("id" uuid)' },
        { query: 'ALTER TABLE "rooms" ADD "name" text' },
      ],
      [{ query: 'DROP TABLE "rooms"' }, { query: 'ALTER TABLE "rooms" DROP COLUMN "name"' }],
    );
    expect(className).toBe('AddRooms1764500000000');
    expect(source).toContain("name = 'AddRooms1764500000000';");
    const down = source.slice(source.indexOf('async down'));
    expect(down.indexOf('DROP COLUMN')).toBeLessThan(down.indexOf('DROP TABLE'));
  });

  it('escapes what would break the template literal, and keeps parameters', () => {
    const source = renderMigration(
      'X1',
      [{ query: "COMMENT ON TABLE t IS '`${x}`'", parameters: [1] }],
      [],
    );
    expect(source).toContain("await q.query(`COMMENT ON TABLE t IS '\\`\\${x}\\`'`, [1]);");
  });
});
