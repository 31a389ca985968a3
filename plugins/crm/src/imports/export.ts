// Contacts as CSV: the rows a contact filter matches, read page by page in id order
// (keyset, so every page costs the same) and written as CSV page by page, so memory
// stays flat however many contacts there are.
import { Readable } from 'node:stream';
import type { TenantDb } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { stringify } from 'csv-stringify/sync';
import { escapeFormula } from './csv.ts';

const baseColumns = ['id', 'firstName', 'lastName', 'email', 'phone', 'company', 'tags', 'source', 'createdAt', 'updatedAt'] as const;

const select = Object.fromEntries([...baseColumns, 'customFields'].map((c) => [c, true])) as Record<(typeof baseColumns)[number] | 'customFields', true>;
type ExportedContact = Prisma.ContactGetPayload<{ select: typeof select }>;

/**
 * One column per custom field, headed by its label; by "customFields.<key>" when the
 * label is taken by another column (the import's guessed mapping reads both).
 */
function customColumns(definitions: { key: string; label: string }[]): { key: string; header: string }[] {
  const taken = new Set<string>(baseColumns.map((c) => c.toLowerCase()));
  return definitions.map(({ key, label }) => {
    const header = taken.has(label.toLowerCase()) ? `customFields.${key}` : label;
    taken.add(header.toLowerCase());
    return { key, header };
  });
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  // Tags and multi-select values the way the import reads them back.
  if (Array.isArray(value)) return escapeFormula(value.join(';'));
  return escapeFormula(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

/**
 * The CSV of the contacts `where` matches: a stream of pages, header first (with a BOM, so
 * Excel reads UTF-8). The first page is read before the stream is handed back, so a filter
 * the database refuses is an error answer, not a download cut off after its headers.
 */
export async function contactsCsv(db: TenantDb, where: Prisma.ContactWhereInput, definitions: { key: string; label: string }[], pageSize = 5000): Promise<Readable> {
  const custom = customColumns(definitions);
  const page = (after: string | null): Promise<ExportedContact[]> =>
    db.contact.findMany({ where: after ? { AND: [where, { id: { gt: after } }] } : where, orderBy: { id: 'asc' }, take: pageSize, select });
  const first = await page(null);
  async function* pages() {
    yield stringify([[...baseColumns, ...custom.map((c) => c.header)]], { bom: true });
    let pending: Promise<ExportedContact[]> | null = Promise.resolve(first);
    while (pending) {
      const contacts: ExportedContact[] = await pending;
      // The next page loads while this one is written out.
      pending = contacts.length === pageSize ? page(contacts.at(-1)!.id) : null;
      // Awaited on the next turn; this only covers a client that left meanwhile.
      pending?.catch(() => {});
      if (!contacts.length) return;
      yield stringify(
        contacts.map((c) => {
          const values = (c.customFields ?? {}) as Record<string, unknown>;
          return [...baseColumns.map((column) => cell(c[column])), ...custom.map((f) => cell(values[f.key]))];
        }),
      );
    }
  }
  return Readable.from(pages());
}
