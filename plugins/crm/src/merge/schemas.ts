// What the duplicates and merge API answers.
import { isoDate } from '@soshogle/core';
import { z } from 'zod';
import { contactResponse } from '../contacts/schemas.ts';
import { storedJson } from '../json.ts';

const matchKind = z.enum(['email', 'phone']);

export const duplicateContact = z
  .object({ id: z.string(), firstName: z.string(), lastName: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable(), createdAt: isoDate })
  .meta({ id: 'DuplicateContact', description: 'A contact of a duplicate group' });

export const duplicateGroup = z
  .object({
    match: matchKind,
    /** The shared value (emails in lower case). */
    value: z.string(),
    /** How many contacts share it; `contacts` holds the oldest 50 of them. */
    size: z.number().int(),
    contacts: z.array(duplicateContact),
  })
  .meta({ id: 'DuplicateGroup', description: 'Contacts sharing an email or a phone number' });

export const likelyDuplicate = duplicateContact
  .extend({ matchedOn: z.array(matchKind) })
  .meta({ id: 'LikelyDuplicate', description: 'Another contact with the same email or phone, and which of them it shares' });

export const contactMergeResponse = z
  .object({
    id: z.string(),
    userId: z.string(),
    keptContactId: z.string(),
    mergedContactId: z.string(),
    /**
     * The merged contact's fields as they were (a Contact as the API answered it then).
     * Loosely typed on purpose: a record keeps the columns of its day, not today's.
     */
    mergedContact: storedJson(z.record(z.string(), z.unknown())),
    /** Who merged; null when unknown. */
    actorId: z.string().nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'ContactMerge', description: 'A record of a contact merged into another' });

export const mergeResult = z.object({
  contact: contactResponse,
  merge: contactMergeResponse,
  /** How many rows of each kind moved to the kept contact. */
  moved: z.object({ notes: z.number().int(), appointments: z.number().int(), dealLinks: z.number().int() }),
});
