import { formatCheckInCode, newCheckInCode, normaliseCheckInCode } from './check-in-code';

describe('check-in codes', () => {
  it('are 12 unambiguous characters, different each time', () => {
    const codes = new Set(Array.from({ length: 200 }, newCheckInCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/);
  });

  it('read back what a person typed', () => {
    const code = 'AB12CD34EF56';
    expect(normaliseCheckInCode(formatCheckInCode(code).toLowerCase())).toBe(code);
    expect(normaliseCheckInCode(' ab12-cd34-ef56 ')).toBe(code);
    expect(normaliseCheckInCode('Oi')).toBe('01');
  });
});
