// crm.create_contact: how another plugin adds a contact (the leads plugin converting a
// lead), optionally with a first deal, and the notes of the lead it came from. Internal and
// transactional: it writes in the caller's transaction, so the caller's own change (the
// lead marked converted) commits with the contact, the deal and their events, or none do.
import { defineAction, parseOrThrow, tenantSql } from '@soshogle/core';
import { DealStage } from '@soshogle/db';
import { z } from 'zod';
import { crmConfig } from '../config.ts';
import { createDeal, currencyCode, dealValue } from '../deals/service.ts';
import { contactFields, normalisePhone } from './fields.ts';
import { createContact } from './service.ts';

const row = z.looseObject({ id: z.string() });

export const createContactAction = defineAction({
  config: crmConfig,
  name: 'create_contact',
  version: 1,
  internal: true,
  displayName: 'Create a contact',
  description: 'Adds a contact (raising core.contact_created), optionally with a deal it is the primary contact of.',
  props: z.object({
    firstName: z.string().max(100),
    lastName: z.string().max(100).nullish(),
    email: z.string().max(254).nullish(),
    phone: z.string().max(40).nullish().describe('As found elsewhere: kept in E.164 if it is a valid number, left out otherwise'),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional()
      .describe('The country of a phone written without +country code (default: CRM_DEFAULT_COUNTRY)'),
    company: z.string().max(200).nullish(),
    source: z.string().max(50).nullish(),
    tags: z.array(z.string()).max(100).default([]),
    deal: z
      .object({ title: z.string().trim().min(1).max(200), value: dealValue.optional(), currency: currencyCode.optional(), stage: z.enum(DealStage).optional() })
      .optional(),
    leadId: z.string().min(1).max(64).optional().describe('The lead it was converted from: its notes follow the contact (and stay on the lead)'),
  }),
  output: z.object({ contact: row, deal: row.nullable() }),
  idempotent: false,
  transactional: true,
  async run({ db, tenantId, events, config, props }) {
    const country = props.country ?? config.defaultCountry;
    const { deal: dealProps, leadId, phone, country: _country, ...rest } = props;
    const fields = parseOrThrow(contactFields(country), { ...rest, phone: phone ? normalisePhone(phone, country) : null, customFields: {} }, 'props');
    const scope = { tx: db, tenantId, events };
    const contact = await createContact(scope, fields);
    const deal = dealProps ? await createDeal(scope, { ...dealProps, contacts: [{ contactId: contact.id, isPrimary: true }] }) : null;
    if (leadId) {
      // Raw: the scoped updateMany refuses to move rows between parents; the tenant's condition is explicit.
      const t = tenantSql(tenantId);
      await db.$executeRaw(t`update "Note" set "contactId" = ${contact.id}, "updatedAt" = now() where "leadId" = ${leadId} and ${t.owns()}`);
    }
    return { contact, deal };
  },
});
