// What the CRM forgets on a schedule (the core's lifecycle jobs run these; docs/lifecycle.md).
import { defineRetention } from '@soshogle/core';
import { Prisma } from '@soshogle/db';

export const crmRetention = [
  // An import deletes its file when it completes; one never imported (or whose import
  // failed) is kept a week for another try, then goes, unless an import of it still waits.
  defineRetention({
    name: 'stale_uploads',
    description: 'Uploaded CSV files never imported, a week after upload',
    model: 'CsvUpload',
    column: 'createdAt',
    keep: '7 days',
    where: Prisma.sql`not exists (
      select 1 from "CrmJob" j
      where j."userId" = r."userId" and j.kind = 'CONTACT_IMPORT' and j.status in ('QUEUED', 'RUNNING') and j.params->>'uploadId' = r.id)`,
    // Files are up to tens of megabytes each: a small batch is a short transaction.
    batchSize: 20,
  }),
  // Imports and bulk actions: their progress and error rows (CrmJobError cascades).
  defineRetention({
    name: 'finished_jobs',
    description: 'Finished imports and bulk actions with their row errors, 90 days after they finished',
    model: 'CrmJob',
    column: 'finishedAt',
    keep: '90 days',
    where: Prisma.sql`r.status in ('COMPLETED', 'FAILED')`,
    batchSize: 200,
  }),
];
