import type { ExportTable } from '@assises/surveys';
import { stringify } from 'csv-stringify/sync';

/**
 * A cell a spreadsheet would read as a formula (= + - @, or a tab/CR that some programs strip
 * first) gets a leading apostrophe: hostile answers stay text.
 */
export function formulaSafe(value: string | number | null): string | number {
  if (value === null) return '';
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** UTF-8 with a BOM (so Excel reads the accents), one row per response. */
export function toCsv(table: ExportTable): string {
  return stringify(
    [table.columns, ...table.rows].map((row) => row.map(formulaSafe)),
    {
      bom: true,
    },
  );
}

/**
 * A worksheet name Excel accepts: at most 31 characters, none of * ? : \ / [ ], not starting or
 * ending with an apostrophe (an edition title may hold any of these).
 */
export function sheetNameOf(name: string): string {
  const safe = name
    .replace(/[*?:\\/[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 31)
    .replace(/^'+|'+$/g, '')
    .trim();
  return safe || 'Survey';
}

export async function toXlsx(table: ExportTable, sheetName: string): Promise<Buffer> {
  // Loaded on first export: exceljs is large and most api processes never write a workbook.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetNameOf(sheetName));
  sheet.addRow(table.columns.map(formulaSafe));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row.map(formulaSafe));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
