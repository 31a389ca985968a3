// The contact list at a million contacts: one page of a filter in (sort, id) order,
// keyset-paged, in raw SQL so that the plan is chosen here rather than left to the
// planner's guess of how many rows match. Tenant scoping is explicit ("userId" = the
// tenant) in every statement, since raw SQL bypasses the tenant-scoped client.
//
// A filtered page can be read two ways:
// - walk: follow the tenant's (userId, sort, id) index in order and test each row,
//   stopping at a full page. Cheap when matches are common (a one-letter search, a tag
//   half the contacts carry), ruinous when they are rare (it reads the whole tenant).
// - bitmap: collect every match through the trigram / tag indexes, then sort. Cheap when
//   matches are rare, ruinous when they are common (sorting 100,000 rows for 50).
// PostgreSQL picks by its estimates, and at a million contacts it picks the walk for
// searches matching a few hundred of them (measured: 40-100 ms instead of 3-5 ms). So
// the list walks a bounded number of rows first, which settles common filters at once
// and measures how common the matches are; then it keeps walking or switches to the
// bitmap, whichever that measure says reads fewer rows.
//
// Search is by prefix (see filter.ts). When prefixes find next to nothing (fewer than
// ten contacts), the first page is filled up with fuzzy matches: names and companies a
// typo away from each word ("Jonh" finds John, "Smiht" Smith), ranked best first.
import { page, tenantSql, type TenantDb, type TenantTx } from '@soshogle/core';
import { Prisma, type Contact } from '@soshogle/db';
import { andSql, encodeCursor, filterConditions, filterSql, sqlTimestamp, type QueryFilter, type SortField } from './filter.ts';

export interface ListRequest {
  filter: QueryFilter;
  sort: SortField;
  order: 'asc' | 'desc';
  /** The last row of the previous page (a decoded cursor). */
  after: Key | null;
  limit: number;
}

export interface ContactPage {
  items: Contact[];
  nextCursor: string | null;
}

type Key = { value: Date | string; id: string };

/** How one list is read: conditions bounding the walk (ranges on the sort column) and conditions tested per row. */
interface Plan {
  sort: SortField;
  order: 'asc' | 'desc';
  bounds: Prisma.Sql[];
  /** Conditions tested per row: as the bitmap collects them (through indexes), and as the walk tests them (row by row). */
  tests: Prisma.Sql[];
  rowTests: Prisma.Sql[];
  /** Whether the tests can be collected through an index (else the bitmap would be a scan of the table). */
  indexed: boolean;
  /**
   * The share of the tenant's rows whose index entries the bitmap reads, when far more
   * than the matches (two words of a search, "Mary Johnson": the index reads every Mary
   * and every Johnson to find the few Mary Johnsons).
   */
  indexShare?: number;
  /** The share of the tenant's rows expected to match, when it can be told beforehand (from the common names). */
  expectedShare?: number;
}

function planOf(filter: QueryFilter, sort: SortField, order: 'asc' | 'desc'): Plan {
  const conditions = filterConditions(filter);
  const bound = (c: (typeof conditions)[number]) => c.kind === 'range' && c.column === sort;
  const tests = conditions.filter((c) => !bound(c));
  return {
    sort,
    order,
    bounds: conditions.filter(bound).map((c) => c.sql),
    tests: tests.map((c) => c.sql),
    rowTests: tests.map((c) => c.rowSql ?? c.sql),
    // The search, tags any/all and date ranges have indexes; tagsNone, source and custom fields do not.
    indexed: tests.some((c) => c.kind === 'q' || c.kind === 'range') || Boolean(filter.tagsAny?.length || filter.tagsAll?.length),
  };
}

export async function listContacts(db: TenantDb, tenantId: string, request: ListRequest): Promise<ContactPage> {
  const { sort, order, limit } = request;
  const plan = planOf(request.filter, sort, order);
  const words = request.filter.q?.split(/\s+/) ?? [];
  if (words.length === 2) {
    // "Ada Lov": the bitmap reads every first name starting "ada" and every last name starting "lov".
    const common = await commonNames(db, tenantId);
    const starting = (values: CommonName[], prefix: string) =>
      values.reduce((sum, { value, n }) => (value.toLowerCase().startsWith(prefix.toLowerCase()) ? sum + n : sum), 0) / common.size;
    const [first, last] = [starting(common.firstName, words[0]!), starting(common.lastName, words[1]!)];
    plan.indexShare = first + last;
    plan.expectedShare = first * last;
  }
  const rows = await listRows(db, tenantId, plan, request.after, limit + 1);
  return page(rows, limit, (last) => encodeCursor(last[sort] as Date | string, last.id));
}

