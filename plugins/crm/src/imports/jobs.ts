// The import job: runs an import, retried by the worker after a crash or a database
// error; each retry resumes after the last committed batch (see import.ts).
import { defineJob, type JobDefinition } from '@soshogle/core';
import { z } from 'zod';
import { crmConfig } from '../config.ts';
import { finishImport, runImport } from './import.ts';

export const importContactsJob = defineJob({
  config: crmConfig,
  name: 'import_contacts',
  payload: z.object({ jobId: z.string() }),
  async run(ctx, { jobId }) {
    try {
      await runImport(ctx, jobId);
    } catch (error) {
      if (ctx.attempt < ctx.maxAttempts) {
        ctx.log.warn({ jobId, attempt: ctx.attempt, err: error }, 'contact import interrupted; retrying after the last committed batch');
        throw error;
      }
      // Out of attempts: the job says why instead of staying RUNNING forever.
      await finishImport(ctx.db, jobId, { status: 'FAILED', error: error instanceof Error ? error.message : String(error) });
    }
  },
});

export const importsJobs: JobDefinition[] = [importContactsJob];
