import type { IncomingMessage } from 'node:http';
import { isHealthCheck, scrubUrl } from './logging';

describe('scrubUrl', () => {
  it('hides a reset token in the path', () => {
    expect(scrubUrl('/admin/password/reset/3q2-Xyz_abcdefghijklmnopqrstuvwxyz0123456789')).toBe(
      '/admin/password/reset/[secret]',
    );
  });

  it('hides token parameters', () => {
    expect(scrubUrl('/x?token=abc&lang=fr')).toBe('/x?token=[secret]&lang=fr');
  });

  it('keeps ordinary paths', () => {
    expect(scrubUrl('/e/lyon-2017?lang=en')).toBe('/e/lyon-2017?lang=en');
  });
});

describe('isHealthCheck', () => {
  const request = (url: string, originalUrl?: string) =>
    ({ url, originalUrl }) as IncomingMessage & { originalUrl?: string };

  it('reads the path as sent, not the one Express cut down inside a mounted middleware', () => {
    expect(isHealthCheck(request('/', '/health'))).toBe(true);
    expect(isHealthCheck(request('/', '/health?probe=lb'))).toBe(true);
    expect(isHealthCheck(request('/health'))).toBe(true);
  });

  it('lets every other path be logged', () => {
    expect(isHealthCheck(request('/', '/healthz'))).toBe(false);
    expect(isHealthCheck(request('/health/db', '/health/db'))).toBe(false);
    expect(isHealthCheck(request('/', '/e/lyon-2017'))).toBe(false);
  });
});
