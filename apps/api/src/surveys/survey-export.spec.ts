import ExcelJS from 'exceljs';
import { formulaSafe, sheetNameOf, toCsv, toXlsx } from './survey-export';

describe('survey exports', () => {
  describe('formulaSafe', () => {
    it('keeps a cell that a spreadsheet would run as a formula as text', () => {
      for (const hostile of ['=1+1', '+33 6', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
        expect(formulaSafe(hostile)).toBe(`'${hostile}`);
    });

    it('leaves ordinary text, numbers and empty answers alone', () => {
      expect(formulaSafe('Les ateliers = le cœur')).toBe('Les ateliers = le cœur');
      expect(formulaSafe(-3)).toBe(-3);
      expect(formulaSafe(null)).toBe('');
    });
  });

  const table = {
    columns: ['name', 'Ce qu’il faut garder'],
    rows: [
      ['=cmd|" /C calc"!A0', 'une ligne\nune autre, "citée"'],
      ['Ada', 5],
    ],
  };

  it('writes CSV with a BOM, quoting commas, quotes and line breaks', () => {
    const csv = toCsv(table);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1).split('\n')[0]).toBe('name,Ce qu’il faut garder');
    expect(csv).toContain(`"'=cmd|"" /C calc""!A0","une ligne\nune autre, ""citée"""`);
    expect(csv).toContain('Ada,5');
  });

  it('names the worksheet with what Excel accepts, whatever the edition title', () => {
    expect(sheetNameOf('Lyon 2017: bilan / synthèse [v2]?')).toBe('Lyon 2017 bilan synthèse v2');
    expect(sheetNameOf("'*?'")).toBe('Survey');
    expect(sheetNameOf('x'.repeat(40))).toHaveLength(31);
  });

  it('writes XLSX cells as text, never as formulas', async () => {
    const workbook = new ExcelJS.Workbook();
    const buffer = await toXlsx(table, 'Résultats: édition [2027] avec un nom bien trop long');
    await workbook.xlsx.load(
      buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length) as ArrayBuffer,
    );
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('Résultats édition 2027 avec un');
    const cell = sheet.getRow(2).getCell(1);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(`'=cmd|" /C calc"!A0`);
    expect(sheet.getRow(3).getCell(2).value).toBe(5);
  });
});
