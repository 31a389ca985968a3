// Reading a form's submissions: the list (newest first, keyset pages, filtered by status and
// by text in the answers) and the CSV export, page by page so memory stays flat.
import type { Readable } from 'node:stream';
import { csvDownload, keysetOf, page, tenantSql, type Keyset, type TenantDb } from '@soshogle/core';
import { Prisma, type Form, type FormSubmissionStatus } from '@soshogle/db';
import type { Answers } from '../answers.ts';
import { utmKeys } from '../definition.ts';
import { storedDefinition } from '../forms/service.ts';

export interface SubmissionFilter {
  status?: FormSubmissionStatus | undefined;
  q?: string | undefined;
}

/** The ids of one page of the form's submissions the filter matches, newest first. */
async function pageIds(db: TenantDb, tenantId: string, formId: string, filter: SubmissionFilter, after: Keyset | undefined, take: number) {
  const t = tenantSql(tenantId);
  const status = filter.status ? Prisma.sql`and status = ${filter.status}::"FormSubmissionStatus"` : Prisma.empty;
  // Text anywhere in the answers; % and _ typed by the user are matched as themselves.
  const q = filter.q ? Prisma.sql`and answers::text ilike ${`%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}` : Prisma.empty;
  const keyset = after?.at ? Prisma.sql`and ("createdAt", id) < (${after.at}, ${after.id})` : Prisma.empty;
  const rows = await db.$queryRaw<{ id: string }[]>(t`
    select id from "FormSubmission"
    where ${t.owns()} and "formId" = ${formId} ${status} ${q} ${keyset}
    order by "createdAt" desc, id desc
    limit ${take}`);
  return rows.map((r) => r.id);
}

async function submissionsByIds(db: TenantDb, ids: string[]) {
  const rows = await db.formSubmission.findMany({
    where: { id: { in: ids } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    include: { formVersion: { select: { version: true } } },
  });
  const contactIds = [...new Set(rows.flatMap((r) => (r.contactId ? [r.contactId] : [])))];
  const contacts = contactIds.length
    ? await db.contact.findMany({ where: { id: { in: contactIds } }, select: { id: true, firstName: true, lastName: true, email: true } })
    : [];
  const byId = new Map(contacts.map((c) => [c.id, { id: c.id, name: [c.firstName, c.lastName].filter(Boolean).join(' '), email: c.email }]));
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    contactId: r.contactId,
    contact: r.contactId ? (byId.get(r.contactId) ?? null) : null,
    answers: r.answers as Answers,
    sourceUrl: r.sourceUrl,
    utm: (r.utm ?? {}) as Record<string, string>,
    spamReason: r.spamReason,
    createdAt: r.createdAt,
    version: r.formVersion.version,
  }));
}

export async function listSubmissions(db: TenantDb, tenantId: string, formId: string, query: SubmissionFilter & { cursor?: Keyset | undefined; limit: number }) {
  const ids = await pageIds(db, tenantId, formId, query, query.cursor, query.limit + 1);
  const items = await submissionsByIds(db, ids);
  return page(items, query.limit, (last) => keysetOf(last.createdAt, last.id));
}

/**
 * The CSV of the form's submissions: one column per field of the latest version (the
 * draft's before the first publish), then when, status, source url and utm_*.
 */
export async function submissionsCsv(db: TenantDb, tenantId: string, form: Pick<Form, 'id' | 'draft'>, filter: SubmissionFilter, pageSize = 2000): Promise<Readable> {
  const formId = form.id;
  const latest = await db.formVersion.findFirst({ where: { formId }, orderBy: { version: 'desc' }, select: { definition: true } });
  const fields = storedDefinition(latest?.definition ?? form.draft).fields.map((f) => ({ key: f.key, label: f.label }));
  return csvDownload({
    header: [...fields.map((f) => f.label), 'submitted at', 'status', 'source url', ...utmKeys],
    read: async (after) => {
      const ids = await pageIds(db, tenantId, formId, filter, after, pageSize);
      return ids.length ? db.formSubmission.findMany({ where: { id: { in: ids } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }) : [];
    },
    cells: (r) => {
      const answers = r.answers as Answers;
      const utm = (r.utm ?? {}) as Record<string, string>;
      return [...fields.map((f) => answers[f.key]), r.createdAt, r.status, r.sourceUrl, ...utmKeys.map((k) => utm[k])];
    },
    pageSize,
  });
}
