// CSV downloads (exports of payments, form submissions): one line per row, cells quoted
// when they must be, and text a spreadsheet would run as a formula (CSV injection: starting
// with = + - @ tab or CR) given a leading apostrophe, which spreadsheets show as text.
// Plain numbers (-5, +1.5) stay numbers.
const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^[+-]?\d+(\.\d+)?$/;

const plainObject = (value: object) => Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null;

function textOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(textOf).join(';');
  // Plain objects as JSON; anything else (a Decimal) as it writes itself.
  return typeof value === 'object' && value !== null && plainObject(value) ? JSON.stringify(value) : String(value);
}

/** One cell: empty for null, ISO for dates, lists joined with ';', plain objects as JSON. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = textOf(value);
  if (formulaStart.test(text) && !plainNumber.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (CRLF-terminated, as RFC 4180 has it). */
export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** What starts a download: a byte-order mark, so Excel reads UTF-8, and the header line. */
export const csvHeader = (columns: string[]) => `\uFEFF${csvLine(columns)}`;
