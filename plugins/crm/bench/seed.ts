// Seeding for the CRM benchmark: contacts written straight into the table with
// multi-row INSERTs (one statement per 5,000 rows, the rows passed as arrays), not one
// ORM create per row, so a million contacts take seconds rather than hours.
import type { PrismaClient } from '@soshogle/db';
import { contactGenerator, type GeneratedContact } from './data.ts';

// What other benchmarks (the UI's) seed with: `@soshogle/plugin-crm/bench`.
export { prng } from './data.ts';

const insertSql = `
  insert into "Contact" (id, "userId", "firstName", "lastName", email, phone, company, tags, source, "customFields", "createdAt", "updatedAt")
  select u.id, $1, u.f, u.l, u.e, u.p, u.c, string_to_array(u.t, '|'), u.s, u.cf::jsonb,
         'epoch'::timestamp + u.ca::bigint * interval '1 millisecond', 'epoch'::timestamp + u.ua::bigint * interval '1 millisecond'
  from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
    as u(id, f, l, e, p, c, t, s, cf, ca, ua)`;

const day = 86_400_000;
/** Contacts are created over the three years before this instant (fixed, so runs compare). */
export const seededUntil = Date.UTC(2026, 10, 20);
export const seededSpan = { from: seededUntil - 3 * 365 * day, to: seededUntil };

export interface SeedOptions {
  tenantId: string;
  count: number;
  seed: number;
  /** Prefix of the generated ids, unique per tenant. */
  idPrefix: string;
  batch?: number;
  /** Concurrent INSERT statements. */
  parallel?: number;
  /** Keep every n-th contact written (default 50), with its id, for the bench to query by. */
  sampleEvery?: number;
  onProgress?: (done: number) => void;
}

export interface SeededContact extends GeneratedContact {
  id: string;
}

/** Writes `count` generated contacts for the tenant; returns a sample of them (the bench picks its queries from it). */
export async function seedContacts(db: PrismaClient, options: SeedOptions): Promise<SeededContact[]> {
  const { tenantId, count, seed, idPrefix, batch = 5000, parallel = 2, sampleEvery = 50 } = options;
  const next = contactGenerator(seed, seededSpan, count);
  const idOf = (i: number) => `${idPrefix}${i.toString(36).padStart(6, '0')}`;
  const sample: SeededContact[] = [];
  let done = 0;
  let nextStart = 0;
  // Rows are generated in order (the PRNG is sequential); statements run `parallel` at a time.
  const take = (): { start: number; rows: GeneratedContact[] } | null => {
    if (nextStart >= count) return null;
    const start = nextStart;
    const rows: GeneratedContact[] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const contact = next(i);
      rows.push(contact);
      if (i % sampleEvery === 0) sample.push({ ...contact, id: idOf(i) });
    }
    nextStart += rows.length;
    return { start, rows };
  };
  const worker = async () => {
    for (let chunk = take(); chunk; chunk = take()) {
      const { start, rows } = chunk;
      const col = <T>(f: (c: GeneratedContact, i: number) => T) => rows.map(f);
      await db.$executeRawUnsafe(
        insertSql,
        tenantId,
        col((_, i) => idOf(start + i)),
        col((c) => c.firstName),
        col((c) => c.lastName),
        col((c) => c.email),
        col((c) => c.phone),
        col((c) => c.company),
        col((c) => c.tags.join('|')),
        col((c) => c.source),
        col((c) => JSON.stringify({ plan: c.plan, seats: c.seats })),
        col((c) => String(c.createdAt)),
        col((c) => String(c.updatedAt)),
      );
      done += rows.length;
      options.onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return sample;
}
