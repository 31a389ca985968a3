// What the tags API answers.
import { isoDate } from '@soshogle/core';
import { z } from 'zod';

export const tagResponse = z
  .object({
    id: z.string(),
    userId: z.string(),
    name: z.string(),
    /** #RRGGBB */
    color: z.string().nullable(),
    createdAt: isoDate,
    /** How many contacts carry it (the tag list, unless asked without counts). */
    contacts: z.number().int().optional(),
  })
  .meta({ id: 'Tag', description: 'A tag and its colour; contacts carry tags by name' });
