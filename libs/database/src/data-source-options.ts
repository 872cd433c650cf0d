import type { AppConfig } from '@assises/config';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityList = MixedList<Function | string | EntitySchema>;

/**
 * The one description of the database, shared by the app (through TypeOrmModule) and the
 * migration CLI. Entities and migrations are listed explicitly: globs break once bundled.
 * `synchronize` is off here and nowhere else: the schema only changes through migrations.
 */
export function dataSourceOptions(config: AppConfig, entities: EntityList = []): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    // Failed queries surface as exceptions (logged with the request id when unexpected).
    logging: false,
    extra: {
      max: config.database.poolSize,
      connectionTimeoutMillis: config.database.poolTimeoutMs,
      application_name: 'assises',
    },
  };
}
