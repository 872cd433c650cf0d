/**
 * Runs once before the e2e and browser projects. Jest's globalSetup ignores `moduleNameMapper`,
 * so everything here is imported by relative path.
 *
 * 1. Rebuilds `dist/` when it is missing or older than the sources (the crash tests spawn
 *    `node dist/apps/worker/src/main.js`); `npm test` builds first, so this is a safety net.
 * 2. Recreates the template database from the migrations. Every test file clones it
 *    (`CREATE DATABASE … TEMPLATE …`, ~200 ms) instead of migrating its own database.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../libs/config/src/app-config';
import { dataSourceOptions } from '../libs/database/src/data-source-options';
import { adminUrl, databaseUrl, TEMPLATE_DATABASE } from './harness/db-names';

const ROOT = join(__dirname, '..');
const WORKER_ENTRY = join(ROOT, 'dist/apps/worker/src/main.js');

/** Newest mtime under `dir`: code, and the assets the build copies (mail templates, views). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (!entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  let built = 0;
  try {
    built = statSync(WORKER_ENTRY).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')));
  if (built >= sources) return;
  execFileSync('npx', ['nest', 'build', 'api'], { cwd: ROOT, stdio: 'inherit' });
}

async function recreateTemplate(): Promise<void> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    // A template may not be dropped while it is flagged as one, nor while anyone is connected.
    await admin.query(`UPDATE pg_database SET datistemplate = false WHERE datname = $1`, [
      TEMPLATE_DATABASE,
    ]);
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [TEMPLATE_DATABASE],
    );
    await admin.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}"`);
    await admin.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  } finally {
    await admin.end();
  }

  const config = loadConfig({
    DATABASE_URL: databaseUrl(TEMPLATE_DATABASE),
    DATABASE_POOL_SIZE: '1',
  });
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    // A template must have no open session when it is cloned.
    await dataSource.destroy();
  }
}

export default async function globalSetup(): Promise<void> {
  ensureBuilt();
  await recreateTemplate();
}
