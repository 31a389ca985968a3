// The CSV import's bound on this machine: PostgreSQL alone doing the import's statements
// for a file of the same shape, with Node doing nothing but send the rows (no CSV parsing,
// no checks, no matching beyond a map lookup). bench:crm prints it beside the import's
// figure from the same run, so the ratio holds on a shared machine (issue 22).
import { performance } from 'node:perf_hooks';
import { cpuSeconds } from '@soshogle/core/bench';
import { driverConnection, type PrismaClient } from '@soshogle/db';
import { copyLines, copyText, copyTextArray, stagedColumns, stagedLine, stagingTableSql, type StagedContact } from '../src/imports/copy.ts';
import type { GeneratedContact } from './data.ts';

type Draft = StagedContact & { tags: string[] };

/** A row of the file: a new contact, or one landing on an existing contact by email or phone (with the new contact's company, tags and plan). */
export interface BoundRow {
  contact: GeneratedContact;
  email?: string;
  phone?: string;
}

const selected = stagedColumns.map((c) => `"${c}"`).join(', ');

/** Runs the import's statements for `rows` in batches on one connection; rows/s and PostgreSQL's CPU a row. */
export async function postgresAlone(db: PrismaClient, tenantId: string, rows: BoundRow[], batchSize = 5000): Promise<{ rowsPerSecond: number; postgresUsPerRow: number; created: number; updated: number }> {
  const started = performance.now();
  const before = cpuSeconds().children;
  let sequence = 0;
  let created = 0;
  let updated = 0;
  for (let start = 0; start < rows.length; start += batchSize) {
    const batch = rows.slice(start, start + batchSize);
    await db.$transaction(async (tx) => {
      const client = driverConnection(tx);
      const emails = [...new Set(batch.flatMap((r) => (r.email ? [r.email] : r.phone ? [] : r.contact.email ? [r.contact.email] : [])))];
      const phones = [...new Set(batch.flatMap((r) => (r.phone ? [r.phone] : r.email ? [] : r.contact.phone ? [r.contact.phone] : [])))];
      const found = (
        await client.query<Draft>(`select ${selected} from "Contact" where "userId" = $1 and (email = any((select $2::text[])::text[]) or phone = any((select $3::text[])::text[])) order by "createdAt", id`, [tenantId, emails, phones])
      ).rows;
      const byEmail = new Map(found.map((f) => [f.email, f]));
      const byPhone = new Map(found.map((f) => [f.phone, f]));
      const fresh: Draft[] = [];
      const landed = new Map<string, Draft>();
      for (const { contact: c, email, phone } of batch) {
        const target = email ? byEmail.get(email) : phone ? byPhone.get(phone) : undefined;
        const customFields = { plan: c.plan, seats: c.seats };
        if (target) landed.set(target.id, { ...target, company: c.company, tags: [...new Set([...target.tags, ...c.tags, 'imported'])], customFields });
        else if (!email && !phone) fresh.push({ id: `cbound${Date.now().toString(36)}${(sequence++).toString(36)}`, ...c, source: 'import', customFields });
      }
      await client.query(stagingTableSql('import_created'));
      await copyLines(tx, 'import_created', stagedColumns, fresh.map(stagedLine));
      await client.query(
        `insert into "Contact" (id, "userId", "firstName", "lastName", email, phone, company, tags, source, "customFields", "createdAt", "updatedAt")
         select r.id, $1, r."firstName", r."lastName", r.email, r.phone, r.company, r.tags, r.source, r."customFields", now(), now() from import_created as r`,
        [tenantId],
      );
      created += fresh.length;
      updated += landed.size;
      await client.query(`select ${selected} from "Contact" where "userId" = $1 and id = any($2::text[]) order by id for update`, [tenantId, [...landed.keys()]]);
      await client.query(stagingTableSql('import_updated'));
      await copyLines(tx, 'import_updated', stagedColumns, [...landed.values()].map(stagedLine));
      await client.query(
        `update "Contact" as c set "firstName" = r."firstName", "lastName" = r."lastName", email = r.email, phone = r.phone, company = r.company,
           tags = r.tags, source = r.source, "customFields" = r."customFields", "updatedAt" = now() from import_updated as r where c.id = r.id and c."userId" = $1`,
        [tenantId],
      );
    });
  }
  const seconds = (performance.now() - started) / 1000;
  return { rowsPerSecond: rows.length / seconds, postgresUsPerRow: ((cpuSeconds().children - before) / rows.length) * 1e6, created, updated };
}

/**
 * The physical bound under the import: PostgreSQL alone writing `contacts` as new rows of
 * Contact (heap, its indexes, the foreign key) and nothing else, by COPY straight into the
 * table (no staging, no lookup, no updates), `connections` connections at once (both cores).
 * Whatever the import does on top, it cannot go faster than this on the same machine.
 */
export async function postgresMinimal(db: PrismaClient, tenantId: string, contacts: GeneratedContact[], connections = 2, batchSize = 5000): Promise<{ rowsPerSecond: number; postgresUsPerRow: number }> {
  const columns = ['id', 'userId', 'firstName', 'lastName', 'email', 'phone', 'company', 'tags', 'source', 'customFields', 'createdAt', 'updatedAt'];
  const now = new Date().toISOString();
  const lines = contacts.map(
    (c, i) =>
      `${copyText(`cmin${i.toString(36)}`)}\t${copyText(tenantId)}\t${copyText(c.firstName)}\t${copyText(c.lastName)}\t${copyText(c.email)}\t${copyText(c.phone)}\t${copyText(c.company)}\t` +
      `${copyTextArray(c.tags)}\t${copyText(c.source)}\t${copyText(JSON.stringify({ plan: c.plan, seats: c.seats }))}\t${now}\t${now}`,
  );
  const started = performance.now();
  const before = cpuSeconds().children;
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let start = (next += batchSize) - batchSize; start < lines.length; start = (next += batchSize) - batchSize) {
        await db.$transaction((tx) => copyLines(tx, '"Contact"', columns, lines.slice(start, start + batchSize)));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rowsPerSecond: contacts.length / seconds, postgresUsPerRow: ((cpuSeconds().children - before) / contacts.length) * 1e6 };
}
