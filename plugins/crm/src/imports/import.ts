// The contact import: a stored CSV file read in batches of rows. Each row is checked like
// a contact written through the API (contactFields, custom field definitions), matched
// against the tenant's contacts and the file's earlier rows by email then phone, and
// created, merged or skipped. A batch, its per-row errors and the job's progress commit
// in one transaction, so a retried job resumes after the last committed batch and never
// imports a row twice.
//
// Speed (the target is 20,000 rows/s on two cores): one lookup query per batch for the
// duplicates, one INSERT and one UPDATE per batch with the rows as a JSON parameter, and
// the next batch is read and checked while the previous one commits. The raw statements
// name the tenant ("userId") explicitly; everything else goes through the scoped client.
import { randomUUID } from 'node:crypto';
import type { Events, FieldError, TenantDb, TenantTx } from '@soshogle/core';
import { Prisma, type Contact } from '@soshogle/db';
import { z } from 'zod';
import type { CrmConfig } from '../config.ts';
import { checkCustomFields, contactFields, tagName, type ContactFields } from '../contacts/fields.ts';
import { customFieldDefinitions, ensureTags } from '../contacts/service.ts';
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
  const columns = headers.flatMap((header, index) => {
    // hasOwn: a column named "constructor" must not find Object.prototype's.
    const field = Object.hasOwn(request.mapping, header) ? request.mapping[header] : null;
    return field ? [{ header, index, field }] : [];
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
    const input: Record<string, unknown> = { tags, customFields };
    for (const { index, field } of columns) {
      // Postgres text cannot hold NUL characters; nobody means them.
      const cell = unescapeFormula(record[index]!.replaceAll('\0', ''));
      if (field === 'tags') tags.push(...cell.split(/[;,]/).filter((t) => t.trim()));
      else if (field.startsWith('customFields.')) {
        if (cell.trim()) customFields[field.slice(13)] = cell;
      } else input[field] = cell;
    }
    const parsed = schema.safeParse(input);
    if (!parsed.success) return oneErrorPerField(parsed.error.issues.map((issue) => ({ item: row, field: at(String(issue.path[0])), message: messageOf(issue) })));
    const contact = parsed.data;
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

/** A contact a row landed on: `before` is how it was in the database, null when this batch creates it. */
interface Target {
  draft: Draft;
  before: Draft | null;
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

/** An update: the row's non-empty cells win, tags are the union, custom fields merge. */
function merged(draft: Draft, contact: ContactFields): Draft {
  const next: Draft = { ...draft, tags: [...new Set([...draft.tags, ...contact.tags])], customFields: { ...draft.customFields, ...contact.customFields } };
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

/**
 * Drafts as rows `r` of a query: one JSON parameter of arrays (no key names, so it stays
 * small: Prisma serialises raw parameters to JSON and back).
 */
function draftRows(drafts: Draft[]): Prisma.Sql {
  const json = JSON.stringify(drafts.map((d) => [d.id, d.firstName, d.lastName, d.email, d.phone, d.company, d.tags, d.source, d.customFields]));
  return Prisma.sql`(select e->>0 as id, e->>1 as "firstName", e->>2 as "lastName", e->>3 as email, e->>4 as phone, e->>5 as company,
    array(select jsonb_array_elements_text(e->6)) as tags, e->>7 as source, e->8 as "customFields" from jsonb_array_elements(${json}::jsonb) as e) as r`;
}

/** The tenant's contacts with these emails or phones, oldest first; locked when they are about to be updated. */
async function existingContacts(tx: TenantTx, tenantId: string, emails: string[], phones: string[], lock: boolean): Promise<Draft[]> {
  if (!emails.length && !phones.length) return [];
  const rows = await tx.$queryRaw<(Draft & { customFields: Record<string, unknown> | null })[]>`
    select id, "firstName", "lastName", email, phone, company, tags, source, "customFields" from "Contact"
    where "userId" = ${tenantId} and (email = any(${emails}::text[]) or phone = any(${phones}::text[]))
    order by "createdAt", id ${lock ? Prisma.sql`for update` : Prisma.empty}`;
  return rows.map((r) => ({ ...r, customFields: r.customFields ?? {} }));
}

async function insertContacts(tx: TenantTx, tenantId: string, drafts: Draft[], now: string): Promise<void> {
  await tx.$executeRaw`
    insert into "Contact" (id, "userId", "firstName", "lastName", email, phone, company, tags, source, "customFields", "createdAt", "updatedAt")
    select r.id, ${tenantId}, r."firstName", r."lastName", r.email, r.phone, r.company, r.tags, r.source, r."customFields", ${now}::timestamp, ${now}::timestamp
    from ${draftRows(drafts)}`;
}

async function updateContacts(tx: TenantTx, tenantId: string, drafts: Draft[], now: string): Promise<void> {
  await tx.$executeRaw`
    update "Contact" as c set "firstName" = r."firstName", "lastName" = r."lastName", email = r.email, phone = r.phone, company = r.company,
      tags = r.tags, source = r.source, "customFields" = r."customFields", "updatedAt" = ${now}::timestamp
    from ${draftRows(drafts)}
    where c.id = r.id and c."userId" = ${tenantId}`;
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
  events: Events;
  request: ImportRequest;
  required: Definitions;
}

function missingRequired(required: Definitions, values: Record<string, unknown>, row: number, at: (field: string) => string): RowError[] {
  return required
    .filter((d) => values[d.key] === undefined || (Array.isArray(values[d.key]) && !(values[d.key] as unknown[]).length))
    .map((d) => ({ item: row, field: at(`customFields.${d.key}`), message: `${d.label} is required` }));
}

/** Writes one batch with the job's progress; returns the progress after it. */
async function commitBatch(run: ImportRun, tx: TenantTx, batch: Batch, progress: ImportProgress): Promise<ImportProgress> {
  const { request, tenantId } = run;
  const at = (field: string) => Object.entries(request.mapping).find(([, f]) => f === field)?.[0] ?? field;
  const counts = { created: 0, updated: 0, skipped: 0 };
  const errors = [...batch.errors];
  let failed = batch.failed;
  const created: Target[] = [];
  const matched = new Map<string, Target>();
  const byEmail = new Map<string, Target>();
  const byPhone = new Map<string, Target>();
  const remember = (target: Target) => {
    if (target.draft.email && !byEmail.has(target.draft.email)) byEmail.set(target.draft.email, target);
    if (target.draft.phone && !byPhone.has(target.draft.phone)) byPhone.set(target.draft.phone, target);
  };
  if (request.duplicates !== 'create') {
    // Earlier batches are committed, so the database answers for the file's earlier rows too.
    const emails = [...new Set(batch.rows.flatMap((r) => (r.contact.email ? [r.contact.email] : [])))];
    const phones = [...new Set(batch.rows.flatMap((r) => (r.contact.phone ? [r.contact.phone] : [])))];
    for (const contact of await existingContacts(tx, tenantId, emails, phones, request.duplicates === 'update')) {
      const target = { draft: contact, before: contact };
      matched.set(contact.id, target);
      remember(target);
    }
  }
  for (const { row, contact } of batch.rows) {
    const target = request.duplicates === 'create' ? undefined : ((contact.email && byEmail.get(contact.email)) || (contact.phone && byPhone.get(contact.phone)) || undefined);
    if (target && request.duplicates === 'skip') {
      counts.skipped++;
      continue;
    }
    const draft = target ? merged(target.draft, contact) : newDraft(contact);
    // As the API does: a new contact needs every required custom field, an update only when it sets custom fields.
    const missing = !target || Object.keys(contact.customFields).length ? missingRequired(run.required, draft.customFields, row, at) : [];
    if (missing.length) {
      errors.push(...missing);
      failed++;
      continue;
    }
    if (target) {
      target.draft = draft;
      remember(target);
      counts.updated++;
    } else {
      const added = { draft, before: null };
      created.push(added);
      remember(added);
      counts.created++;
    }
  }

  const now = new Date().toISOString();
  const updates = [...matched.values()].flatMap((t) => {
    const changes = changesOf(t.before!, t.draft);
    return changes.changed.length || changes.tagsAdded.length ? [{ draft: t.draft, changes }] : [];
  });
  if (created.length) await insertContacts(tx, tenantId, created.map((t) => t.draft), now);
  if (updates.length) await updateContacts(tx, tenantId, updates.map((u) => u.draft), now);
  await ensureTags(tx, [...new Set([...created, ...updates].flatMap((t) => t.draft.tags))]);
  if (errors.length) await tx.crmJobError.createMany({ data: errors.map((e) => ({ ...e, jobId: run.jobId, userId: tenantId })), skipDuplicates: true });
  if (request.triggerWorkflows) {
    const raise = (type: string, payload: Record<string, unknown>) => run.events.raise(tx, type, payload, { tenantId });
    for (const { draft } of created) {
      await raise('core.contact_created', { contactId: draft.id, source: draft.source });
      for (const tag of draft.tags) await raise('core.tag_added', { contactId: draft.id, tag });
    }
    for (const { draft, changes } of updates) {
      if (changes.changed.length) await raise('core.contact_updated', { contactId: draft.id, changed: changes.changed });
      for (const tag of changes.tagsAdded) await raise('core.tag_added', { contactId: draft.id, tag });
    }
  }

  const next = { created: progress.created + counts.created, updated: progress.updated + counts.updated, skipped: progress.skipped + counts.skipped, lastRow: batch.lastRow };
  // Compare-and-set on the committed row: a second run of the same job (a stalled worker
  // whose lock expired) cannot commit a batch the first one already did.
  const moved = await tx.crmJob.updateMany({
    where: { id: run.jobId, processed: progress.lastRow },
    data: { processed: batch.lastRow, succeeded: { increment: counts.created + counts.updated }, failed: { increment: failed }, result: next },
  });
  if (moved.count !== 1) throw new Error(`Import ${run.jobId} was moved on by another run; this one stops`);
  return next;
}

// ---- The job ----

export interface ImportContext {
  db: TenantDb;
  tenantId: string;
  events: Events;
  config: CrmConfig;
}

export interface ImportOptions {
  /** Rows per transaction (default 5000; 250 when workflows are triggered, whose events cost a few statements each). */
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
  const run: ImportRun = { jobId, tenantId, events: ctx.events, request, required: definitions.filter((d) => d.required) };
  const read = rowReader(upload.headers, request, ctx.config.defaultCountry, definitions);
  const batchSize = options.batchSize ?? (request.triggerWorkflows ? 250 : 5000);
  const resumeAfter = progress.lastRow;
  const empty = (): Batch => ({ rows: [], errors: [], failed: 0, lastRow: 0 });

  // One batch commits while the next is read and checked (that CPU work overlaps the database's).
  let committing: Promise<void> = Promise.resolve();
  const commit = async (batch: Batch) => {
    await committing;
    committing = db
      .$transaction((tx) => commitBatch(run, tx, batch, progress), { timeout: 120_000, maxWait: 30_000 })
      .then(async (next) => {
        progress = next;
        await options.afterBatch?.(next.lastRow);
      });
    // Awaited before the next batch and at the end; this only keeps a failure from counting as unhandled meanwhile.
    committing.catch(() => {});
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
      // Checking rows is CPU work: let the committing batch's statements through now and then.
      if (row % 100 === 0) await new Promise(setImmediate);
      if (batch.rows.length + batch.failed >= batchSize) {
        await commit(batch);
        batch = empty();
      }
    }
  } catch (error) {
    // A batch still in flight settles first: the retry must find its commit (or its absence) final.
    await committing.catch(() => {});
    const unreadable = fileProblem(error);
    if (!unreadable) throw error;
    return finishImport(db, jobId, { status: 'FAILED', error: `The file cannot be read: ${unreadable.message}` });
  }
  if (batch.lastRow) await commit(batch);
  await committing;

  await db.$transaction(async (tx) => {
    await finishImport(tx, jobId, { status: 'COMPLETED', total: progress.lastRow });
    // The file is not needed once imported, unless another import of it is waiting.
    const others = await tx.crmJob.count({
      where: { id: { not: jobId }, kind: 'CONTACT_IMPORT', status: { in: ['QUEUED', 'RUNNING'] }, params: { path: ['uploadId'], equals: request.uploadId } },
    });
    if (!others) await tx.csvUpload.deleteMany({ where: { id: request.uploadId } });
  });
}
