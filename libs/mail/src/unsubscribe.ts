import { safeEqual } from '@assises/core';
import { createHmac } from 'node:crypto';

/**
 * Unsubscribe links carry the address and an HMAC of it, so they work without a stored token
 * and cannot be forged for someone else's address.
 */
export function unsubscribeToken(secret: string, email: string): string {
  const address = Buffer.from(email.toLowerCase()).toString('base64url');
  const mac = createHmac('sha256', secret)
    .update(`unsubscribe:${email.toLowerCase()}`)
    .digest('base64url');
  return `${address}.${mac}`;
}

/** Returns the address the token was made for, or null when it was tampered with. */
export function readUnsubscribeToken(secret: string, token: string): string | null {
  const [address, mac] = token.split('.');
  if (!address || !mac) return null;
  const email = Buffer.from(address, 'base64url').toString('utf8');
  return safeEqual(unsubscribeToken(secret, email), token) ? email : null;
}
