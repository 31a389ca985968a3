// What the CRM's dashboard reports answer.
import { decimal } from '@soshogle/core';
import { DealStage } from '@soshogle/db';
import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const contactsReport = z
  .object({
    /** The account's time zone the days are counted in. */
    timezone: z.string(),
    from: day.nullable(),
    to: day.nullable(),
    days: z.array(z.object({ day, count: z.number().int() })),
    /** Contacts added over those days. */
    added: z.number().int(),
    /** Contacts in all. */
    total: z.number().int(),
  })
  .meta({ id: 'ContactsReport', description: 'Contacts added per day' });

export const pipelineReport = z
  .object({
    stages: z.array(
      z.object({
        stage: z.enum(DealStage),
        count: z.number().int(),
        totals: z.array(z.object({ currency: z.string(), count: z.number().int(), value: decimal })),
      }),
    ),
  })
  .meta({ id: 'PipelineReport', description: 'Deals and their value per stage, one total per currency' });
