// CSV import and export of contacts. An import is two steps: upload the file (checked,
// stored, answered with its columns, a sample and a guessed mapping), then start the
// import with the mapping chosen; it runs as a job whose progress and per-row errors
// GET /jobs/:id and /jobs/:id/errors show.
import { decodedBody, defineRoute, fileResponse, invalid, refuse, type AnyRoute } from '@soshogle/core';
import { z } from 'zod';
import { filterQuery, filterWhere, resolveFilter } from '../contacts/filter.ts';
import { customFieldDefinitions } from '../contacts/service.ts';
import { jobStarted } from '../jobs/schemas.ts';
import { CsvProblem, inspectCsv, maxUploadBytes, suggestMapping } from './csv.ts';
import { contactsCsv } from './export.ts';
import { importRequest, mappingProblems } from './import.ts';
import { csvUploadResponse } from './schemas.ts';

/** The file as the request body (Content-Type: text/csv), read here: the core's body parser only parses JSON. */
async function readCsvBody(request: AsyncIterable<Buffer>): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > maxUploadBytes) throw refuse(413, `Files of more than ${maxUploadBytes / 1024 / 1024} MB are refused; split it into several files`);
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

const upload = defineRoute({
  method: 'POST',
  path: '/contacts/imports/uploads',
  summary: 'Upload a CSV of contacts (a text/csv body with ?fileName=, or JSON { fileName, content }): its columns, row count, first rows and a guessed column mapping',
  status: 201,
  query: z.object({ fileName: z.string().trim().min(1).max(255).optional() }),
  body: z.object({ fileName: z.string().trim().min(1).max(255).optional(), content: z.string().max(maxUploadBytes).optional() }),
  response: csvUploadResponse,
  async handler({ http, query, body, db, tenantId }) {
    const content = http.is('text/csv') ? await readCsvBody(decodedBody(http)) : body.content === undefined ? null : new TextEncoder().encode(body.content);
    if (!content) throw invalid([{ field: 'body.content', message: 'Send the CSV file as content' }]);
    let file;
    try {
      file = await inspectCsv(content);
    } catch (error) {
      if (error instanceof CsvProblem) throw invalid([{ field: 'body.content', message: error.message }]);
      throw error;
    }
    const stored = await db.csvUpload.create({
      data: { userId: tenantId, fileName: body.fileName ?? query.fileName ?? 'contacts.csv', content, headers: file.headers, rowCount: file.rowCount },
      select: { id: true, fileName: true, headers: true, rowCount: true, createdAt: true },
    });
    const customFields = await db.customField.findMany({ select: { key: true, label: true }, orderBy: { createdAt: 'asc' } });
    return { upload: stored, sample: file.sample, suggestedMapping: suggestMapping(file.headers, customFields) };
  },
});

const startImport = defineRoute({
  method: 'POST',
  path: '/contacts/imports',
  summary: 'Import an uploaded CSV with a column mapping, as a job: progress at GET /jobs/:id, refused rows at GET /jobs/:id/errors',
  status: 202,
  body: importRequest,
  response: jobStarted,
  async handler({ body, db, jobs, tenantId }) {
    // Another tenant's upload id finds nothing, like one that never existed.
    const file = await db.csvUpload.findFirst({ where: { id: body.uploadId }, select: { headers: true, rowCount: true } });
    if (!file) throw invalid([{ field: 'body.uploadId', message: 'No such upload (an upload is removed once imported)' }]);
    const problems = mappingProblems(body.mapping, file.headers, await customFieldDefinitions(db));
    if (problems.length) throw invalid(problems);
    const job = await db.$transaction(async (tx) => {
      const job = await tx.crmJob.create({ data: { userId: tenantId, kind: 'CONTACT_IMPORT', params: body, total: file.rowCount } });
      await jobs.enqueue(tx, 'crm.import_contacts', { jobId: job.id }, { tenantId });
      return job;
    });
    return { job };
  },
});

// ---- Export: the contact list's filter (as GET /contacts takes it) ----

const exportContacts = defineRoute({
  method: 'GET',
  path: '/contacts/export',
  summary: 'The contacts a filter or smart list matches, as a CSV file with a column per custom field',
  query: filterQuery,
  response: fileResponse('text/csv'),
  async handler({ query, db, http }) {
    const where = filterWhere(await resolveFilter(db, query));
    const customFields = await db.customField.findMany({ select: { key: true, label: true }, orderBy: { createdAt: 'asc' } });
    http.attachment(`contacts-${new Date().toISOString().slice(0, 10)}.csv`);
    http.type = 'text/csv; charset=utf-8';
    return await contactsCsv(db, where, customFields);
  },
});

export const importsRoutes: AnyRoute[] = [upload, startImport, exportContacts];
