import { createInterface } from 'node:readline';
import { CliError } from './cli-error';

/** The first line of stdin (piped input: `echo secret | npm run admin:create …`). */
export async function readFirstLine(input: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
  } finally {
    lines.close();
  }
  throw new CliError('Expected the password on the first line of stdin, got nothing.');
}

/** Asks on the terminal without echoing what is typed. Ctrl+C cancels. */
export function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish(null);
        if (char === '\u0003' || char === '\u0004') return finish(new CliError('Cancelled.'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    process.stdout.write(prompt);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** The new password: from the terminal (asked twice), or the first line of piped stdin. */
export async function readNewPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await askHidden('Password (10 characters or more): ');
  const again = await askHidden('Same password again: ');
  if (first !== again) throw new CliError('The two passwords differ: nothing was changed.');
  return first;
}
