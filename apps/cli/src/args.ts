import { CliError } from './cli-error';

export interface ParsedArgs {
  /** `--name value`, `--name=value`; a flag with no value is `true`. */
  flags: Record<string, string | true>;
  positionals: string[];
}

/** Reads the arguments after the command name. Small on purpose: the CLI has a handful of flags. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const flags: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 2) {
      flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      flags[arg.slice(2)] = argv[++i];
    } else {
      flags[arg.slice(2)] = true;
    }
  }
  return { flags, positionals };
}

/** Refuses flags the command does not know, so a typo is not silently ignored. */
export function assertKnownFlags(args: ParsedArgs, known: readonly string[]): void {
  const unknown = Object.keys(args.flags).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    const allowed = known.length > 0 ? known.map((k) => `--${k}`).join(', ') : 'none';
    throw new CliError(
      `Unknown option ${unknown.map((u) => `--${u}`).join(', ')} (allowed: ${allowed}).`,
    );
  }
}

/** The value of `--name`, or undefined when absent; a bare `--name` is an error. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  if (value === true) throw new CliError(`--${name} needs a value.`);
  return value;
}
