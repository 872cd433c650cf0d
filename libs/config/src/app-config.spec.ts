import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('runs on local defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/assises');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.port).toBe(3000);
  });

  it('lists every invalid variable at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const names = (error as ConfigError).problems.map((p) => p.split('=')[0]);
      expect(names).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
    }
  });

  it('refuses the development session secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
  });

  it('refuses the test-only unguarded seats outside NODE_ENV=test', () => {
    for (const NODE_ENV of ['production', 'development'])
      expect(() =>
        loadConfig({ NODE_ENV, SESSION_SECRET: 'x'.repeat(40), TEST_ONLY_UNGUARDED_SEATS: 'true' }),
      ).toThrow(/TEST_ONLY_UNGUARDED_SEATS: only allowed when NODE_ENV=test/);
    expect(loadConfig({ NODE_ENV: 'test', TEST_ONLY_UNGUARDED_SEATS: 'true' }).testOnly).toEqual({
      unguardedSeats: true,
    });
    expect(loadConfig({}).testOnly).toEqual({ unguardedSeats: false });
  });

  it('trims a trailing slash from the public URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://assises.example.org/' }).publicUrl).toBe(
      'https://assises.example.org',
    );
  });
});
