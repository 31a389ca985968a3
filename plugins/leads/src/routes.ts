// Leads: Google Places searches (run as a job), the lead list, status changes one by one
// and in bulk, and conversion into a CRM contact (and optionally a deal) through the
// CRM's crm.create_contact action, in the transaction that marks the lead converted.
import { randomUUID } from 'node:crypto';
import { conflict, defineRoute, invalid, keysetCursor, keysetOf, listOf, listQuery, noContent, notFound, olderThan, page, Problem, refuse, tenantSql, type AnyRoute, type TenantTx } from '@soshogle/core';
import { DealStage, LeadStatus, type Prisma } from '@soshogle/db';
import { z } from 'zod';
import { leadsConfig } from './config.ts';
import { googlePlaces } from './connections.ts';
import { searchRequest } from './jobs.ts';
import { toE164 } from './phone.ts';
import { conversionResponse, createdContact, createdDeal, leadResponse, leadSearchResponse, shownSearch } from './schemas.ts';

const idParams = z.object({ id: z.string().min(1).max(64) });

/** CONVERTED is reached only through conversion, which creates the contact it stands for. */
const settableStatus = z.enum(LeadStatus).refine((s) => s !== 'CONVERTED', 'A lead becomes CONVERTED only by converting it');

const alreadyConverted = () => conflict('This lead was converted; its status can no longer change');

const placesStatus = defineRoute({
  method: 'GET',
  path: '/leads/places-status',
  summary: 'Whether lead searches use Google Places (live) or sample places (sandbox: no API key connected)',
  response: z.object({ mode: z.enum(['live', 'sandbox']) }),
  handler: async ({ credentials }) => ({ mode: (await credentials.get(googlePlaces.provider)) ? ('live' as const) : ('sandbox' as const) }),
});

const startSearch = defineRoute({
  method: 'POST',
  path: '/leads/searches',
  summary: 'Search Google Places for leads ("dentist in Austin, TX"); runs as a job whose progress GET /leads/searches/:id shows',
  status: 202,
  body: searchRequest,
  response: z.object({ job: leadSearchResponse, sandbox: z.boolean().describe('Sample places: no Google Places key is connected') }),
  async handler({ body, credentials, db, jobs, tenantId }) {
    // Decided now and kept with the job, so the UI can say which kind of results it will get.
    const sandbox = !(await credentials.get(googlePlaces.provider));
    const job = await db.$transaction(async (tx) => {
      const job = await tx.leadSearch.create({ data: { userId: tenantId, params: { ...body, sandbox } } });
      await jobs.enqueue(tx, 'leads.search_places', { jobId: job.id }, { tenantId });
      return job;
    });
    return { job: shownSearch(job), sandbox };
  },
});

const getSearch = defineRoute({
  method: 'GET',
  path: '/leads/searches/:id',
  summary: "A lead search's progress: status, processed, total, succeeded, and created/updated counts in result",
  params: idParams,
  response: leadSearchResponse,
  async handler({ params, db }) {
    const job = await db.leadSearch.findUnique({ where: { id: params.id } });
    if (!job) throw notFound('Lead search');
    return shownSearch(job);
  },
});

// ---- The lead list ----

const listLeads = defineRoute({
  method: 'GET',
  path: '/leads',
  summary: 'Leads, newest first, filtered by status, category, city or business name',
  query: listQuery({ cursor: keysetCursor }).extend({
    status: z.enum(LeadStatus).optional(),
    category: z.string().trim().min(1).max(100).optional(),
    city: z.string().trim().min(1).max(100).optional(),
    q: z.string().trim().min(1).max(200).optional(),
  }),
  response: listOf(leadResponse),
  async handler({ query, db }) {
    const and: Prisma.LeadWhereInput[] = [];
    if (query.status) and.push({ status: query.status });
    if (query.category) and.push({ category: { equals: query.category, mode: 'insensitive' } });
    if (query.city) and.push({ city: { equals: query.city, mode: 'insensitive' } });
    if (query.q) and.push({ businessName: { contains: query.q, mode: 'insensitive' } });
    const after = query.cursor;
    and.push(olderThan(after));
    const rows = await db.lead.findMany({ where: { AND: and }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: query.limit + 1 });
    return page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
  },
});

const getLead = defineRoute({
  method: 'GET',
  path: '/leads/:id',
  summary: 'One lead',
  params: idParams,
  response: leadResponse,
  async handler({ params, db }) {
    const lead = await db.lead.findUnique({ where: { id: params.id } });
    if (!lead) throw notFound('Lead');
    return lead;
  },
});

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) =>
  text(max)
    .transform((v) => v || null)
    .nullish();

