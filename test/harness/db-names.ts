/**
 * Names and URLs of the test databases. Imported by the global setup too, so only relative
 * imports here. The server is the local one of the default configuration
 * (postgres://postgres@127.0.0.1:5432, trust auth).
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { loadConfig } from '../../libs/config/src/app-config';

/**
 * Migrated once per run by test/global-setup.ts; every test file clones it. Named after the
 * checkout, so two checkouts (git worktrees) can run their tests at the same time.
 */
export const TEMPLATE_DATABASE = `assises_test_template_${createHash('sha1')
  .update(resolve(__dirname, '../..'))
  .digest('hex')
  .slice(0, 8)}`;

const SERVER_URL = loadConfig({}).database.url;

/** The URL of a database on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The maintenance database, to create and drop the others. */
export function adminUrl(): string {
  return databaseUrl('postgres');
}
