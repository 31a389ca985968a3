// Reading contact CSV files: one parser setup for the upload check and the import job,
// so both count the same rows; the checks that refuse a file; the guessed column mapping.
import { Readable } from 'node:stream';
import { CsvError, parse, type Parser } from 'csv-parse';

/** More rows than this is a job for several files. */
export const maxRows = 1_000_000;
/** The largest file taken (a million contacts is about 100 MB; split bigger ones). */
export const maxUploadBytes = 100 * 1024 * 1024;

/**
 * The delimiter: whichever of comma, semicolon and tab the header line holds most.
 * Excel writes semicolons in many locales, and tab-separated files come from copy-paste.
 */
export function detectDelimiter(content: Uint8Array): string {
  const buffer = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const newline = buffer.indexOf(10);
  const line = buffer.subarray(0, newline === -1 ? Math.min(buffer.length, 65_536) : newline).toString('utf8');
  const count = (d: string) => line.split(d).length;
  return [';', '\t'].reduce((best, d) => (count(d) > count(best) ? d : best), ',');
}

/**
 * Records of the file as arrays of cells, header first. Blank lines and lines of empty
 * cells (Excel's trailing ",,,,") are no rows; rows with a wrong cell count come through
 * for the import to report.
 */
export function csvRecords(content: Uint8Array): Parser {
  const parser = parse({ bom: true, delimiter: detectDelimiter(content), relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true });
  // Fed in pieces: given the whole file at once, the parser would turn all of it into records up front.
  Readable.from(pieces(content), { objectMode: false }).pipe(parser);
  return parser;
}

function* pieces(content: Uint8Array, size = 64 * 1024) {
  for (let start = 0; start < content.byteLength; start += size) yield content.subarray(start, start + size);
}

export class CsvProblem extends Error {}

const problem = (message: string) => new CsvProblem(message);

/** A parser's complaint (unclosed quote, ...), which names its line, as a problem of the file. */
export function fileProblem(error: unknown): CsvProblem | null {
  if (error instanceof CsvProblem) return error;
  return error instanceof CsvError ? problem(error.message) : null;
}

export interface InspectedCsv {
  headers: string[];
  rowCount: number;
  /** The first rows, header name to cell. */
  sample: Record<string, string>[];
}

/** Reads the whole file once: its header, its row count and a sample. Throws CsvProblem for a file it refuses. */
export async function inspectCsv(content: Uint8Array, sampleSize = 5): Promise<InspectedCsv> {
  if (!content.byteLength) throw problem('The file is empty');
  // PostgreSQL stores no NUL in text, and a CSV has none: it is UTF-16 or not text at all.
  if (content.includes(0)) throw problem('The file has NUL bytes: save it as CSV in UTF-8 (not UTF-16), or check that it is a CSV file');
  let headers: string[] | null = null;
  let rowCount = 0;
  const sample: Record<string, string>[] = [];
  try {
    for await (const record of csvRecords(content) as AsyncIterable<string[]>) {
      if (!headers) {
        headers = checkHeaders(record);
        continue;
      }
      if (++rowCount > maxRows) throw problem(`The file has more than ${maxRows.toLocaleString('en-US')} rows; split it into several files`);
      if (sample.length < sampleSize) sample.push(Object.fromEntries(headers.map((h, i) => [h, record[i] ?? ''])));
    }
  } catch (error) {
    throw fileProblem(error) ?? error;
  }
  if (!headers) throw problem('The file has no header row');
  if (!rowCount) throw problem('The file has a header row but no data rows');
  return { headers, rowCount, sample };
}

function checkHeaders(record: string[]): string[] {
  const headers = record.map((h) => h.trim());
  const blank = headers.findIndex((h) => !h);
  if (blank !== -1) throw problem(`Column ${blank + 1} of the header row has no name`);
  const twice = headers.find((h, i) => headers.indexOf(h) !== i);
  if (twice) throw problem(`The header row names the column "${twice}" twice`);
  return headers;
}

// ---- The guessed mapping ----

const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Column names people use for each contact field, squashed (lower case, letters and digits only). */
const synonyms: Record<string, string[]> = {
  firstName: ['firstname', 'first', 'givenname', 'forename', 'name', 'fullname', 'contactname'],
  lastName: ['lastname', 'last', 'surname', 'familyname'],
  email: ['email', 'emailaddress', 'mail', 'emails'],
  phone: ['phone', 'phonenumber', 'mobile', 'mobilephone', 'mobilenumber', 'cell', 'cellphone', 'telephone', 'tel', 'phones'],
  company: ['company', 'companyname', 'organization', 'organisation', 'business', 'businessname', 'employer'],
  tags: ['tags', 'tag', 'labels', 'label'],
  source: ['source', 'leadsource'],
};
const byName = new Map(Object.entries(synonyms).flatMap(([field, names]) => names.map((n) => [n, field] as const)));

/**
 * Header -> field as a first guess: well-known names, then the tenant's custom fields by
 * key or label (also "customFields.<key>", as exports name them). Each field at most
 * once, first column wins; the rest map to null (not imported).
 */
export function suggestMapping(headers: string[], customFields: { key: string; label: string }[]): Record<string, string | null> {
  const custom = new Map<string, string>();
  for (const { key, label } of customFields) {
    for (const name of [label, key, `customFields.${key}`]) if (!custom.has(squash(name))) custom.set(squash(name), `customFields.${key}`);
  }
  const used = new Set<string>();
  const mapping: Record<string, string | null> = {};
  for (const header of headers) {
    const field = byName.get(squash(header)) ?? custom.get(squash(header)) ?? null;
    mapping[header] = field && !used.has(field) ? field : null;
    if (field) used.add(field);
  }
  return mapping;
}

// ---- Spreadsheet formulas ----

/** Cells a spreadsheet would run as a formula: = + - @ first, or a tab or carriage return. */
const formulaStart = /^[=+\-@\t\r]/;
/** Signed numbers (an E.164 phone, -3.5): a spreadsheet reads them as numbers, nothing runs. */
const plainNumber = /^[+-]?\d+(\.\d+)?$/;

/** A cell safe to open in a spreadsheet (CSV injection): formulas get a leading apostrophe, which spreadsheets show as text. */
export function escapeFormula(cell: string): string {
  return formulaStart.test(cell) && !plainNumber.test(cell) ? `'${cell}` : cell;
}

/** Undoes escapeFormula, so an exported file imports back unchanged. */
export function unescapeFormula(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && formulaStart.test(cell.slice(1)) ? cell.slice(1) : cell;
}
