// The contact import: a stored CSV file read in batches of rows. Each row is checked like
// a contact written through the API (contactFields, custom field definitions), matched
// against the tenant's contacts and the file's earlier rows by email then phone, and
// created, merged or skipped. A batch, its per-row errors and the job's progress commit
// in one transaction, so a retried job resumes after the last committed batch and never
// imports a row twice.
//
// Speed (the target is 20,000 rows/s on two cores): one lookup query per batch for the
// duplicates; the batch's new and updated contacts go to PostgreSQL by COPY into temporary
// staging tables on the transaction's own connection (copy.ts), then one INSERT ... SELECT
// and one UPDATE ... FROM write them, so no large parameter goes through Prisma; two
// batches write at once (see writeBatch) while the next is read and checked. The raw
// statements name the tenant with tenantSql; everything else goes through the scoped client.
import { randomUUID } from 'node:crypto';
import { tenantSql, type EventPayloadInput, type Events, type EventType, type FieldError, type TenantDb, type TenantTx } from '@soshogle/core';
import { Prisma, type Contact } from '@soshogle/db';
import { z } from 'zod';
import type { CrmConfig } from '../config.ts';
import { checkCustomFields, contactCellsChecker, contactFields, tagName, type ContactCells, type ContactFields } from '../contacts/fields.ts';
import { customFieldDefinitions, ensureTags } from '../contacts/service.ts';
import { tagSpeller, uniqueTags } from '../tags/spelling.ts';
import { copyLines, driverRows, stagedColumns, stagedLine, stagingTableSql } from './copy.ts';
import { csvRecords, fileProblem, unescapeFormula } from './csv.ts';

/** The contact fields a column can fill; custom fields are "customFields.<key>". */
export const importableFields = ['firstName', 'lastName', 'email', 'phone', 'company', 'tags', 'source'] as const;

/** What starting an import asks for; kept as the job's params. */
export const importRequest = z.object({
  uploadId: z.string().min(1).max(64),
  /** CSV header -> contact field; null (or a header left out): the column is not imported. */
  mapping: z.record(z.string().max(500), z.string().max(200).nullable()),
  /** What a row does whose email (else phone) matches a contact or an earlier row of the file. */
  duplicates: z.enum(['skip', 'update', 'create']).default('skip'),
  /** Whether the import raises contact_created and friends, and so starts workflows. */
  triggerWorkflows: z.boolean().default(false),
  /** Added to every imported contact. */
  tags: z.array(tagName).max(20).default([]),
});
export type ImportRequest = z.output<typeof importRequest>;

/** CrmJob.result of an import, written with every batch. */
const importProgress = z.object({ created: z.number(), updated: z.number(), skipped: z.number(), lastRow: z.number() });
type ImportProgress = z.output<typeof importProgress>;

type Definitions = Awaited<ReturnType<typeof customFieldDefinitions>>;

/** The mapping's problems for this file, each on body.mapping.<header>. */
export function mappingProblems(mapping: Record<string, string | null>, headers: string[], definitions: Pick<Definitions[number], 'key'>[]): FieldError[] {
  const keys = new Set(definitions.map((d) => `customFields.${d.key}`));
  const fields = new Set<string>(importableFields);
  const mappedFrom = new Map<string, string>();
  const problems: FieldError[] = [];
  for (const [header, field] of Object.entries(mapping)) {
    const at = `body.mapping.${header}`;
    if (!headers.includes(header)) problems.push({ field: at, message: 'The file has no such column' });
    else if (field === null) continue;
    else if (field.startsWith('customFields.') && !keys.has(field)) problems.push({ field: at, message: `No custom field "${field.slice(13)}"; define it first` });
    else if (!field.startsWith('customFields.') && !fields.has(field)) problems.push({ field: at, message: `Unknown field "${field}"; expected one of ${importableFields.join(', ')} or customFields.<key>` });
    else if (mappedFrom.has(field)) problems.push({ field: at, message: `${field} is already mapped from the column "${mappedFrom.get(field)}"` });
    else mappedFrom.set(field, header);
  }
  if (!problems.length && !mappedFrom.has('firstName')) problems.push({ field: 'body.mapping', message: 'Map a column to firstName: every contact needs one' });
  return problems;
}

// ---- Reading rows ----

interface ImportRow {
  row: number;
  contact: ContactFields;
}
interface RowError {
  /** The data row, 1 for the first row after the header. */
  item: number;
  /** The CSV header of the failing cell, or the field when no column holds it; null for the whole row. */
  field: string | null;
  message: string;
}

