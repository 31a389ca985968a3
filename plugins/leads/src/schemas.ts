// What the leads API answers: a lead, a lead search and a conversion, one schema each,
// reused by every route that answers them.
import { isoDate } from '@soshogle/core';
import { LeadSearchStatus, LeadStatus, type LeadSearch } from '@soshogle/db';
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

/** Without where the next page starts: Google's token is the job's business. */
const progress = searchProgress.omit({ nextPageToken: true });

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

export const conversionResponse = z
  .object({
    contact: z.object({ id: z.string(), firstName: z.string().nullable(), lastName: z.string().nullable() }).describe('The contact made (GET /crm/contacts/{id} has the rest)'),
    deal: z.object({ id: z.string(), title: z.string() }).nullable().describe('The deal opened, if one was asked for'),
    lead: leadResponse,
  })
  .meta({ id: 'LeadConversion', description: 'What converting a lead made' });