const updateLead = defineRoute({
  config: leadsConfig,
  method: 'PATCH',
  path: '/leads/:id',
  summary: "Change a lead's details or status (CONVERTED only through conversion)",
  params: idParams,
  body: z.object({
    businessName: text(200).min(1).optional(),
    address: text(300).optional(),
    city: text(100).optional(),
    state: text(100).optional(),
    zipCode: text(20).optional(),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'A two-letter country code (ISO 3166)')
      .optional(),
    phone: optionalText(40),
    email: z
      .union([z.literal('').transform(() => null), z.email({ message: 'Not a valid email address' }).max(254).transform((v) => v.toLowerCase())])
      .nullish(),
    website: z
      .union([z.literal('').transform(() => null), z.url({ protocol: /^https?$/ }).max(500)])
      .nullish(),
    category: text(100).min(1).optional(),
    status: settableStatus.optional(),
  }),
  response: leadResponse,
  async handler({ params, body, db, config }) {
    const { phone, ...rest } = body;
    const data: Prisma.LeadUpdateManyMutationInput = { ...rest };
    if (phone !== undefined) {
      const current = await db.lead.findUnique({ where: { id: params.id }, select: { country: true } });
      if (!current) throw notFound('Lead');
      data.phone = phone === null ? null : toE164(phone, body.country ?? current.country ?? config.defaultCountry);
      if (data.phone === null && phone !== null) {
        throw invalid('body.phone', 'Not a valid phone number');
      }
    }
    // One conditional statement: a conversion committing meanwhile cannot be undone by this status change.
    const where: Prisma.LeadWhereInput = body.status ? { id: params.id, status: { not: 'CONVERTED' } } : { id: params.id };
    const { count } = await db.lead.updateMany({ where, data });
    const lead = await db.lead.findUnique({ where: { id: params.id } });
    if (!lead) throw notFound('Lead');
    if (!count) throw alreadyConverted();
    return lead;
  },
});

const bulkStatus = defineRoute({
  method: 'POST',
  path: '/leads/status',
  summary: 'Set the status of many leads; converted leads and ids that are not yours are left alone',
  body: z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(1000), status: settableStatus }),
  response: z.object({ updated: z.number().int().describe('How many changed') }),
  async handler({ body, db }) {
    const { count } = await db.lead.updateMany({ where: { id: { in: body.ids }, status: { not: 'CONVERTED' } }, data: { status: body.status } });
    return { updated: count };
  },
});

const deleteLead = defineRoute({
  method: 'DELETE',
  path: '/leads/:id',
  summary: 'Delete a lead (the notes of a converted lead stay with its contact)',
  params: idParams,
  response: noContent,
  async handler({ params, db, tenantId, actions }) {
    await db.$transaction(async (tx) => {
      // Notes cascade with their lead; those a conversion gave to a contact are the contact's now: the CRM lets them go first.
      await actions.run(tx, 'crm.release_lead_notes', { leadId: params.id }, { tenantId, idempotencyKey: randomUUID() });
      await tx.lead.delete({ where: { id: params.id } });
    });
  },
});

// ---- Conversion ----

/** Locks the lead for the rest of the transaction: two conversions of one lead queue up, the second sees CONVERTED. */
async function lockLead(tx: TenantTx, tenantId: string, id: string) {
  const t = tenantSql(tenantId);
  const [row] = await tx.$queryRaw<{ id: string }[]>(t`select id from "Lead" where id = ${id} and ${t.owns()} for update`);
  if (!row) throw notFound('Lead');
  return tx.lead.findUniqueOrThrow({ where: { id } });
}

/** The CRM names a failing field by its action's props; the caller sent it as the body. */
function asBodyProblem(error: unknown): never {
  if (!(error instanceof Problem) || !error.errors) throw error;
  const errors = error.errors.map((e) => ({ ...e, field: e.field.replace(/^props\./, 'body.') }));
  throw refuse(error.status, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

const convertLead = defineRoute({
  method: 'POST',
  path: '/leads/:id/convert',
  summary: 'Turn a lead into a contact (source "lead_conversion") and optionally a deal; its notes follow the contact',
  params: idParams,
  body: z.object({
    firstName: z.string().max(100).optional(),
    lastName: z.string().max(100).optional(),
    email: z.string().max(254).optional(),
    // The CRM checks the deal's fields (money, currency) by its own rules.
    deal: z
      .object({
        title: z.string().trim().min(1).max(200).optional(),
        value: z.union([z.string().max(40), z.number()]).optional(),
        currency: z.string().max(10).optional(),
        stage: z.enum(DealStage).optional(),
      })
      .optional(),
  }),
  response: conversionResponse,
  async handler({ params, body, db, tenantId, actions }) {
    return db.$transaction(async (tx) => {
      const lead = await lockLead(tx, tenantId, params.id);
      if (lead.status === 'CONVERTED') throw conflict('This lead was already converted');
      const { contact, deal } = await actions
        .run(
          tx,
          'crm.create_contact',
          {
            firstName: body.firstName?.trim() || lead.businessName.slice(0, 100),
            lastName: body.lastName ?? null,
            email: body.email ?? lead.email,
            // As found; the CRM keeps it only if it is a valid number (read in the lead's country).
            phone: lead.phone,
            country: lead.country || undefined,
            company: lead.businessName,
            source: 'lead_conversion',
            deal: body.deal ? { ...body.deal, title: body.deal.title ?? lead.businessName } : undefined,
            leadId: lead.id,
          },
          // The lead is locked and converted once: one key per lead.
          { tenantId, idempotencyKey: `lead_conversion:${lead.id}` },
        )
        .catch(asBodyProblem);
      const converted = await tx.lead.update({ where: { id: lead.id }, data: { status: 'CONVERTED' } });
      return {
        contact: createdContact.parse(contact),
        deal: deal && createdDeal.parse(deal),
        lead: converted,
      };
    });
  },
});

// Fixed paths before /leads/:id, which would otherwise take them.
export const leadRoutes: AnyRoute[] = [placesStatus, startSearch, getSearch, listLeads, bulkStatus, getLead, updateLead, deleteLead, convertLead];
