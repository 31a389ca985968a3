// What the notes API answers.
import { isoDate } from '@soshogle/core';
import { z } from 'zod';

export const noteResponse = z
  .object({
    id: z.string(),
    userId: z.string(),
    content: z.string(),
    /** The team member who wrote it; null for a workflow's note. */
    authorId: z.string().nullable(),
    contactId: z.string().nullable(),
    dealId: z.string().nullable(),
    leadId: z.string().nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Note', description: 'A note on a contact, a deal or a lead' });
