import type { Response } from 'express';
import { FLASH_COOKIE } from './request-context';

export type FlashKind = 'success' | 'info' | 'error';

/** A message shown once, on the page after a redirect (post/redirect/get). Holds a translation key. */
export function flash(
  res: Response,
  kind: FlashKind,
  key: string,
  args: Record<string, string> = {},
): void {
  const value = Buffer.from(JSON.stringify({ kind, key, args })).toString('base64url');
  res.cookie(FLASH_COOKIE, value, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 60_000 });
}

export function readFlash(
  raw: string | undefined,
): { kind: FlashKind; key: string; args: Record<string, string> } | null {
  if (!raw) return null;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as {
      kind?: unknown;
      key?: unknown;
      args?: unknown;
    };
    if (
      typeof parsed.key !== 'string' ||
      !['success', 'info', 'error'].includes(String(parsed.kind))
    )
      return null;
    const args =
      typeof parsed.args === 'object' && parsed.args ? (parsed.args as Record<string, string>) : {};
    return { kind: parsed.kind as FlashKind, key: parsed.key, args };
  } catch {
    return null;
  }
}
