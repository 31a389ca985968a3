// Contacts for the UI benchmark, written the way the CRM benchmark writes them
// (plugins/crm/bench/seed.ts): multi-row INSERTs of 5,000 rows passed as arrays, two at a
// time, so a million contacts take about a minute. Names come from lists with a skew (a
// few common names, a long tail), emails and E.164 phones from them, 0-4 tags, a company
// on about half, spread over three years.
import type { PrismaClient } from '@soshogle/db';

const insertSql = `
  insert into "Contact" (id, "userId", "firstName", "lastName", email, phone, company, tags, source, "customFields", "createdAt", "updatedAt")
  select u.id, $1, u.f, u.l, u.e, u.p, u.c, string_to_array(u.t, '|'), u.s, '{}'::jsonb,
         'epoch'::timestamp + u.ca::bigint * interval '1 millisecond', 'epoch'::timestamp + u.ca::bigint * interval '1 millisecond'
  from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
    as u(id, f, l, e, p, c, t, s, ca)`;

const firstNames = (
  'James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas Sarah ' +
  'Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily ' +
  'Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa Timothy Deborah Ronald Stephanie Edward ' +
  'Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Angela Eric Shirley Jonathan Anna Stephen ' +
  'Ada Grace Alan Yuki Hiroshi Mei Wei Priya Arjun Fatima Omar Aisha Sofia Mateo Lucia Santiago Chloe Lucas Zoe Leo Ines Hugo ' +
  'Lea Jonas Mila Finn Nora Elias Freya Oskar Astrid Lars Ingrid Sven Zara Kai Yara Zeynep Emre'
).split(' ');
const lastNames = (
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas ' +
  'Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King ' +
  'Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez Phillips ' +
  'Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper ' +
  'Lovelace Hopper Turing Okafor Haddad Kowalski Novak Yilmaz Tanaka Suzuki Chen Wang Singh Kumar Rossi Bianchi Dubois Moreau'
).split(' ');
const companies = 'Acme Dental|Northwind Clinic|Blue Solar|Sterling Bakery|Contoso Dental|Ridge Foods|Tyrell Systems|Oscorp Logistics|Acme Media|Umbrella Health'.split('|');
const domains = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'fastmail.com'];
const tags = ['customer', 'lead', 'prospect', 'vip', 'newsletter', 'trial', 'churned', 'partner', 'referral', 'follow-up', 'ebook', 'webinar'];
const sources = ['manual', 'import', 'website', 'lead_conversion'];

/** A small seeded PRNG (mulberry32): the same seed gives the same contacts on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeededContact {
  firstName: string;
  lastName: string | null;
  email: string | null;
  phone: string | null;
}

/** Writes `count` contacts for the tenant; returns every `sampleEvery`-th one, for the bench's searches. */
export async function seedContacts(
  db: PrismaClient,
  options: { tenantId: string; count: number; seed: number; idPrefix: string; sampleEvery: number; onProgress?: (done: number) => void },
): Promise<SeededContact[]> {
  const { tenantId, count, idPrefix, sampleEvery } = options;
  const random = prng(options.seed);
  // Skewed picks: the first entries of a list are far more common than the last.
  const skewed = <T>(list: readonly T[]) => list[Math.floor(list.length * random() * random())]!;
  const until = Date.UTC(2026, 10, 20);
  const span = 3 * 365 * 86_400_000;
  const sample: SeededContact[] = [];
  const batch = 5000;
  let next = 0;
  let done = 0;
  const take = () => {
    if (next >= count) return null;
    const start = next;
    const n = Math.min(batch, count - start);
    next += n;
    const cols: string[][] = Array.from({ length: 9 }, () => []);
    for (let i = start; i < start + n; i++) {
      const first = skewed(firstNames);
      const last = random() < 0.95 ? skewed(lastNames) : null;
      const email = random() < 0.9 ? `${first}.${last ?? 'x'}${Math.floor(random() * 10000)}@${skewed(domains)}`.toLowerCase() : null;
      const phone = random() < 0.7 ? `+1${200 + Math.floor(random() * 700)}555${String(Math.floor(random() * 10000)).padStart(4, '0')}` : null;
      const contactTags = tags.filter(() => random() < 0.12);
      // Rows in creation order, as a table that has been in use (the newest were written last).
      const createdAt = until - span + Math.floor((span * i) / count);
      const row = [`${idPrefix}${i.toString(36).padStart(6, '0')}`, first, last, email, phone, random() < 0.5 ? skewed(companies) : null, contactTags.join('|'), skewed(sources), String(createdAt)];
      row.forEach((v, c) => cols[c]!.push(v as string));
      if (i % sampleEvery === 0) sample.push({ firstName: first, lastName: last, email, phone });
    }
    return cols;
  };
  const worker = async () => {
    for (let cols = take(); cols; cols = take()) {
      await db.$executeRawUnsafe(insertSql, tenantId, ...cols);
      done += cols[0]!.length;
      options.onProgress?.(done);
    }
  };
  await Promise.all([worker(), worker()]);
  return sample;
}
