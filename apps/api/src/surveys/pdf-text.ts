/**
 * pdfkit's standard fonts (Helvetica) are encoded in WinAnsi: one byte per character, and a
 * character outside it would be written as more than two hex digits, which corrupts the whole
 * string. So every text is first brought into WinAnsi here: what it has passes through, a few
 * typographic characters become their nearest equivalent, accented letters it lacks lose their
 * accent (ő → o), anything else becomes "?" — text is never dropped.
 */

/** The characters WinAnsi places in 0x80–0x9F, beside Latin-1's 0x20–0x7E and 0xA0–0xFF. */
export const WIN_ANSI_EXTRA: Record<number, number> = {
  0x20ac: 0x80,
  0x201a: 0x82,
  0x0192: 0x83,
  0x201e: 0x84,
  0x2026: 0x85,
  0x2020: 0x86,
  0x2021: 0x87,
  0x02c6: 0x88,
  0x2030: 0x89,
  0x0160: 0x8a,
  0x2039: 0x8b,
  0x0152: 0x8c,
  0x017d: 0x8e,
  0x2018: 0x91,
  0x2019: 0x92,
  0x201c: 0x93,
  0x201d: 0x94,
  0x2022: 0x95,
  0x2013: 0x96,
  0x2014: 0x97,
  0x02dc: 0x98,
  0x2122: 0x99,
  0x0161: 0x9a,
  0x203a: 0x9b,
  0x0153: 0x9c,
  0x017e: 0x9e,
  0x0178: 0x9f,
};

/** Characters outside WinAnsi with a close one inside (spaces, dashes, a few signs and letters). */
const CLOSE: Record<string, string> = {
  '\u00a0': '\u00a0',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2007': '\u00a0',
  '\u2008': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': '\u00a0',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '\u2014',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
  '\u2044': '/',
  '\u2190': '<-',
  '\u2192': '->',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u0110': 'D',
  '\u0111': 'd',
  '\u0131': 'i',
  '\u0141': 'L',
  '\u0142': 'l',
};

/** Invisible characters: nothing to print. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

const encodable = (code: number) =>
  (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || code in WIN_ANSI_EXTRA;

function closest(char: string): string {
  const code = char.codePointAt(0)!;
  if (char === '\n') return char;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return ' ';
  if (encodable(code)) return char;
  if (char in CLOSE) return CLOSE[char];
  const bare = char.normalize('NFD').replace(/\p{M}/gu, '');
  if (bare && bare !== char && [...bare].every((c) => encodable(c.codePointAt(0)!))) return bare;
  return '?';
}

/** `text` in characters the PDF's standard fonts can draw (see above); line breaks kept as `\n`. */
export function pdfText(text: string): string {
  let out = '';
  for (const char of text.replace(/\r\n?/g, '\n').normalize('NFC').replace(INVISIBLE, ''))
    out += closest(char);
  return out;
}

/** The width of a bar for a share in percent (0–100), never outside its track. */
export function barWidth(pct: number, track: number): number {
  if (!Number.isFinite(pct)) return 0;
  return (Math.min(100, Math.max(0, pct)) / 100) * track;
}

/** Where `value` falls on a scale from `min` to `max` drawn `width` long from `x` (kept on it). */
export function scalePosition(
  value: number,
  [min, max]: readonly [number, number],
  x: number,
  width: number,
): number {
  return x + ((Math.min(max, Math.max(min, value)) - min) / (max - min)) * width;
}
