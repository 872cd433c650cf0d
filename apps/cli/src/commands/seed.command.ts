import type { AppConfig } from '@assises/config';
import { assertKnownFlags, ParsedArgs } from '../args';
import { CliError } from '../cli-error';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DemoSeed, seedDemo } from '../seed';
import { withDataSource } from '../with-data-source';

export function reportSeed(seed: DemoSeed | null): void {
  if (!seed) {
    console.log('Demo data not loaded: the database already has editions.');
    return;
  }
  const { past, upcoming } = seed.editions;
  console.log(
    `Demo data loaded: editions ${past.slug} (${past.status}) and ${upcoming.slug} (${upcoming.status}),`,
  );
  console.log(
    `accounts ${Object.values(DEMO_ACCOUNTS)
      .map((a) => a.email)
      .join(', ')} (password ${DEMO_PASSWORD}).`,
  );
}

/** `seed` (npm run db:seed): the demo data, into a migrated database with no edition. */
export async function seedCommand(config: AppConfig, args: ParsedArgs): Promise<number> {
  assertKnownFlags(args, []);
  const seed = await withDataSource(config, async (dataSource) => {
    if (await dataSource.showMigrations()) {
      throw new CliError('Some migrations have not run: run `npm run migration:run` first.');
    }
    return seedDemo(dataSource);
  });
  reportSeed(seed);
  return 0;
}
