import type { AppConfig } from '@assises/config';
import { DataSource } from 'typeorm';
import { assertKnownFlags, ParsedArgs } from '../args';
import { withDataSource } from '../with-data-source';

/** Runs the pending migrations, each in its own transaction; returns the names that ran. */
export async function runPendingMigrations(dataSource: DataSource): Promise<string[]> {
  const ran = await dataSource.runMigrations({ transaction: 'each' });
  return ran.map((migration) => migration.name);
}

export function reportMigrations(names: readonly string[]): void {
  if (names.length === 0) console.log('Database schema up to date: no pending migration.');
  for (const name of names) console.log(`Ran migration ${name}`);
}

/** `migration:run` */
export async function migrationRunCommand(config: AppConfig, args: ParsedArgs): Promise<number> {
  assertKnownFlags(args, []);
  const names = await withDataSource(config, runPendingMigrations);
  reportMigrations(names);
  return 0;
}