/** A checker of one record: the contact it holds, or what is wrong with it. */
function rowReader(headers: string[], request: ImportRequest, country: string, definitions: Definitions) {
  const schema = contactFields(country);
  const quick = contactCellsChecker(country);
  const columns = headers.flatMap((header, index) => {
    // hasOwn: a column named "constructor" must not find Object.prototype's.
    const field = Object.hasOwn(request.mapping, header) ? request.mapping[header] : null;
    return field ? [{ header, index, field, customKey: field.startsWith('customFields.') ? field.slice(13) : null }] : [];
  });
  const headerOf = new Map(columns.map((c) => [c.field, c.header]));
  // Required custom fields are checked once the row is matched: an update may already have them.
  const optional = definitions.map((d) => ({ ...d, required: false }));
  const at = (field: string) => headerOf.get(field) ?? field;
  const hasCustomColumns = columns.some((c) => c.field.startsWith('customFields.'));
  return (record: string[], row: number): ImportRow | RowError[] => {
    // Trailing empty cells some tools add are harmless; a missing or extra value is not.
    if (record.length !== headers.length && !(record.length > headers.length && record.slice(headers.length).every((c) => !c.trim()))) {
      return [{ item: row, field: null, message: `The row has ${record.length} cells where the header row has ${headers.length}` }];
    }
    const tags = [...request.tags];
    const customFields: Record<string, string> = {};
    const cells: ContactCells = { tags, customFields };
    for (const { index, field, customKey } of columns) {
      // Postgres text cannot hold NUL characters; nobody means them.
      const cell = unescapeFormula(record[index]!.replaceAll('\0', ''));
      if (field === 'tags') {
        for (const tag of cell.split(/[;,]/)) if (tag.trim()) tags.push(tag);
      } else if (customKey) {
        if (cell.trim()) customFields[customKey] = cell;
      } else cells[field as Exclude<keyof ContactCells, 'tags' | 'customFields'>] = cell;
    }
    // Most rows are plain values the quick check takes; the schema has the messages for the rest.
    let contact = quick(cells);
    if (!contact) {
      const parsed = schema.safeParse(cells);
      if (!parsed.success) return oneErrorPerField(parsed.error.issues.map((issue) => ({ item: row, field: at(String(issue.path[0])), message: messageOf(issue) })));
      contact = parsed.data;
    }
    if (hasCustomColumns) {
      const custom = checkCustomFields(contact.customFields, optional);
      if (custom.problems.length) return custom.problems.map((p) => ({ item: row, field: at(p.field), message: p.message }));
      contact.customFields = custom.values;
    }
    return { row, contact };
  };
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.path[0] === 'firstName' && issue.code === 'too_small') return 'A first name is required';
  // Email and phone are "empty, or valid": say what the check of a valid one said.
  if (issue.code === 'invalid_union') return issue.errors.at(-1)?.[0]?.message ?? issue.message;
  return issue.message;
}

/** The error report keeps one error per row and field (the first). */
function oneErrorPerField(errors: RowError[]): RowError[] {
  return errors.filter((e, i) => errors.findIndex((o) => o.field === e.field) === i);
}

// ---- Matching and writing a batch ----

/** A contact as the import writes it. */
type Draft = Pick<Contact, 'id' | 'firstName' | 'lastName' | 'email' | 'phone' | 'company' | 'tags' | 'source'> & { customFields: Record<string, unknown> };

/** A contact rows of a batch land on: one the batch creates, or one that exists (committed, or written by a batch still committing). */
interface Target {
  draft: Draft;
  createdHere: boolean;
}

const plainFields = ['firstName', 'lastName', 'email', 'phone', 'company', 'source'] as const;

// Ids shaped like Prisma's cuid() (raw INSERTs get no default id): c, the time, a counter,
// and a random tag of this process, so two processes never make the same id.
const processTag = randomUUID().replaceAll('-', '').slice(0, 12);
let sequence = 0;
function newContactId(): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `c${Date.now().toString(36).padStart(8, '0')}${sequence.toString(36).padStart(4, '0')}${processTag}`;
}

function newDraft(contact: ContactFields): Draft {
  return {
    id: newContactId(),
    firstName: contact.firstName,
    lastName: contact.lastName ?? null,
    email: contact.email ?? null,
    phone: contact.phone ?? null,
    company: contact.company ?? null,
    tags: contact.tags,
    source: contact.source ?? 'import',
    customFields: contact.customFields,
  };
}

