// crm.find_or_create_contact(s): how another plugin turns a person it met (a booking on the
// calendar's public page, a batch of form submissions) into a contact without making a
// duplicate; the rule is in find-or-create.ts. The single one is a batch of one. Internal and
// transactional: they write in the caller's transaction, so a booking that rolls back leaves
// no contact either.
import { defineAction } from '@soshogle/core';
import { z } from 'zod';
import { crmConfig } from '../config.ts';
import { findOrCreateContacts } from './find-or-create.ts';

/** A person as both actions take them; lengths and formats are checked per person (contactFields), so one bad value fails that person only. */
const person = z.object({
  email: z.string().nullish().describe('Matched first; stored in lower case'),
  phone: z.string().nullish().describe('Matched when the email finds nobody; kept in E.164 if it is a valid number, left out otherwise'),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional()
    .describe('The country of a phone written without +country code (default: CRM_DEFAULT_COUNTRY)'),
  firstName: z.string().describe('Blank: a new contact is named after its email (the part before @) or phone'),
  lastName: z.string().nullish(),
  company: z.string().nullish(),
  customFields: z.record(z.string(), z.unknown()).optional().describe('By custom field key, checked against its definition'),
  tags: z.array(z.string()).max(100).optional().describe('Added to the contact, found or made'),
  overwrite: z.boolean().optional().describe("A match takes the given fields instead of only filling its empty ones (never its email or phone: they matched)"),
  source: z.string().nullish().describe('For a new contact only, e.g. "booking"'),
});

const found = z.object({ contactId: z.string(), created: z.boolean() });

export const findOrCreateContactAction = defineAction({
  config: crmConfig,
  name: 'find_or_create_contact',
  version: 1,
  internal: true,
  displayName: 'Find or create a contact',
  description:
    'The contact with this email (else phone), oldest first, given only the fields it lacks; or a new contact (raising core.contact_created).',
  props: person,
  output: found,
  // A second run (a retried caller) finds the contact the first one made or filled.
  idempotent: true,
  transactional: true,
  async run({ db, tenantId, events, config, props }) {
    const [result] = await findOrCreateContacts({ tx: db, tenantId, events }, config.defaultCountry, [props], () => 'props');
    if ('problem' in result!) throw result.problem;
    return result!;
  },
});

export const findOrCreateContactsAction = defineAction({
  config: crmConfig,
  name: 'find_or_create_contacts',
  version: 1,
  internal: true,
  displayName: 'Find or create contacts',
  description:
    'find_or_create_contact for a batch, in order (two people with one email end as one contact): one answer per person, its contact or why the CRM refused that person.',
  props: z.object({ items: z.array(person).min(1).max(1000) }),
  output: z.object({
    results: z.array(
      z.union([
        found,
        z.object({ problem: z.object({ status: z.number(), detail: z.string(), errors: z.array(z.object({ field: z.string(), message: z.string() })).optional() }) }),
      ]),
    ),
  }),
  idempotent: true,
  transactional: true,
  async run({ db, tenantId, events, config, props }) {
    const results = await findOrCreateContacts({ tx: db, tenantId, events }, config.defaultCountry, props.items, (i) => `props.items.${i}`);
    return {
      results: results.map((r) => ('problem' in r ? { problem: { status: r.problem.status, detail: r.problem.message, ...(r.problem.errors ? { errors: r.problem.errors } : {}) } } : r)),
    };
  },
});
