// What uploading a CSV answers: the stored file, its first rows and a guessed mapping.
import { isoDate } from '@soshogle/core';
import { z } from 'zod';

export const csvUploadResponse = z
  .object({
    upload: z.object({ id: z.string(), fileName: z.string(), headers: z.array(z.string()), rowCount: z.number().int(), createdAt: isoDate }),
    /** The first rows, by header. */
    sample: z.array(z.record(z.string(), z.string())),
    /** CSV header -> contact field (`customFields.<key>` for a custom field), null: not imported. */
    suggestedMapping: z.record(z.string(), z.string().nullable()),
  })
  .meta({ id: 'CsvUpload', description: 'An uploaded CSV of contacts, waiting for its column mapping' });