/** An update: the row's non-empty cells win, tags are the union (in any case, the contact's spelling kept), custom fields merge. */
function merged(draft: Draft, contact: ContactFields): Draft {
  const next: Draft = { ...draft, tags: uniqueTags([...draft.tags, ...contact.tags]), customFields: { ...draft.customFields, ...contact.customFields } };
  for (const field of plainFields) {
    const value = contact[field];
    if (value !== null && value !== undefined) next[field] = value;
  }
  return next;
}

function changesOf(before: Draft, after: Draft): { changed: string[]; tagsAdded: string[] } {
  const changed: string[] = plainFields.filter((f) => before[f] !== after[f]);
  for (const key of new Set([...Object.keys(before.customFields), ...Object.keys(after.customFields)])) {
    if (JSON.stringify(before.customFields[key]) !== JSON.stringify(after.customFields[key])) changed.push(`customFields.${key}`);
  }
  return { changed, tagsAdded: after.tags.filter((t) => !before.tags.includes(t)) };
}

const draftColumns = Prisma.sql`id, "firstName", "lastName", email, phone, company, tags, source, "customFields"`;
type DraftRow = Draft & { customFields: Record<string, unknown> | null };
const draftOf = (r: DraftRow): Draft => ({ ...r, customFields: r.customFields ?? {} });

/** The tenant's contacts with these emails or phones, oldest first. */
async function contactsMatching(db: TenantDb, tenantId: string, emails: string[], phones: string[]): Promise<Draft[]> {
  if (!emails.length && !phones.length) return [];
  const t = tenantSql(tenantId);
  // The keys sit in scalar subqueries so the planner cannot see them: shown thousands of
  // them, it spent ~45 ms estimating each one's selectivity and then chose a parallel
  // scan of every contact (at 200,000 contacts: ~250 ms and three processes a batch, where
  // probing the email and phone indexes takes ~20 ms). Exact keys are always few next to
  // the table, so the index probes are always the plan wanted.
  const statement = t`
    select ${draftColumns} from "Contact"
    where ${t.owns()} and (email = any((select ${emails}::text[])::text[]) or phone = any((select ${phones}::text[])::text[]))
    order by "createdAt", id`;
  // A read of its own on the driver: thousands of keys in, hundreds of contacts out, without Prisma's mapping of either.
  const rows = await db.$transaction((tx) => driverRows<DraftRow>(tx, statement));
  return rows.map(draftOf);
}

/** The tenant's contacts with these ids, locked until the transaction ends. */
async function lockContacts(tx: TenantTx, tenantId: string, ids: string[]): Promise<Draft[]> {
  const t = tenantSql(tenantId);
  const rows = await driverRows<DraftRow>(tx, t`
    select ${draftColumns} from "Contact" where ${t.owns()} and id = any(${ids}::text[]) order by id for update`);
  return rows.map(draftOf);
}

// The batch's contacts as the import writes them, staged by COPY in temporary tables of the
// transaction (its own session's: two batches committing at once each have theirs). One
// table for the new contacts and one for the updates: a TRUNCATE to reuse one costs more
// than making another.
async function stageDrafts(tx: TenantTx, table: 'import_created' | 'import_updated', drafts: Draft[]): Promise<Prisma.Sql> {
  await tx.$executeRawUnsafe(stagingTableSql(table));
  await copyLines(tx, table, stagedColumns, drafts.map(stagedLine));
  return Prisma.raw(table);
}

async function insertContacts(tx: TenantTx, tenantId: string, drafts: Draft[], now: string): Promise<void> {
  const staged = await stageDrafts(tx, 'import_created', drafts);
  const t = tenantSql(tenantId);
  await tx.$executeRaw(t`
    insert into "Contact" (id, "userId", "firstName", "lastName", email, phone, company, tags, source, "customFields", "createdAt", "updatedAt")
    select r.id, ${t.id}, r."firstName", r."lastName", r.email, r.phone, r.company, r.tags, r.source, r."customFields", ${now}::timestamp, ${now}::timestamp
    from ${staged} as r`);
}

