import type { AppConfig } from '@assises/config';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { assertKnownFlags, ParsedArgs } from '../args';
import { CliError } from '../cli-error';
import { isMigrationName, migrationClassName, renderMigration } from '../migration-file';
import { withDataSource } from '../with-data-source';

/** The source checkout this CLI was built from (the folder holding nest-cli.json), if any. */
function findRepoRoot(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nest-cli.json'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * `migration:generate NAME`: writes the SQL that would bring the database in line with the
 * entities, as a migration to review. It never touches the schema itself.
 */
export async function migrationGenerateCommand(
  config: AppConfig,
  args: ParsedArgs,
): Promise<number> {
  assertKnownFlags(args, []);
  const [name, ...extra] = args.positionals;
  if (!name || extra.length > 0) {
    throw new CliError('Usage: npm run migration:generate -- <verb-noun>   e.g. add-rooms');
  }
  if (!isMigrationName(name)) {
    throw new CliError(
      `"${name}" is not a verb-noun name in kebab case, e.g. add-rooms or create-registration-tables.`,
    );
  }
  const root = findRepoRoot(__dirname);
  const migrationsDir = root && join(root, 'libs', 'database', 'src', 'migrations');
  if (!migrationsDir || !existsSync(join(migrationsDir, 'index.ts'))) {
    throw new CliError(
      'No libs/database/src/migrations here: run migration:generate from a source checkout.',
    );
  }

  const sql = await withDataSource(config, async (dataSource) => {
    const pending = await dataSource.showMigrations();
    if (pending)
      throw new CliError('Some migrations have not run: run `npm run migration:run` first.');
    return dataSource.driver.createSchemaBuilder().log();
  });
  if (sql.upQueries.length === 0) {
    console.log('The database already matches the entities: no migration to generate.');
    return 0;
  }

  const timestamp = Date.now();
  const className = migrationClassName(name, timestamp);
  const file = join(migrationsDir, `${timestamp}-${name}.ts`);
  await writeFile(file, renderMigration(className, sql.upQueries, sql.downQueries), { flag: 'wx' });
  console.log(`Wrote ${relative(process.cwd(), file)} (${sql.upQueries.length} statement(s)).`);
  console.log(
    'Review it before anything else: the initial migration is hand-written, so the diff may hold\n' +
      'changes nobody wants (e.g. dropping foreign keys the entities do not declare). Then add\n' +
      `${className} to libs/database/src/migrations/index.ts.`,
  );
  return 0;
}
