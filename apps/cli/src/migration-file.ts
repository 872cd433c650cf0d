/** Naming and rendering of generated migrations (pure: the command does the I/O). */

export interface SqlStatement {
  query: string;
  parameters?: unknown[];
}

/** `verb-noun` in kebab case, e.g. `add-rooms`, `create-registration-tables`. */
export function isMigrationName(name: string): boolean {
  return /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(name);
}

/** `add-rooms` at 1764400000000 → `AddRooms1764400000000`, the name TypeORM records. */
export function migrationClassName(name: string, timestamp: number): string {
  const pascal = name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return `${pascal}${timestamp}`;
}

function statement(sql: SqlStatement): string {
  const escaped = sql.query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  const params = sql.parameters?.length ? `, ${JSON.stringify(sql.parameters)}` : '';
  return `    await q.query(\`${escaped}\`${params});`;
}

/**
 * The source of a migration in the house style. `down` is given in the order TypeORM computes it
 * (one undo per `up` statement, same order) and is reversed here so it undoes the last step first.
 */
export function renderMigration(
  className: string,
  up: readonly SqlStatement[],
  down: readonly SqlStatement[],
): string {
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated from the entities by \`npm run migration:generate\`. Review every statement, say here
 * why the schema changes, then add the class to libs/database/src/migrations/index.ts.
 */
export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(q: QueryRunner): Promise<void> {
${up.map(statement).join('\n')}
  }

  async down(q: QueryRunner): Promise<void> {
${[...down].reverse().map(statement).join('\n')}
  }
}
`;
}
