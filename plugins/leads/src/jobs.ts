// The lead search job: pages through a Places text search and stores each page's places
// as leads, deduplicated per tenant by googlePlaceId. Each page and the job's progress
// commit together, so a retry (after a 429, a 5xx, a crash) resumes after the last stored
// page instead of paying for the pages again.
import { defineJob, type JobDefinition, type TenantDb, type TenantTx } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';
import { z } from 'zod';
import { leadsConfig } from './config.ts';
import { googlePlaces, type GooglePlacesCredentials } from './connections.ts';
import { livePlaces, maxPageSize, parsePlace, PlacesError, type PlaceLead, type PlacesSearch } from './places.ts';
import { sandboxPlaces } from './sandbox.ts';

/** What a search asks for (the route's body). */
export const searchRequest = z
  .object({
    query: z.string().trim().min(1).max(200),
    location: z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }).optional(),
    radiusMeters: z.number().int().min(1).max(50_000).optional(),
    /** Google stops at 60 (three pages of 20). */
    maxResults: z.number().int().min(1).max(60).default(60),
  })
  .refine((r) => r.radiusMeters === undefined || r.location !== undefined, {
    path: ['radiusMeters'],
    message: 'A radius needs a location to be around',
  });

/** LeadSearch.params of a search: the request, and whether it ran against sample places. */
export const searchParams = searchRequest.safeExtend({ sandbox: z.boolean() });

/** LeadSearch.result of a search, written with every page. */
export const searchProgress = z.object({
  sandbox: z.boolean(),
  pages: z.number(),
  created: z.number(),
  updated: z.number(),
  /** Places without id or name, not stored. */
  skipped: z.number(),
  /** Where the next page starts; null once the last page is stored. */
  nextPageToken: z.string().nullable(),
  done: z.boolean(),
});
type SearchProgress = z.output<typeof searchProgress>;

/** The place's fields a repeated search refreshes; status, email and notes are the user's. */
const refreshed = (lead: PlaceLead) => {
  const { googlePlaceId: _id, ...fields } = lead;
  return fields;
};

/** Stores one page: new places become leads, known ones are refreshed. */
async function storePage(tx: TenantTx, tenantId: string, leads: PlaceLead[], sandbox: boolean) {
  const ids = leads.map((l) => l.googlePlaceId);
  const known = new Set((await tx.lead.findMany({ where: { googlePlaceId: { in: ids } }, select: { googlePlaceId: true } })).map((l) => l.googlePlaceId));
  let created = 0;
  for (const lead of leads) {
    // Two searches of one tenant racing on a new place: one insert loses on the unique
    // key, its page rolls back, and the retry finds the place and updates it.
    await tx.lead.upsert({
      where: { userId_googlePlaceId: { userId: tenantId, googlePlaceId: lead.googlePlaceId } },
      create: { ...lead, userId: tenantId, source: sandbox ? 'google_places_sandbox' : 'google_places' },
      update: refreshed(lead),
    });
    if (!known.has(lead.googlePlaceId)) created++;
    known.add(lead.googlePlaceId);
  }
  return { created, updated: leads.length - created };
}

async function finish(db: TenantDb, jobId: string, data: Prisma.LeadSearchUpdateInput) {
  await db.leadSearch.update({ where: { id: jobId }, data: { ...data, finishedAt: new Date() } });
}

export const searchPlacesJob = defineJob({
  config: leadsConfig,
  name: 'search_places',
  payload: z.object({ jobId: z.string() }),
  // graphile-worker backs off exp(min(10, attempt)) s: about six hours over 12 attempts, enough for a daily quota to reset.
  maxAttempts: 12,
  async run({ db, tenantId, config, credentials, log, attempt, maxAttempts }, { jobId }) {
    const job = await db.leadSearch.findUnique({ where: { id: jobId } });
    if (!job || job.status === 'COMPLETED' || job.status === 'FAILED') return;
    const params = searchParams.parse(job.params);
    const key = params.sandbox ? null : await credentials.get<GooglePlacesCredentials>(googlePlaces.provider);
    const search: PlacesSearch | null = params.sandbox ? sandboxPlaces : key ? livePlaces(key.apiKey, config.googlePlacesUrl) : null;
    if (!search) {
      return finish(db, jobId, { status: 'FAILED', error: 'The Google Places connection was removed before this search ran' });
    }
    const stored = searchProgress.safeParse(job.result);
    let progress: SearchProgress = stored.success
      ? stored.data
      : { sandbox: params.sandbox, pages: 0, created: 0, updated: 0, skipped: 0, nextPageToken: null, done: false };
    let processed = job.processed;
    if (job.status === 'QUEUED') {
      // `total` is the most a search can bring until it is done; then it is what it brought.
      await db.leadSearch.update({ where: { id: jobId }, data: { status: 'RUNNING', startedAt: new Date(), total: params.maxResults, result: progress } });
    }
    try {
      while (!progress.done) {
        const wanted = params.maxResults - processed;
        const page = await search(params, { pageSize: Math.min(maxPageSize, wanted), pageToken: progress.nextPageToken });
        const places = page.places.slice(0, wanted);
        const leads = places.map((p) => parsePlace(p, config.defaultCountry)).filter((l): l is PlaceLead => l !== null);
        const before = progress;
        // The page and the progress that says it is stored commit together.
        progress = await db.$transaction(async (tx) => {
          const counts = await storePage(tx, tenantId, leads, params.sandbox);
          const next: SearchProgress = {
            ...before,
            pages: before.pages + 1,
            created: before.created + counts.created,
            updated: before.updated + counts.updated,
            skipped: before.skipped + places.length - leads.length,
            nextPageToken: page.nextPageToken,
            // An empty page ends it too, whatever token came with it: nothing guarantees the token leads anywhere.
            done: !page.nextPageToken || !places.length || processed + places.length >= params.maxResults,
          };
          await tx.leadSearch.update({
            where: { id: jobId },
            data: { processed: processed + places.length, succeeded: { increment: leads.length }, failed: { increment: places.length - leads.length }, result: next },
          });
          return next;
        });
        processed += places.length;
        log.debug({ jobId, page: progress.pages }, 'lead search page stored');
      }
    } catch (error) {
      const retryable = !(error instanceof PlacesError) || error.retryable;
      if (retryable && attempt < maxAttempts) {
        log.warn({ jobId, attempt, err: error instanceof PlacesError ? error.message : error }, 'lead search interrupted; retrying with backoff');
        throw error;
      }
      // Retrying cannot help (a bad key, a refused request) or the attempts are used up: say why and stop.
      return finish(db, jobId, { status: 'FAILED', error: error instanceof Error ? error.message : String(error) });
    }
    await finish(db, jobId, { status: 'COMPLETED', total: processed });
  },
});

export const leadJobs: JobDefinition[] = [searchPlacesJob];
