/**
 * The CSV of a bulk upload (RFC 4180: comma-separated, `"` quotes with `""` inside, CRLF or LF) and
 * of its result. Parsing refuses a file it cannot read (an unterminated quote) as a whole; a line
 * with the wrong number of fields is left to the caller, which fails that row.
 */

export class CsvSyntaxError extends Error {}

/** The records of `text`, each a list of fields; blank lines are skipped. @throws CsvSyntaxError */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let touched = false;
  const endRecord = () => {
    fields.push(field);
    if (touched || fields.length > 1 || field !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
    touched = false;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      touched = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      touched = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw new CsvSyntaxError(`Invalid CSV: a quoted field opened on line ${start} is not closed`);
  if (field !== '' || fields.length > 0 || touched) endRecord();
  return records;
}

/** One CSV field, quoted when it holds a comma, a quote or a line break; a leading =, +, - or @ is prefixed with ' (no formula in a spreadsheet). */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (values: (string | number | null)[]): string => `${values.map(csvField).join(',')}\r\n`;
