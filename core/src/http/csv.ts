// CSV downloads (exports of payments, form submissions): one line per row, cells quoted
// when they must be, and text a spreadsheet would run as a formula (CSV injection: starting
// with = + - @ tab or CR) given a leading apostrophe, which spreadsheets show as text.
// Plain numbers (-5, +1.5) stay numbers.
import { Readable } from 'node:stream';
import type { Keyset } from './list.ts';

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
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = textOf(value);
  if (formulaStart.test(text) && !plainNumber.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (CRLF-terminated, as RFC 4180 has it). */
const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** What starts a download: a byte-order mark, so Excel reads UTF-8, and the header line. */
const csvHeader = (columns: string[]) => `\uFEFF${csvLine(columns)}`;

/**
 * A CSV download read page by page in (createdAt desc, id desc) keyset order, written as it
 * comes so memory stays flat: the header, then each page's lines, until a page comes back
 * short. The first page is read before the stream is handed back, so a refused query is an
 * error answer, not a download cut off after its header.
 */
export async function csvDownload<Row extends { createdAt: Date; id: string }>(options: {
  header: string[];
  /** One page of at most `pageSize` rows after `after` (from the start when undefined). */
  read: (after: Keyset | undefined) => Promise<Row[]>;
  cells: (row: Row) => unknown[];
  pageSize: number;
}): Promise<Readable> {
  const { header, read, cells, pageSize } = options;
  const first = await read(undefined);
  async function* pages() {
    yield csvHeader(header);
    let rows = first;
    while (rows.length) {
      yield rows.map((row) => csvLine(cells(row))).join('');
      if (rows.length < pageSize) return;
      const last = rows.at(-1)!;
      rows = await read({ at: last.createdAt, id: last.id });
    }
  }
  return Readable.from(pages());
}