/**
 * How many contacts the filter matches, exactly, and `also` (SQL conditions the filter
 * cannot express). A plain count(*) rather than Prisma's (a subquery with OFFSET), so
 * PostgreSQL can count in parallel workers.
 */
export async function countContacts(db: TenantTx, tenantId: string, filter: QueryFilter, also: Prisma.Sql[] = []): Promise<number> {
  const t = tenantSql(tenantId);
  const [row] = await db.$queryRaw<{ count: number }[]>(t`SELECT count(*)::int AS count FROM "Contact" WHERE ${t.owns()} AND ${andSql([filterSql(filter), ...also])}`);
  return row?.count ?? 0;
}

/** Rows walked before deciding, per row wanted. */
const walkPerRow = 20;
/**
 * Reading a match through the bitmap (random heap access, recheck, sort) against walking
 * a row, measured at a million contacts: about 6 when the walk's index order follows the
 * table's physical order (createdAt: new contacts are appended, so the walk reads pages
 * in sequence), about 1 when it does not (firstName: every row walked is a random read).
 * Interpolated by the square of the column's correlation, as PostgreSQL's own index costs are.
 */
const bitmapCost = (correlation: number) => 1 + 5 * correlation * correlation;
/** Reading one entry of an index (a trigram posting list) for the bitmap, against walking a row. */
const indexEntryCost = 0.5;

/** Up to `want` rows of the plan after `after`, in list order. */
async function listRows(db: TenantDb, tenantId: string, plan: Plan, from: Key | null, want: number): Promise<Contact[]> {
  const col = Prisma.raw(`"${plan.sort}"`);
  const dir = Prisma.raw(plan.order === 'asc' ? 'ASC' : 'DESC');
  const orderBy = Prisma.sql`ORDER BY ${col} ${dir}, id ${dir}`;
  const test = andSql(plan.tests);
  const rowTest = andSql(plan.rowTests);
  /** The tenant's rows after `after` in list order: the index range the walk follows. */
  const keyValue = (key: Key) => (key.value instanceof Date ? sqlTimestamp(key.value) : Prisma.sql`${key.value}`);
  const t = tenantSql(tenantId);
  const scope = (after: Key | null) => {
    const parts = [...plan.bounds];
    if (after) parts.push(Prisma.sql`(${col}, id) ${Prisma.raw(plan.order === 'asc' ? '>' : '<')} (${keyValue(after)}, ${after.id})`);
    return t`${t.owns()} AND ${andSql(parts)}`;
  };

  if (!plan.tests.length) return db.$queryRaw<Contact[]>(t`SELECT * FROM "Contact" WHERE ${scope(from)} ${orderBy} LIMIT ${want}`);

  /** Every match after `after` through the indexes, sorted (a MATERIALIZED CTE: PostgreSQL cannot turn it back into a walk). */
  const bitmap = (after: Key | null, limit: number) => db.$queryRaw<Contact[]>(t`
    WITH m AS MATERIALIZED (SELECT * FROM "Contact" WHERE ${scope(after)} AND ${test})
    SELECT * FROM m ${orderBy} LIMIT ${limit}`);
  /** Whether collecting the matches through the indexes reads less than walking to `needed` of them at `share`. */
  const bitmapWins = async (share: number, needed: number) => {
    if (!plan.indexed) return false;
    const stats = await tenantStats(db, tenantId, plan.sort);
    const walkRows = share > 0 ? needed / share : Infinity;
    return walkRows > (bitmapCost(stats.correlation) * share + indexEntryCost * (plan.indexShare ?? 0)) * stats.rows;
  };
  // Matches known to be rare beforehand (the same part of 5 in 10,000 would not show in a
  // first walk anyway): straight to the indexes.
  if (plan.expectedShare !== undefined && (await bitmapWins(plan.expectedShare, want))) return bitmap(from, want);

  const found: Contact[] = [];
  let after = from;
  let bound = walkPerRow * want;
  let walked = 0;
  for (;;) {
    // Walk at most `bound` rows in index order (the subquery's LIMIT keeps PostgreSQL from
    // planning anything else), keeping those that match; and, from the index alone, the key
    // of the bound-th row, where the walk stops (none: it reaches the end). One row with
    // only that key when nothing matched.
    const rows = await db.$queryRaw<(Contact & { _endValue: Date | string | null; _endId: string | null })[]>(t`
      SELECT h.*, e.value AS "_endValue", e.id AS "_endId" FROM (SELECT 1) AS one
      LEFT JOIN (SELECT ${col} AS value, id FROM "Contact" WHERE ${scope(after)} ${orderBy} OFFSET ${bound - 1} LIMIT 1) e ON true
      LEFT JOIN (
        SELECT w.* FROM (SELECT * FROM "Contact" WHERE ${scope(after)} ${orderBy} LIMIT ${bound}) w
        WHERE ${rowTest} ${orderBy} LIMIT ${want - found.length}
      ) h ON true
      ${orderBy}`);
    for (const { _endValue: _v, _endId: _i, ...contact } of rows) if (contact.id !== null) found.push(contact);
    if (found.length >= want) return found;
    const end: Key | null = rows[0]?._endId ? { value: rows[0]._endValue!, id: rows[0]._endId } : null;
    if (!end) return found;
    walked += bound;
    after = end;
    const needed = want - found.length;
    const share = found.length / walked;
    if (await bitmapWins(share, needed)) return [...found, ...(await bitmap(after, needed))];
    // Walk on, far enough to finish the page at the share seen so far (with some margin).
    bound = Math.min(Math.max(bound * 2, Math.ceil((1.5 * needed) / share)), 1_000_000);
  }
}