async function updateContacts(tx: TenantTx, tenantId: string, drafts: Draft[], now: string): Promise<void> {
  const staged = await stageDrafts(tx, 'import_updated', drafts);
  const t = tenantSql(tenantId);
  await tx.$executeRaw(t`
    update "Contact" as c set "firstName" = r."firstName", "lastName" = r."lastName", email = r.email, phone = r.phone, company = r.company,
      tags = r.tags, source = r.source, "customFields" = r."customFields", "updatedAt" = ${now}::timestamp
    from ${staged} as r
    where c.id = r.id and ${t.owns('c')}`);
}

interface Batch {
  rows: ImportRow[];
  errors: RowError[];
  /** Rows refused before matching. */
  failed: number;
  lastRow: number;
}

interface ImportRun {
  jobId: string;
  tenantId: string;
  db: TenantDb;
  events: Events;
  request: ImportRequest;
  required: Definitions;
  /** The CSV header each field is read from, for error reports. */
  at: (field: string) => string;
}

function missingRequired(required: Definitions, values: Record<string, unknown>, row: number, at: (field: string) => string): RowError[] {
  return required
    .filter((d) => values[d.key] === undefined || (Array.isArray(values[d.key]) && !(values[d.key] as unknown[]).length))
    .map((d) => ({ item: row, field: at(`customFields.${d.key}`), message: `${d.label} is required` }));
}

/** What a batch writes, decided before its transaction opens. */
interface Plan {
  created: Draft[];
  /** Existing contacts -> the rows landing on them, in file order; merged into the contact as its transaction finds it. */
  landed: Map<string, ContactFields[]>;
  /** How every contact the batch touches will look: later batches match against this until the batch has committed. */
  expected: Draft[];
  errors: RowError[];
  failed: number;
  counts: { created: number; updated: number; skipped: number };
  /** The job's progress before and after the batch. */
  from: ImportProgress;
  to: ImportProgress;
  committed: boolean;
}

/**
 * Matches a batch's rows against the tenant's contacts and the file's earlier rows by email,
 * then phone. Earlier batches that may not have committed yet (`pending`) take part through
 * their expected contacts, since the database cannot show them to this batch yet.
 */
async function planBatch(run: ImportRun, batch: Batch, pending: Plan[], from: ImportProgress): Promise<Plan> {
  const { request } = run;
  const counts = { created: 0, updated: 0, skipped: 0 };
  const errors = [...batch.errors];
  let failed = batch.failed;
  const created: Target[] = [];
  const existing = new Map<string, Target>();
  const landed = new Map<string, ContactFields[]>();
  const byEmail = new Map<string, Target>();
  const byPhone = new Map<string, Target>();
  const remember = (target: Target) => {
    if (target.draft.email && !byEmail.has(target.draft.email)) byEmail.set(target.draft.email, target);
    if (target.draft.phone && !byPhone.has(target.draft.phone)) byPhone.set(target.draft.phone, target);
  };
  const existingTarget = (draft: Draft) => {
    const target = existing.get(draft.id) ?? { draft, createdHere: false };
    existing.set(draft.id, target);
    remember(target);
  };
  if (request.duplicates !== 'create') {
    const expected = new Map(pending.flatMap((p) => p.expected).map((d) => [d.id, d]));
    const emails = [...new Set(batch.rows.flatMap((r) => (r.contact.email ? [r.contact.email] : [])))];
    const phones = [...new Set(batch.rows.flatMap((r) => (r.contact.phone ? [r.contact.phone] : [])))];
    // A contact an uncommitted batch changes matches as it will be, not as the database still has it.
    for (const found of await contactsMatching(run.db, run.tenantId, emails, phones)) existingTarget(expected.get(found.id) ?? found);
    for (const draft of expected.values()) existingTarget(draft);
  }
  for (const { row, contact } of batch.rows) {
    const target = request.duplicates === 'create' ? undefined : ((contact.email && byEmail.get(contact.email)) || (contact.phone && byPhone.get(contact.phone)) || undefined);
    if (target && request.duplicates === 'skip') {
      counts.skipped++;
      continue;
    }
    const draft = target ? merged(target.draft, contact) : newDraft(contact);
    // As the API does: a new contact needs every required custom field, an update only when it sets custom fields.
    const missing = !target || Object.keys(contact.customFields).length ? missingRequired(run.required, draft.customFields, row, run.at) : [];
    if (missing.length) {
      errors.push(...missing);
      failed++;
      continue;
    }
    if (target) {
      target.draft = draft;
      remember(target);
      if (!target.createdHere) landed.set(draft.id, [...(landed.get(draft.id) ?? []), contact]);
      counts.updated++;
    } else {
      const added = { draft, createdHere: true };
      created.push(added);
      remember(added);
      counts.created++;
    }
  }
  const to = { created: from.created + counts.created, updated: from.updated + counts.updated, skipped: from.skipped + counts.skipped, lastRow: batch.lastRow };
  const expected = [...created, ...[...landed.keys()].map((id) => existing.get(id)!)].map((t) => t.draft);
  return { created: created.map((t) => t.draft), landed, expected, errors, failed, counts, from, to, committed: false };
}

