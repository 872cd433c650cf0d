import type { AppConfig } from '@assises/config';
import { assertKnownFlags, ParsedArgs } from '../args';
import { withDataSource } from '../with-data-source';

/** `migration:revert`: undoes the last migration that ran (one per call). */
export async function migrationRevertCommand(config: AppConfig, args: ParsedArgs): Promise<number> {
  assertKnownFlags(args, []);
  return withDataSource(config, async (dataSource) => {
    const [table] = await dataSource.query<{ found: string | null }[]>(
      `SELECT to_regclass('migrations')::text AS found`,
    );
    const [last] = table.found
      ? await dataSource.query<{ name: string }[]>(
          'SELECT name FROM migrations ORDER BY timestamp DESC, id DESC LIMIT 1',
        )
      : [];
    if (!last) {
      console.log('No migration has run: nothing to revert.');
      return 0;
    }
    await dataSource.undoLastMigration({ transaction: 'each' });
    console.log(`Reverted migration ${last.name}`);
    return 0;
  });
}