const statistics = new Map<string, { rows: number; correlation: number; at: number }>();

/**
 * From the planner's statistics: about how many contacts the tenant has (the share of the
 * table its userId has, times the table's rows; the whole table when the tenant is not
 * among the most common values), and how closely the table's physical order follows
 * `sort`. Cached for a minute.
 */
async function tenantStats(db: TenantDb, tenantId: string, sort: SortField): Promise<{ rows: number; correlation: number }> {
  const key = `${tenantId}:${sort}`;
  const cached = statistics.get(key);
  if (cached && Date.now() - cached.at < 60_000) return cached;
  const [row] = await db.$queryRaw<{ rows: number; correlation: number }[]>`
    SELECT (GREATEST(c.reltuples, 0) * COALESCE((
      SELECT m.freq FROM pg_stats s, unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS m(value, freq)
      WHERE s.schemaname = current_schema() AND s.tablename = 'Contact' AND s.attname = 'userId' AND m.value = ${tenantId}
    ), 1))::float8 AS rows,
    COALESCE((SELECT s.correlation FROM pg_stats s WHERE s.schemaname = current_schema() AND s.tablename = 'Contact' AND s.attname = ${sort}), 0)::float8 AS correlation
    FROM pg_class c WHERE c.oid = '"Contact"'::regclass`;
  const stats = { rows: row?.rows ?? 0, correlation: row?.correlation ?? 0, at: Date.now() };
  if (statistics.size > 10_000) statistics.clear();
  statistics.set(key, stats);
  return stats;
}

// ---- Fuzzy matches -------------------------------------------------------------------

/** Prefix matches below which the first page gets fuzzy matches. */
export const fuzzyBelow = 10;

/**
 * Words of a search worth matching fuzzily: four letters or more, three words at most;
 * none when the search looks like an email or a phone number (digits, @, ., _).
 */
export function fuzzyWords(q: string): string[] {
  if (/[\d@._]/.test(q)) return [];
  return [...new Set(q.toLowerCase().split(/[^\p{L}]+/u).filter((w) => w.length >= 4))].slice(0, 3);
}

