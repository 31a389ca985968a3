// crm.find_or_create_contact: how another plugin turns a person it met (a booking on the
// calendar's public page) into a contact without making a duplicate. The CRM's matching
// rule, the import's: the oldest contact with the email, else with the phone (E.164).
// A match keeps what it has and only gains the fields it lacks (or, with `overwrite`, takes
// the given ones: a form set to update existing contacts); otherwise a contact is created
// (core.contact_created). Tags given are added either way. Internal and transactional: it writes in the caller's
// transaction, so a booking that rolls back leaves no contact either.
import { defineAction, invalid, parseOrThrow, type TenantTx } from '@soshogle/core';
import type { Contact } from '@soshogle/db';
import { z } from 'zod';
import { crmConfig } from '../config.ts';
import { contactFields, normalisePhone, type ContactFields } from './fields.ts';
import { changeContact, createContact, customFieldDefinitions, type CrmScope } from './service.ts';

const oldestFirst = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];

/**
 * One finder at a time per email and per phone of the tenant: two bookings by one new
 * person at once must find one contact, not make two. The keys are locked in one order
 * (sorted), so two callers sharing some of them queue up instead of deadlocking.
 */
async function lockMatching(tx: TenantTx, tenantId: string, keys: string[]): Promise<void> {
  for (const key of [...keys].sort()) {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`contact-match:${tenantId}:${key}`}))`;
  }
}

/** The oldest contact with the email, else the oldest with the phone: duplicates are merged in the CRM, not guessed here. */
async function matching(tx: TenantTx, email: string | null, phone: string | null): Promise<Contact | null> {
  const byEmail = email ? await tx.contact.findFirst({ where: { email }, orderBy: oldestFirst }) : null;
  return byEmail ?? (phone ? await tx.contact.findFirst({ where: { phone }, orderBy: oldestFirst }) : null);
}

/**
 * The person filled in a form, not the tenant's required custom fields: those are the CRM
 * user's to complete, and must not make the booking (or whatever called) fail.
 */
const formDefinitions = async (db: TenantTx) => (await customFieldDefinitions(db)).map((d) => ({ ...d, required: false }));

export const findOrCreateContactAction = defineAction({
  config: crmConfig,
  name: 'find_or_create_contact',
  version: 1,
  internal: true,
  displayName: 'Find or create a contact',
  description:
    'The contact with this email (else phone), oldest first, given only the fields it lacks; or a new contact (raising core.contact_created).',
  props: z.object({
    email: z.string().max(254).nullish().describe('Matched first; stored in lower case'),
    phone: z.string().max(40).nullish().describe('Matched when the email finds nobody; kept in E.164 if it is a valid number, left out otherwise'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional()
      .describe('The country of a phone written without +country code (default: CRM_DEFAULT_COUNTRY)'),
    firstName: z.string().max(100).describe('Blank: a new contact is named after its email (the part before @) or phone'),
    lastName: z.string().max(100).nullish(),
    company: z.string().max(200).nullish(),
    customFields: z.record(z.string(), z.unknown()).optional().describe('By custom field key, checked against its definition'),
    tags: z.array(z.string()).max(100).optional().describe('Added to the contact, found or made'),
    overwrite: z.boolean().optional().describe("A match takes the given fields instead of only filling its empty ones (never its email or phone: they matched)"),
    source: z.string().max(50).nullish().describe('For a new contact only, e.g. "booking"'),
  }),
  output: z.object({ contactId: z.string(), created: z.boolean() }),
  // A second run (a retried caller) finds the contact the first one made or filled.
  idempotent: true,
  transactional: true,
  async run({ db, tenantId, events, config, props }) {
    const country = props.country ?? config.defaultCountry;
    const phone = props.phone ? normalisePhone(props.phone, country) : null;
    const named = props.firstName.trim();
    const fields = parseOrThrow(
      contactFields(country),
      {
        firstName: named || props.email?.trim().split('@')[0] || phone || props.phone || '', lastName: props.lastName, email: props.email, phone, company: props.company, source: props.source,
        tags: props.tags ?? [], customFields: props.customFields ?? {},
      },
      'props',
    );
    const email = fields.email ?? null;
    if (!email && !fields.phone) {
      throw invalid(props.phone ? 'props.phone' : 'props.email', 'An email or a valid phone number is needed to find the contact');
    }
    const scope: CrmScope = { tx: db, tenantId, events };
    await lockMatching(db, tenantId, [...(email ? [`email:${email}`] : []), ...(fields.phone ? [`phone:${fields.phone}`] : [])]);
    const found = await matching(db, email, fields.phone ?? null);
    if (found) {
      // By default it fills gaps only: what the CRM user keeps on the contact wins over what a form said.
      const take = <K extends 'firstName' | 'lastName' | 'company'>(key: K) =>
        fields[key] && (props.overwrite || !found[key]) && fields[key] !== found[key] ? { [key]: fields[key] } : {};
      const existing = (found.customFields ?? {}) as Record<string, unknown>;
      const customs = Object.fromEntries(
        Object.entries(fields.customFields).filter(([key, value]) => value !== null && value !== '' && (props.overwrite || existing[key] === undefined)),
      );
      const patch: Partial<ContactFields> = {
        ...(props.overwrite && named ? take('firstName') : {}),
        ...take('lastName'),
        ...take('company'),
        ...(!found.email && email ? { email } : {}),
        ...(!found.phone && fields.phone ? { phone: fields.phone } : {}),
      };
      const custom = Object.keys(customs).length ? customs : null;
      if (custom) patch.customFields = custom;
      // One change, one lock: the fields, then the tags added to those the locked row carries.
      if (Object.keys(patch).length || fields.tags.length) {
        await changeContact(scope, found.id, patch, { ...(custom ? { definitions: await formDefinitions(db) } : {}), ...(fields.tags.length ? { tags: { add: fields.tags } } : {}) });
      }
      return { contactId: found.id, created: false };
    }
    const contact = await createContact(scope, fields, { definitions: await formDefinitions(db) });
    return { contactId: contact.id, created: true };
  },
});
