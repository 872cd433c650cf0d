/**
 * A failure the person at the terminal can act on: main prints its message alone, without a
 * stack trace, and exits non-zero. Anything else is a bug and keeps its stack.
 */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
