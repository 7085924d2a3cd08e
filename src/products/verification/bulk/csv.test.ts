import { describe, expect, it } from 'vitest';
import { csvField, csvLine, CsvSyntaxError, parseCsv } from './csv.js';

describe('bulk CSV', () => {
  it('reads quotes, doubled quotes, commas and line breaks inside quotes, CRLF, a BOM, and skips blank lines', () => {
    const text = '\uFEFFpan,name\r\nAAJPS2345Q,"Sharma, Ravi ""RK"""\r\n\r\nAAAPI5678K,"two\nlines"\nX,\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['pan', 'name'] },
      { line: 2, fields: ['AAJPS2345Q', 'Sharma, Ravi "RK"'] },
      { line: 4, fields: ['AAAPI5678K', 'two\nlines'] },
      { line: 6, fields: ['X', ''] },
    ]);
    expect(parseCsv('a\nb')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['b'] },
    ]);
    expect(parseCsv('')).toEqual([]);
  });

  it('refuses an unclosed quote, naming the line it opened on', () => {
    expect(() => parseCsv('pan\n"AAJPS2345Q\n')).toThrow(new CsvSyntaxError('Invalid CSV: a quoted field opened on line 2 is not closed'));
  });

  it('writes fields quoted when needed and never as a spreadsheet formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+91')).toBe("'+91");
    expect(csvField(12)).toBe('12');
    expect(csvField(null)).toBe('');
    expect(csvLine([1, 'a', null])).toBe('1,a,\r\n');
    // What is written reads back as it was (formula prefix aside).
    const values = ['x,y', 'q"q', 'line\nbreak'];
    expect(parseCsv(csvLine(values))[0]!.fields).toEqual(values);
  });
});
