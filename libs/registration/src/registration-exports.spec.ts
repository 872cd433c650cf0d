import { formulaSafe } from './registration-exports';

describe('formulaSafe', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(formulaSafe('=HYPERLINK("http://evil")')).toBe('\'=HYPERLINK("http://evil")');
    expect(formulaSafe('+33 6 12')).toBe("'+33 6 12");
    expect(formulaSafe('-1')).toBe("'-1");
    expect(formulaSafe('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('keeps ordinary text and empties as they are', () => {
    expect(formulaSafe('Camille')).toBe('Camille');
    expect(formulaSafe(null)).toBe('');
  });
});
