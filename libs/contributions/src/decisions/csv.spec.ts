import { neutraliseCell, toCsv } from './csv';

describe('toCsv', () => {
  it('starts with a UTF-8 byte order mark and keeps accents', () => {
    const csv = toCsv(['titre'], [['Tiers-lieu à Aurillac']]);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe('titre\r\nTiers-lieu à Aurillac\r\n');
  });

  it('neutralises every cell that a spreadsheet would read as a formula', () => {
    for (const hostile of ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])
      expect(neutraliseCell(hostile)).toBe(`'${hostile}`);
    const csv = toCsv(['a', 'b'], [['=1+1', 'ok']]);
    expect(csv).toContain("'=1+1,ok");
  });

  it('leaves ordinary text, numbers and dates alone, and quotes separators', () => {
    expect(neutraliseCell('Un atelier')).toBe('Un atelier');
    expect(neutraliseCell(3.5)).toBe('3.5');
    expect(neutraliseCell(null)).toBe('');
    expect(neutraliseCell(new Date('2027-01-01T00:00:00Z'))).toBe('2027-01-01T00:00:00.000Z');
    expect(toCsv(['x'], [['a, "b"\nc']])).toContain('"a, ""b""\nc"');
  });
});