/**
 * Writes a planned batch. Its new contacts are inserted at once, alongside the batch before
 * it still committing (the two cores share the index upkeep); everything that could wait on
 * that batch's rows or locks (the job's progress, the updates, tags, errors, events) comes
 * after `before` has committed, so batches commit in file order and never deadlock.
 */
async function writeBatch(run: ImportRun, tx: TenantTx, plan: Plan, before: Promise<unknown>): Promise<void> {
  const { tenantId } = run;
  const now = new Date().toISOString();
  // Tags in the tenant's spelling, whatever case the file has them in.
  const spell = await tagSpeller(tx, [...plan.created, ...[...plan.landed.values()].flat()].flatMap((c) => c.tags));
  for (const draft of plan.created) draft.tags = spell(draft.tags);
  if (plan.created.length) await insertContacts(tx, tenantId, plan.created, now);
  await before;
  // Compare-and-set on the committed row: a second run of the same job (a stalled worker
  // whose lock expired) cannot commit a batch the first one already did.
  const moved = await tx.crmJob.updateMany({
    where: { id: run.jobId, processed: plan.from.lastRow },
    data: { processed: plan.to.lastRow, succeeded: { increment: plan.counts.created + plan.counts.updated }, failed: { increment: plan.failed }, result: plan.to },
  });
  if (moved.count !== 1) throw new Error(`Import ${run.jobId} was moved on by another run; this one stops`);

  // Rows landing on existing contacts merge into them as they are now, locked: an edit made
  // since the batch was planned is kept.
  const updates: { draft: Draft; changes: ReturnType<typeof changesOf> }[] = [];
  if (plan.landed.size) {
    for (const current of await lockContacts(tx, tenantId, [...plan.landed.keys()])) {
      const draft = plan.landed.get(current.id)!.reduce(merged, current);
      draft.tags = spell(draft.tags, current.tags);
      const changes = changesOf(current, draft);
      if (changes.changed.length || changes.tagsAdded.length) updates.push({ draft, changes });
    }
    if (updates.length) await updateContacts(tx, tenantId, updates.map((u) => u.draft), now);
  }
  await ensureTags(tx, [...new Set([...plan.created, ...updates.map((u) => u.draft)].flatMap((d) => d.tags))]);
  if (plan.errors.length) await tx.crmJobError.createMany({ data: plan.errors.map((e) => ({ ...e, jobId: run.jobId, userId: tenantId })), skipDuplicates: true });
  if (run.request.triggerWorkflows) {
    // One statement per kind of event, in the batch's transaction.
    const raiseMany = <T extends EventType>(type: T, payloads: EventPayloadInput<T>[]) => run.events.raiseMany(tx, type, payloads, { tenantId });
    await raiseMany('core.contact_created', plan.created.map((d) => ({ contactId: d.id, source: d.source })));
    await raiseMany('core.contact_updated', updates.filter((u) => u.changes.changed.length).map(({ draft, changes }) => ({ contactId: draft.id, changed: changes.changed })));
    await raiseMany('core.tag_added', [
      ...plan.created.flatMap((d) => d.tags.map((tag) => ({ contactId: d.id, tag }))),
      ...updates.flatMap(({ draft, changes }) => changes.tagsAdded.map((tag) => ({ contactId: draft.id, tag }))),
    ]);
  }
}

// ---- The job ----

export interface ImportContext {
  db: TenantDb;
  tenantId: string;
  events: Events;
  config: CrmConfig;
}

export interface ImportOptions {
  /** Rows per transaction (default 5000, events or not: a batch raises each kind of event with one raiseMany). */
  batchSize?: number;
  /** Called after each committed batch; tests throw from it to crash a run midway. */
  afterBatch?: (lastRow: number) => void | Promise<void>;
}

