import { AppConfig, ConfigError, loadConfig } from '@assises/config';
import { DomainError } from '@assises/core';
import { parseArgs, ParsedArgs } from './args';
import { CliError } from './cli-error';
import { adminCreateCommand } from './commands/admin-create.command';
import { migrationGenerateCommand } from './commands/migration-generate.command';
import { migrationRevertCommand } from './commands/migration-revert.command';
import { migrationRunCommand } from './commands/migration-run.command';
import { seedCommand } from './commands/seed.command';
import { startCommand } from './commands/start.command';

type Command = (config: AppConfig, args: ParsedArgs) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  'admin:create': adminCreateCommand,
  'migration:generate': migrationGenerateCommand,
  'migration:revert': migrationRevertCommand,
  'migration:run': migrationRunCommand,
  seed: seedCommand,
  start: startCommand,
};

const USAGE = `Usage: node dist/apps/cli/src/main.js <command>

  start                        check services, migrate, load demo data, run the api and the worker
  migration:run                run the pending migrations
  migration:revert             undo the last migration
  migration:generate <name>    write a migration (verb-noun, e.g. add-rooms) from the entities
  seed                         load the demo data into a database with no edition
  admin:create --email … --name … [--password …]
                               create a platform admin, or promote an existing account

Configuration comes from the environment: see .env.example.`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help') {
    console.log(USAGE);
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) throw new CliError(`Unknown command "${name}".\n\n${USAGE}`);
  return command(loadConfig(), parseArgs(rest));
}

/** What the person at the terminal reads: a message for expected failures, a stack for bugs. */
function describe(error: unknown): string {
  if (error instanceof ConfigError || error instanceof CliError) return error.message;
  if (error instanceof DomainError) {
    const fields = Object.entries(error.fields ?? {}).map(
      ([field, messages]) => `  - ${field}: ${messages.join('; ')}`,
    );
    return [error.message, ...fields].join('\n');
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(describe(error));
    process.exit(1);
  },
);
