// What the contacts API answers: a contact, its custom field definitions and the saved
// filters (smart lists), as they go on the wire. Every route answering one of them
// declares the same schema, and the admin UI is typed from it.
import { isoDate } from '@soshogle/core';
import { CustomFieldType } from '@soshogle/db';
import { z } from 'zod';
import { storedJson } from '../json.ts';
import { contactFilter } from './filter.ts';

export const contactResponse = z
  .object({
    id: z.string(),
    userId: z.string(),
    firstName: z.string(),
    lastName: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    tags: z.array(z.string()),
    source: z.string().nullable(),
    /** Values by custom field key: text, numbers, YYYY-MM-DD dates, booleans, lists of choices. */
    customFields: storedJson(z.record(z.string(), z.unknown()).nullable()),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Contact', description: 'A person in the CRM' });

export const contactCount = z.object({ count: z.number().int() });

export const customFieldResponse = z
  .object({
    id: z.string(),
    userId: z.string(),
    key: z.string(),
    label: z.string(),
    type: z.enum(CustomFieldType),
    options: z.array(z.string()),
    required: z.boolean(),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'CustomField', description: "A tenant's definition of a contact custom field; values live in Contact.customFields under its key" });

/** A contact filter as it is saved and answered: the filter the routes take, its dates as ISO strings. */
export const savedFilter = contactFilter
  .extend({ createdAfter: isoDate.optional(), createdBefore: isoDate.optional(), updatedAfter: isoDate.optional(), updatedBefore: isoDate.optional() })
  .meta({ id: 'ContactFilter', description: 'Which contacts: every condition given must hold' });

export const smartListResponse = z
  .object({ id: z.string(), userId: z.string(), name: z.string(), filter: storedJson(savedFilter), createdAt: isoDate, updatedAt: isoDate })
  .meta({ id: 'SmartList', description: 'A contact filter saved under a name' });