/**
 * Optimal string alignment distance: edits, with a swap of two neighbours counting as one.
 * Stops early with a number above `max` once the distance must exceed it.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let twoBack = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, twoBack[j - 2]! + 1);
      row.push(d);
      least = Math.min(least, d);
    }
    if (least > max) return max + 1;
    twoBack = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * How far a typed word is from the nearest word of a contact: the edits to that whole
 * word (a hundredth more per letter of difference in length, so "jonh" is nearer John
 * than Jon), or half an edit more to its beginning (a word typed in part).
 */
export function wordDistance(word: string, tokens: string[], max = Infinity, beginnings = true): number {
  let best = Infinity;
  for (const token of tokens) {
    best = Math.min(best, editDistance(word, token, max) + Math.abs(token.length - word.length) * 0.01);
    if (beginnings && token.length > word.length) best = Math.min(best, editDistance(word, token.slice(0, word.length), max) + 0.5);
  }
  return best;
}

/** Edits allowed between a typed word and a name: one, two from seven letters on. */
const allowedEdits = (word: string) => (word.length >= 7 ? 2 : 1);

const wordsOf = (value: string | null) => (value ? value.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean) : []);

/**
 * Contacts with, for every word of the search, a first name, last name or company word
 * a typo or two from it ("Jonh" finds John, "Mragaret" Margaret), best first, then in
 * list order; leaving out `exclude` (the prefix matches already on the page).
 *
 * The same name is on thousands of contacts, so matching typos row by row is slow
 * (trigram similarity over a million rows: 50-250 ms). Instead the typed words are first
 * corrected against the names common among the tenant's contacts (those of its newest
 * 3,000), and the list is read like any other with "firstName = any(corrections)" and so
 * on, through the same walk or index (names the word is a typo of: John and Jon for
 * "jonh"; else names whose beginning it is a typo of: Jonathan for "jnoat"). A word no
 * common name is close to is matched by pg_trgm's word similarity over the trigram index
 * (at most 500 candidates).
 */
export async function fuzzyContacts(db: TenantDb, tenantId: string, request: ListRequest, exclude: Set<string>): Promise<Contact[]> {
  const words = request.filter.q ? fuzzyWords(request.filter.q) : [];
  const want = request.limit - exclude.size;
  if (!words.length || want <= 0) return [];
  const base = planOf({ ...request.filter, q: undefined }, request.sort, request.order);
  const common = await commonNames(db, tenantId);
  // Per word: the common names it is a typo of (whole words), else those whose beginning
  // it is a typo of (a word typed in part), else none (matched by trigram similarity).
  const corrections = words.map((w) => {
    for (const beginnings of [false, true]) {
      let share = 0;
      const close = (values: CommonName[]) =>
        values.flatMap(({ value, n, tokens }) => (wordDistance(w, tokens, allowedEdits(w), beginnings) <= allowedEdits(w) + 0.5 ? ((share += n / common.size), [value]) : []));
      const found = { w, first: close(common.firstName), last: close(common.lastName), company: close(common.company), share };
      if (found.first.length || found.last.length || found.company.length) return found;
    }
    return { w, first: [], last: [], company: [], share: 0 };
  });
  const uncorrected = corrections.filter((c) => !c.share);
  /** Each word's corrections as (column, names) pairs. */
  type Option = [column: string, names: string[]];
  const options = corrections.map((c) =>
    (
      [
        ['"firstName"', c.first],
        ['"lastName"', c.last],
        ['company', c.company],
      ] as Option[]
    ).filter(([, names]) => names.length),
  );
  const equals = ([column, names]: Option) => Prisma.sql`${Prisma.raw(column)} = ANY(${names}::text[])`;
  const clauses = corrections.map((c, i) =>
    c.share ? Prisma.sql`(${Prisma.join(options[i]!.map(equals), ' OR ')})` : Prisma.sql`(${c.w} <% "firstName" OR ${c.w} <% "lastName" OR ${c.w} <% company)`,
  );
  let candidates: Contact[];
  if (!uncorrected.length) {
    // For the index, the same condition as an OR of ANDs ("firstName" = any(Thomas) AND
    // "lastName" = any(Davis) OR ...): each AND is one scan of the multi-column trigram
    // index, which intersects inside the index instead of reading every Davis.
    // Two words on the same column need a name both lists have; combinations with none go.
    const combinations = options
      .reduce<Option[][]>((acc, opts) => acc.flatMap((combo) => opts.map((o) => [...combo, o])), [[]])
      .map((combo) => {
        const byColumn = new Map<string, string[]>();
        for (const [column, names] of combo) byColumn.set(column, byColumn.has(column) ? names.filter((n) => byColumn.get(column)!.includes(n)) : names);
        return [...byColumn];
      })
      .filter((combo) => combo.every(([, names]) => names.length));
    if (!combinations.length) return [];
    const indexed = Prisma.sql`(${Prisma.join(
      combinations.map((combo) => Prisma.sql`(${Prisma.join(combo.map(equals), ' AND ')})`),
      ' OR ',
    )})`;
    const plan: Plan = {
      ...base,
      tests: [indexed, ...base.tests],
      rowTests: [...clauses, ...base.rowTests],
      indexed: true,
      indexShare: corrections.reduce((sum, c) => sum + c.share, 0),
      expectedShare: corrections.reduce((product, c) => product * c.share, 1),
    };
    candidates = await listRows(db, tenantId, plan, null, want + exclude.size);
  } else {
    // A threshold low enough for one typo in a four-letter word ("jonh" shares 2 of its 5
    // trigrams with "john"); through the trigram index, never a scan of the tenant.
    const t = tenantSql(tenantId);
    const [, rows] = await db.$transaction([
      db.$queryRaw`SELECT set_config('pg_trgm.word_similarity_threshold', '0.39', true), set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`,
      db.$queryRaw<Contact[]>(t`SELECT * FROM "Contact" WHERE ${t.owns()} AND ${andSql([...clauses, ...base.tests])} LIMIT 500`),
    ]);
    const sign = request.order === 'asc' ? 1 : -1;
    const key = (c: Contact) => c[request.sort] as Date | string;
    candidates = rows.sort((a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1));
  }
  const limit = words.reduce((sum, w) => sum + allowedEdits(w) + 0.5, 0);
  return candidates
    .filter((c) => !exclude.has(c.id))
    .map((c, position) => {
      const tokens = [c.firstName, c.lastName, c.company].flatMap(wordsOf);
      return { c, position, score: words.reduce((sum, w) => sum + wordDistance(w, tokens, allowedEdits(w)), 0) };
    })
    .filter((r) => r.score <= limit)
    .sort((a, b) => a.score - b.score || a.position - b.position)
    .slice(0, want)
    .map((r) => r.c);
}

