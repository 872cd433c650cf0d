import { assertKnownFlags, parseArgs, stringFlag } from './args';
import { CliError } from './cli-error';

describe(parseArgs.name, () => {
  it('reads flags with a separate or an inline value, and positionals', () => {
    expect(parseArgs(['add-rooms', '--email', 'jo@example.org', '--name=Jo Martin'])).toEqual({
      flags: { email: 'jo@example.org', name: 'Jo Martin' },
      positionals: ['add-rooms'],
    });
  });

  it('takes a flag followed by another flag as a bare flag', () => {
    expect(parseArgs(['--password', '--email', 'a@b.fr']).flags).toEqual({
      password: true,
      email: 'a@b.fr',
    });
  });

  it('keeps everything after -- as positionals', () => {
    expect(parseArgs(['--', '--not-a-flag']).positionals).toEqual(['--not-a-flag']);
  });
});

describe(assertKnownFlags.name, () => {
  it('names the unknown flag and the allowed ones', () => {
    expect(() => assertKnownFlags(parseArgs(['--mail', 'x']), ['email', 'name'])).toThrow(
      new CliError('Unknown option --mail (allowed: --email, --name).'),
    );
  });
});

describe(stringFlag.name, () => {
  it('refuses a flag given without its value', () => {
    expect(() => stringFlag(parseArgs(['--email']), 'email')).toThrow('--email needs a value.');
  });

  it('returns undefined for an absent flag', () => {
    expect(stringFlag(parseArgs([]), 'email')).toBeUndefined();
  });
});
