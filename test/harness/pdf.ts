import { inflateSync } from 'node:zlib';

/** A PDF's objects by number: their dictionary and, for a stream, its inflated content. */
function pdfObjects(pdf: Buffer): Map<number, { dictionary: string; stream?: string }> {
  const objects = new Map<number, { dictionary: string; stream?: string }>();
  const text = pdf.toString('latin1');
  for (const match of text.matchAll(/(\d+) 0 obj\n/g)) {
    const from = match.index + match[0].length;
    const end = text.indexOf('\nendobj', from);
    const body = text.slice(from, end);
    const streamAt = body.indexOf('\nstream\n');
    if (streamAt < 0) {
      objects.set(Number(match[1]), { dictionary: body });
      continue;
    }
    const dictionary = body.slice(0, streamAt);
    const length = Number(/\/Length (\d+)/.exec(dictionary)?.[1]);
    const start = from + streamAt + '\nstream\n'.length;
    const raw = pdf.subarray(start, start + length);
    const flate = /\/Filter\s*\/FlateDecode/.test(dictionary);
    objects.set(Number(match[1]), {
      dictionary,
      stream: (flate ? inflateSync(raw) : raw).toString('latin1'),
    });
  }
  return objects;
}

/** The streams of a PDF (page contents, fonts, maps), inflated when they are compressed. */
export function pdfStreams(pdf: Buffer): string[] {
  return [...pdfObjects(pdf).values()].flatMap(({ stream }) =>
    stream === undefined ? [] : [stream],
  );
}

/**
 * What each font's character codes stand for, from its ToUnicode map (pdfkit embeds a font as
 * glyph codes of 4 hex digits, and maps them back to text in `beginbfrange` entries), by the
 * name the pages use for the font (`F1`, `F2`…).
 */
function fontMaps(objects: ReturnType<typeof pdfObjects>): Map<string, Map<number, string>> {
  const maps = new Map<string, Map<number, string>>();
  for (const { dictionary } of objects.values())
    for (const [, name, ref] of dictionary.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      if (maps.has(name)) continue;
      const font = objects.get(Number(ref))?.dictionary ?? '';
      const cmap = objects.get(Number(/\/ToUnicode (\d+) 0 R/.exec(font)?.[1]))?.stream ?? '';
      const codes = new Map<number, string>();
      for (const [, start, list] of cmap.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/gi)) {
        let code = parseInt(start, 16);
        for (const [, units] of list.matchAll(/<([0-9a-f ]+)>/gi))
          codes.set(
            code++,
            String.fromCharCode(...units.split(' ').map((unit) => parseInt(unit, 16))),
          );
      }
      maps.set(name, codes);
    }
  return maps;
}

/**
 * The text a PDF drawn by pdfkit shows, one line per text operation (pdfkit writes each line
 * as one `[<hex> kern <hex>] TJ` after choosing its font with `/F1 10 Tf`), decoded through
 * the font's ToUnicode map. Enough to check what the report says; not a general PDF reader.
 */
export function pdfTextLines(pdf: Buffer): string[] {
  const objects = pdfObjects(pdf);
  const fonts = fontMaps(objects);
  const lines: string[] = [];
  for (const { dictionary, stream } of objects.values()) {
    if (stream === undefined || /\/(Subtype|Type)|\/Length1/.test(dictionary)) continue;
    let font = new Map<number, string>();
    for (const [, name, inside] of stream.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\]\s*TJ/g)) {
      if (name) {
        font = fonts.get(name) ?? new Map();
        continue;
      }
      let line = '';
      for (const [, hex] of inside.matchAll(/<([0-9a-fA-F]*)>/g))
        for (let i = 0; i < hex.length; i += 4)
          line += font.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\ufffd';
      lines.push(line);
    }
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
