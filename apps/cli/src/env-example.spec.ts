import { EnvironmentVariables, loadConfig } from '@assises/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `.env.example` is the reference people read: it must not drift from the schema. */
describe('.env.example', () => {
  const text = readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8');
  const entries = new Map(
    text
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => {
        const [name, ...value] = line.split('=');
        return [name, value.join('=').replace(/^"(.*)"$/, '$1')] as const;
      }),
  );

  it('documents every variable of the schema, and no other', () => {
    // SMTP_URL has no default, so it may not show up as a key of the instance.
    const schema = [...new Set([...Object.keys(new EnvironmentVariables()), 'SMTP_URL'])].sort();
    expect([...entries.keys()].sort()).toEqual(schema);
  });

  it('gives each variable its real default', () => {
    const defaults = new EnvironmentVariables() as unknown as Record<
      string,
      string | number | boolean | undefined
    >;
    for (const [name, value] of entries) {
      expect(`${name}=${value}`).toBe(`${name}=${String(defaults[name] ?? '')}`);
    }
  });

  it('is a valid configuration as it stands', () => {
    expect(() => loadConfig(Object.fromEntries(entries))).not.toThrow();
  });

  it('puts a comment line above each variable', () => {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (/^[A-Z_]+=/.test(line)) expect(lines[i - 1]).toMatch(/^# /);
    });
  });
});
