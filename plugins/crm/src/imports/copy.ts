// Rows into a staging table by COPY FROM STDIN (pg-copy-streams) on the transaction's own
// connection: the import's batches reach PostgreSQL as COPY text, not as a large JSON
// parameter that Prisma serialises and PostgreSQL parses again. The staging table is a
// temporary one that the transaction drops at its end; tenant rows are then written from it
// with one INSERT ... SELECT or UPDATE ... FROM built with tenantSql.
import { driverConnection, Prisma } from '@soshogle/db';
import { from as copyFrom } from 'pg-copy-streams';

const special = /[\\\t\n\r]/;
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format: null as \N, backslash, tab and line breaks escaped. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return special.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => escapes[c]!) : value;
}

/** A text[] value: an array literal with every element quoted. */
export function copyTextArray(values: readonly string[]): string {
  return copyText(`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
}

/** Lines (cells already encoded with copyText, joined by tabs) into `table` by COPY FROM STDIN, on tx's connection. */
export async function copyLines(tx: object, table: string, columns: readonly string[], lines: readonly string[]): Promise<void> {
  if (!lines.length) return;
  const stream = driverConnection(tx).query(copyFrom(`copy ${table} (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`));
  await new Promise<void>((resolve, reject) => {
    stream.on('error', reject);
    stream.on('finish', resolve);
    stream.end(`${lines.join('\n')}\n`);
  });
}

/**
 * Rows of a raw statement run on tx's connection, without Prisma's mapping of parameters and
 * results (pg's own: text[] as arrays, jsonb parsed). For the import's large lookups; the
 * statement is still built with tenantSql.
 */
export async function driverRows<T>(tx: object, statement: Prisma.Sql): Promise<T[]> {
  const result = await driverConnection(tx).query(statement.text, statement.values);
  return result.rows as T[];
}

/** A contact as the import stages it: the columns of a staging table, in order. */
export interface StagedContact {
  id: string;
  firstName: string;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  tags: readonly string[];
  source: string | null;
  customFields: unknown;
}

export const stagedColumns = ['id', 'firstName', 'lastName', 'email', 'phone', 'company', 'tags', 'source', 'customFields'] as const;

/** A temporary staging table of contacts, dropped when its transaction ends. */
export const stagingTableSql = (table: string) =>
  `create temp table ${table} (id text, "firstName" text, "lastName" text, email text, phone text, company text, tags text[], source text, "customFields" jsonb) on commit drop`;

/** One contact as a COPY line of a staging table. */
export const stagedLine = (c: StagedContact) =>
  `${copyText(c.id)}\t${copyText(c.firstName)}\t${copyText(c.lastName)}\t${copyText(c.email)}\t${copyText(c.phone)}\t${copyText(c.company)}\t${copyTextArray(c.tags)}\t${copyText(c.source)}\t${copyText(JSON.stringify(c.customFields))}`;
