import { maskUrl } from './mask-url';

describe(maskUrl.name, () => {
  it('hides the password of a database URL', () => {
    expect(maskUrl('postgres://assises:s3cr%40t@db.example.org:5432/assises')).toBe(
      'postgres://assises:***@db.example.org:5432/assises',
    );
  });

  it('hides a Redis password given without a user', () => {
    expect(maskUrl('redis://:hunter2@127.0.0.1:6379/0')).toBe('redis://:***@127.0.0.1:6379/0');
  });

  it('leaves a URL without a password as it is', () => {
    expect(maskUrl('postgres://postgres@127.0.0.1:5432/assises')).toBe(
      'postgres://postgres@127.0.0.1:5432/assises',
    );
  });

  it('still hides the password of something URL cannot parse', () => {
    expect(maskUrl('postgres://jo:pw@[bad/x')).toBe('postgres://jo:***@[bad/x');
  });
});
