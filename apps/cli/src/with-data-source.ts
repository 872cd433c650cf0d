import type { AppConfig } from '@assises/config';
import { dataSourceOptions } from '@assises/database';
import { DataSource } from 'typeorm';
import { CliError } from './cli-error';
import { ENTITIES } from './entities';
import { maskUrl } from './mask-url';

/** The DataSource the commands share: every entity, the migrations, no Nest. */
export function createDataSource(config: AppConfig): DataSource {
  return new DataSource({
    ...dataSourceOptions(config, ENTITIES),
    // A command needs one or two connections, not the app's pool.
    extra: { max: 2, connectionTimeoutMillis: 5_000, application_name: 'assises-cli' },
  });
}

/** Opens the database, runs `work`, and always closes the connections afterwards. */
export async function withDataSource<T>(
  config: AppConfig,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  const dataSource = createDataSource(config);
  try {
    await dataSource.initialize();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `Cannot open the database ${maskUrl(config.database.url)}: ${reason}\n` +
        'Check DATABASE_URL, or run `npm start`, which creates the database and migrates it.',
    );
  }
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
