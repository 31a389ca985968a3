// What the leads API answers: a lead, a lead search and a conversion, one schema each,
// reused by every route that answers them.
import { decimal, isoDate } from '@soshogle/core';
import { DealStage, LeadSearchStatus, LeadStatus, type LeadSearch } from '@soshogle/db';
import { z } from 'zod';
import { searchParams, searchProgress } from './jobs.ts';

export const leadResponse = z
  .object({
    id: z.string(),
    businessName: z.string(),
    address: z.string(),
    city: z.string(),
    state: z.string(),
    zipCode: z.string(),
    country: z.string().describe('ISO 3166 two-letter code'),
    phone: z.string().nullable().describe('E.164'),
    website: z.string().nullable(),
    email: z.string().nullable(),
    rating: z.number().nullable().describe('The review score on Google'),
    reviewCount: z.number().int().nullable(),
    category: z.string().describe('"dentist", "restaurant", "salon", ...'),
    googlePlaceId: z.string().nullable(),
    status: z.enum(LeadStatus),
    source: z.string().describe('google_places, manual, import'),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Lead', description: 'A business found on Google Places (or entered), worked through statuses until converted into a contact' });

/** Searches from before the leads plugin (the CRM ran them) recorded only some of it. */
const progress = searchProgress.partial();

export const leadSearchResponse = z
  .object({
    id: z.string(),
    status: z.enum(LeadSearchStatus),
    params: searchParams.nullable().describe('What was asked, and whether it runs against sample places (sandbox)'),
    total: z.number().int().nullable().describe('The most it can bring until done; then what it brought'),
    processed: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    result: progress.nullable().describe('Progress: pages read, leads created and updated, places skipped'),
    error: z.string().nullable(),
    createdAt: isoDate,
    startedAt: isoDate.nullable(),
    finishedAt: isoDate.nullable(),
  })
  .meta({ id: 'LeadSearch', description: 'A Google Places search for leads, run as a job' });

/** A search as the API shows it: its Json columns read by their schemas (unreadable ones as null). */
export function shownSearch(search: LeadSearch): z.output<typeof leadSearchResponse> {
  return { ...search, params: searchParams.safeParse(search.params).data ?? null, result: progress.safeParse(search.result).data ?? null };
}

/** The contact crm.create_contact made, read for the fields a conversion answers with. */
export const createdContact = z.object({
  id: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});
/** Its deal, likewise (the value a Prisma Decimal there, its exact text here). */
export const createdDeal = z.object({ id: z.string(), title: z.string(), value: z.unknown().transform(String), currency: z.string(), stage: z.enum(DealStage) });

export const conversionResponse = z
  .object({
    contact: createdContact.describe('The contact made, in brief (GET /crm/contacts/{id} has the rest)'),
    deal: z
      .object({ id: z.string(), title: z.string(), value: decimal, currency: z.string(), stage: z.enum(DealStage) })
      .nullable()
      .describe('The deal opened, in brief, if one was asked for'),
    lead: leadResponse,
  })
  .meta({ id: 'LeadConversion', description: 'What converting a lead made' });
