import { inflateSync } from 'node:zlib';

/** WinAnsi's 0x80–0x9F back to the characters they stand for (pdfkit's standard fonts). */
const WIN_ANSI_HIGH: Record<number, string> = {
  0x80: '€',
  0x82: '‚',
  0x83: 'ƒ',
  0x84: '„',
  0x85: '…',
  0x86: '†',
  0x87: '‡',
  0x88: 'ˆ',
  0x89: '‰',
  0x8a: 'Š',
  0x8b: '‹',
  0x8c: 'Œ',
  0x8e: 'Ž',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x98: '˜',
  0x99: '™',
  0x9a: 'š',
  0x9b: '›',
  0x9c: 'œ',
  0x9e: 'ž',
  0x9f: 'Ÿ',
};

/** The content streams of a PDF, inflated when they are compressed. */
export function pdfStreams(pdf: Buffer): string[] {
  const streams: string[] = [];
  let at = 0;
  for (;;) {
    // pdfkit writes `<< /Length n … >>\nstream\n` then n bytes; the `>>` keeps `endstream` out.
    const start = pdf.indexOf('>>\nstream\n', at);
    if (start < 0) break;
    const from = start + '>>\nstream\n'.length;
    const dictionary = pdf.subarray(pdf.lastIndexOf('<<', start), start).toString('latin1');
    const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
    const end = Number.isInteger(length) ? from + length : pdf.indexOf('\nendstream', from);
    if (end < from) break;
    const raw = pdf.subarray(from, end);
    const flate = /\/Filter\s*\/FlateDecode/.test(dictionary);
    streams.push((flate ? inflateSync(raw) : raw).toString('latin1'));
    at = end;
  }
  return streams;
}

/**
 * The text a PDF drawn by pdfkit shows, one line per text operation (pdfkit writes each line
 * as one `[<hex> kern <hex>] TJ`), decoded from WinAnsi. Enough to check what the report
 * says; not a general PDF reader.
 */
export function pdfTextLines(pdf: Buffer): string[] {
  const lines: string[] = [];
  for (const stream of pdfStreams(pdf))
    for (const [, inside] of stream.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      let line = '';
      for (const [, hex] of inside.matchAll(/<([0-9a-fA-F]*)>/g))
        for (let i = 0; i < hex.length; i += 2) {
          const code = parseInt(hex.slice(i, i + 2), 16);
          line += WIN_ANSI_HIGH[code] ?? String.fromCharCode(code);
        }
      lines.push(line);
    }
  return lines;
}

/**
 * The height of every line of text drawn, in PDF coordinates (points from the page's bottom
 * edge): what shows that nothing was written past a page's margins.
 */
export function pdfTextHeights(pdf: Buffer): number[] {
  return pdfStreams(pdf).flatMap((s) =>
    [...s.matchAll(/1 0 0 1 [\d.-]+ ([\d.-]+) Tm/g)].map((m) => Number(m[1])),
  );
}
