import { stringify } from 'csv-stringify/sync';

/** Characters that make a spreadsheet read a cell as a formula (and tab/CR, which some strip first). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A cell a spreadsheet shows as text: one starting with = + - @ (or a tab or carriage return)
 * gets a leading apostrophe, so hostile text cannot run as a formula (CSV injection).
 */
export function neutraliseCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'string'
        ? value
        : typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : JSON.stringify(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A CSV document as spreadsheets open it well: UTF-8 with a BOM, CRLF, every cell neutralised. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return stringify(
    [header, ...rows].map((row) => row.map(neutraliseCell)),
    {
      bom: true,
      record_delimiter: 'windows',
    },
  );
}