/** Marks a job finished (COMPLETED or FAILED with the reason). */
export async function finishImport(db: TenantDb | TenantTx, jobId: string, data: Prisma.CrmJobUpdateInput): Promise<void> {
  await db.crmJob.update({ where: { id: jobId }, data: { ...data, finishedAt: new Date() } });
}

/** Runs (or resumes) the import of CrmJob `jobId`. Throws on errors worth a retry. */
export async function runImport(ctx: ImportContext, jobId: string, options: ImportOptions = {}): Promise<void> {
  const { db, tenantId } = ctx;
  const job = await db.crmJob.findFirst({ where: { id: jobId, kind: 'CONTACT_IMPORT' } });
  if (!job || job.status === 'COMPLETED' || job.status === 'FAILED') return;
  const request = importRequest.parse(job.params);
  const upload = await db.csvUpload.findFirst({ where: { id: request.uploadId } });
  if (!upload) return finishImport(db, jobId, { status: 'FAILED', error: 'The uploaded file was deleted before the import ran; upload it again' });
  let progress: ImportProgress = importProgress.safeParse(job.result).data ?? { created: 0, updated: 0, skipped: 0, lastRow: 0 };
  if (job.status === 'QUEUED') await db.crmJob.update({ where: { id: jobId }, data: { status: 'RUNNING', startedAt: new Date(), result: progress } });

  const definitions = await customFieldDefinitions(db);
  const at = (field: string) => Object.entries(request.mapping).find(([, f]) => f === field)?.[0] ?? field;
  const run: ImportRun = { jobId, tenantId, db, events: ctx.events, request, required: definitions.filter((d) => d.required), at };
  const read = rowReader(upload.headers, request, ctx.config.defaultCountry, definitions);
  const batchSize = options.batchSize ?? 5000;
  const resumeAfter = progress.lastRow;
  const empty = (): Batch => ({ rows: [], errors: [], failed: 0, lastRow: 0 });

  // Two batches write at once while the next is read and checked: PostgreSQL's index upkeep
  // for the inserts is most of the work, and one connection keeps only one core busy.
  let plans: Plan[] = [];
  let latest: Promise<void> = Promise.resolve();
  let older: Promise<void> = Promise.resolve();
  const commit = async (batch: Batch) => {
    await older;
    const plan = await planBatch(run, batch, plans.filter((p) => !p.committed), progress);
    progress = plan.to;
    plans = [...plans.slice(-1), plan];
    const before = latest;
    const written = db
      .$transaction((tx) => writeBatch(run, tx, plan, before), { timeout: 120_000, maxWait: 30_000 })
      .then(async () => {
        plan.committed = true;
        await options.afterBatch?.(plan.to.lastRow);
      });
    // Awaited in turn and at the end; this only keeps a failure from counting as unhandled meanwhile.
    written.catch(() => {});
    older = latest;
    latest = written;
  };

  let batch = empty();
  let row = -1;
  try {
    for await (const record of csvRecords(upload.content) as AsyncIterable<string[]>) {
      if (++row === 0 || row <= resumeAfter) continue; // the header, and rows committed by an earlier run
      const checked = read(record, row);
      if (Array.isArray(checked)) {
        batch.errors.push(...checked);
        batch.failed++;
      } else batch.rows.push(checked);
      batch.lastRow = row;
      // Checking rows is CPU work: let the committing batches' statements through now and then.
      if (row % 100 === 0) await new Promise(setImmediate);
      if (batch.rows.length + batch.failed >= batchSize) {
        await commit(batch);
        batch = empty();
      }
    }
    if (batch.lastRow) await commit(batch);
    await latest;
  } catch (error) {
    // Batches still in flight settle first: the retry must find their commits (or their absence) final.
    await Promise.allSettled([older, latest]);
    const unreadable = fileProblem(error);
    if (!unreadable) throw error;
    return finishImport(db, jobId, { status: 'FAILED', error: `The file cannot be read: ${unreadable.message}` });
  }

  await db.$transaction(async (tx) => {
    await finishImport(tx, jobId, { status: 'COMPLETED', total: progress.lastRow });
    // The file is not needed once imported, unless another import of it is waiting.
    const others = await tx.crmJob.count({
      where: { id: { not: jobId }, kind: 'CONTACT_IMPORT', status: { in: ['QUEUED', 'RUNNING'] }, params: { path: ['uploadId'], equals: request.uploadId } },
    });
    if (!others) await tx.csvUpload.deleteMany({ where: { id: request.uploadId } });
  });
}
