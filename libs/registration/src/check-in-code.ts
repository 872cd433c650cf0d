import { randomBytes } from 'node:crypto';

/** Crockford's base32: no I, L, O, U, so a code read aloud or typed is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 12 characters, 60 random bits: unguessable, short enough to type at the desk. */
export function newCheckInCode(): string {
  const bytes = randomBytes(12);
  return [...bytes].map((b) => ALPHABET[b % 32]).join('');
}

/** What a volunteer typed (spaces, dashes, lower case, O for 0) as a stored code. */
export function normaliseCheckInCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** XXXX-XXXX-XXXX, for people. */
export function formatCheckInCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1-');
}
