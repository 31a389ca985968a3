// What the jobs API answers: a CRM job's progress, and the items it could not process.
import { isoDate } from '@soshogle/core';
import { CrmJobKind, CrmJobStatus } from '@soshogle/db';
import { z } from 'zod';
import { storedJson } from '../json.ts';

/** CrmJob.result: what the job counted so far (an import: created, updated, skipped; a bulk action: changed). */
const jobResult = z.object({
  created: z.number().optional(),
  updated: z.number().optional(),
  skipped: z.number().optional(),
  /** An import: the last CSV row done. */
  lastRow: z.number().optional(),
  /** A bulk action: contacts it changed, and the last contact id done. */
  changed: z.number().optional(),
  lastId: z.string().nullable().optional(),
});

export const crmJobResponse = z
  .object({
    id: z.string(),
    userId: z.string(),
    kind: z.enum(CrmJobKind),
    status: z.enum(CrmJobStatus),
    /** What was asked: the bulk action and its target, the import mapping, the search. */
    params: storedJson(z.unknown()),
    total: z.number().int().nullable(),
    processed: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    result: storedJson(jobResult.nullable()),
    error: z.string().nullable(),
    createdAt: isoDate,
    startedAt: isoDate.nullable(),
    finishedAt: isoDate.nullable(),
  })
  .meta({ id: 'CrmJob', description: 'Long-running CRM work (a bulk action, a CSV import, a lead search) and its progress' });

/** `{ job }`: what starting a job answers. */
export const jobStarted = z.object({ job: crmJobResponse });

export const jobErrorResponse = z
  .object({
    /** The CSV row (1 = the first data row) or the item's index. */
    item: z.number().int(),
    /** The failing field or column; null for the whole item. */
    field: z.string().nullable(),
    message: z.string(),
  })
  .meta({ id: 'CrmJobError', description: 'An item a CRM job could not process' });
