/**
 * The report's text is drawn in DejaVu Sans, embedded (subset) in the PDF: Latin with every
 * accent (Łódź, Erdős), Greek, Cyrillic and the typographic signs come out as they were typed.
 * A character the font has no glyph for (an emoji, Chinese) shows as the font's empty box, and
 * stays in the text a reader copies. Here the text is only tidied: line breaks made `\n`, the
 * composed form (NFC), control characters as spaces, invisible ones dropped.
 */

/** Invisible characters: nothing to print. */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;

/** Control characters but the line break. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** `text` ready to draw (see above); line breaks kept as `\n`. */
export function pdfText(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC').replace(INVISIBLE, '').replace(CONTROL, ' ');
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
