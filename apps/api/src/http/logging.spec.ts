import { scrubUrl } from './logging';

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