const dictionaries = new Map<string, { at: number; names: CommonNames }>();
/** A value of the newest contacts: how many of them carry it, and its words in lower case. */
type CommonName = { value: string; n: number; tokens: string[] };
/** `size`: how many contacts the values were read from. */
type CommonNames = { firstName: CommonName[]; lastName: CommonName[]; company: CommonName[]; size: number };
const sampled = 3000;

/** The first names, last names and companies of the tenant's newest 3,000 contacts (the common ones), counted; cached for a minute. */
async function commonNames(db: TenantDb, tenantId: string): Promise<CommonNames> {
  const cached = dictionaries.get(tenantId);
  if (cached && Date.now() - cached.at < 60_000) return cached.names;
  const t = tenantSql(tenantId);
  const rows = await db.$queryRaw<{ col: 'firstName' | 'lastName' | 'company'; value: string; n: number }[]>(t`
    WITH s AS (SELECT "firstName", "lastName", company FROM "Contact" WHERE ${t.owns()} ORDER BY "createdAt" DESC, id DESC LIMIT ${sampled})
    SELECT 'firstName' AS col, "firstName" AS value, count(*)::int AS n FROM s GROUP BY 2
    UNION ALL SELECT 'lastName', "lastName", count(*)::int FROM s WHERE "lastName" IS NOT NULL GROUP BY 2
    UNION ALL SELECT 'company', company, count(*)::int FROM s WHERE company IS NOT NULL GROUP BY 2`);
  const names: CommonNames = { firstName: [], lastName: [], company: [], size: 0 };
  for (const { col, value, n } of rows) {
    names[col].push({ value, n, tokens: wordsOf(value) });
    if (col === 'firstName') names.size += n; // every contact has a first name
  }
  names.size ||= 1;
  if (dictionaries.size > 10_000) dictionaries.clear();
  dictionaries.set(tenantId, { at: Date.now(), names });
  return names;
}
