// The signed-in account: personal API keys, onboarding, and its audit log.
import { ApiKeyScope } from '@soshogle/db';
import { z } from 'zod';
import { itemsOf, keysetCursor, keysetOf, listOf, listQuery, olderThan, page } from '../http/list.ts';
import { notFound, parseOrThrow, Problem } from '../http/problem.ts';
import { isoDate } from '../http/wire.ts';
import { defineRoute, noContent, type AnyRoute } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import { audit } from './audit.ts';
import { apiKeyPrefix } from './authenticate.ts';
import { hashToken, newToken } from './tokens.ts';
import { userResponse, userSelect } from './user.ts';

const idParam = z.object({ id: z.string().min(1).max(64) });

const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as America/New_York');

/** Onboarding, in order. Each step validates its own fields; the last one completes it. */
export const onboardingSteps = [
  {
    name: 'business',
    fields: z.object({
      businessName: z.string().trim().min(1).max(200),
      industry: z.string().trim().min(1).max(100),
      // http(s) only: a javascript: or data: URL shown as a link would run script.
      website: z.url({ protocol: /^https?$/, error: 'must be a web address starting with http:// or https://' }).max(300).optional(),
    }),
  },
  {
    name: 'location',
    fields: z.object({
      companyAddress: z.string().trim().min(1).max(500),
      timezone,
      businessLanguage: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language code such as en or pt-BR'),
    }),
  },
  {
    name: 'about',
    fields: z.object({ businessDescription: z.string().trim().min(1).max(2000) }),
  },
] as const;

const apiKeyResponse = z
  .object({
    id: z.string(),
    name: z.string(),
    /** The key's first characters, to tell keys apart. */
    prefix: z.string(),
    scope: z.enum(ApiKeyScope),
    createdAt: isoDate,
    lastUsedAt: isoDate.nullable(),
    revokedAt: isoDate.nullable(),
  })
  .meta({ id: 'ApiKey', description: 'A personal API key, without the key itself' });

const onboardingResponse = z
  .object({
    /** How many steps are done: the index of the next one. */
    step: z.number().int(),
    complete: z.boolean(),
    steps: z.array(z.object({ index: z.number().int(), name: z.enum(onboardingSteps.map((s) => s.name)), done: z.boolean() })),
    profile: z.object({
      businessName: z.string().nullable(),
      industry: z.string().nullable(),
      website: z.string().nullable(),
      companyAddress: z.string().nullable(),
      timezone: z.string(),
      businessLanguage: z.string().nullable(),
      businessDescription: z.string().nullable(),
    }),
  })
  .meta({ id: 'Onboarding', description: 'Onboarding progress and the company profile so far' });

const auditEntryResponse = z
  .object({
    id: z.string(),
    /** The account whose log it is. */
    userId: z.string(),
    /** Who acted: the account itself, an agency user, an admin; null when unknown. */
    actorId: z.string().nullable(),
    /** e.g. auth.login, api_key.created, agency.switch */
    action: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'AuditEntry', description: 'A security event of the account' });

export function accountRoutes(services: CoreServices): AnyRoute[] {
  const { db } = services;
  const keyView = { id: true, name: true, prefix: true, scope: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;
  return [
    defineRoute({
      method: 'POST',
      path: '/api-keys',
      summary: 'Create a personal API key; the key is in this answer and never again',
      status: 201,
      body: z.object({ name: z.string().trim().min(1).max(100), scope: z.enum(['READ', 'WRITE']) }),
      response: apiKeyResponse.extend({ key: z.string().describe('The key: shown in this answer only') }),
      async handler({ body, auth, db: tenantDb, http }) {
        if (auth.via === 'api_key') throw new Problem(403, 'Forbidden', 'API keys cannot create API keys; sign in to the app');
        const key = newToken(apiKeyPrefix);
        const created = await tenantDb.apiKey.create({
          data: { userId: auth.tenantId, name: body.name, scope: body.scope, prefix: key.slice(0, 10), keyHash: hashToken(key) },
          select: keyView,
        });
        await audit(db, http, { userId: auth.tenantId, actorId: auth.userId, action: 'api_key.created', details: { keyId: created.id, scope: body.scope } });
        return { ...created, key };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api-keys',
      summary: 'List API keys (without the keys themselves)',
      response: itemsOf(apiKeyResponse),
      async handler({ db: tenantDb }) {
        return { items: await tenantDb.apiKey.findMany({ select: keyView, orderBy: { createdAt: 'desc' } }) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api-keys/:id',
      summary: 'Revoke an API key; it stops working at once',
      params: idParam,
      response: noContent,
      async handler({ params, auth, db: tenantDb, http }) {
        const { count } = await tenantDb.apiKey.updateMany({ where: { id: params.id, revokedAt: null }, data: { revokedAt: new Date() } });
        if (count === 0) throw notFound('API key');
        await audit(db, http, { userId: auth.tenantId, actorId: auth.userId, action: 'api_key.revoked', details: { keyId: params.id } });
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/onboarding',
      summary: 'Onboarding progress and the company profile so far',
      response: onboardingResponse,
      async handler({ auth }) {
        const user = await db.user.findUniqueOrThrow({ where: { id: auth.tenantId } });
        return {
          step: user.onboardingStep,
          complete: user.onboardingComplete,
          steps: onboardingSteps.map((s, i) => ({ index: i, name: s.name, done: i < user.onboardingStep })),
          profile: {
            businessName: user.businessName,
            industry: user.industry,
            website: user.website,
            companyAddress: user.companyAddress,
            timezone: user.timezone,
            businessLanguage: user.businessLanguage,
            businessDescription: user.businessDescription,
          },
        };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/onboarding/:step',
      summary: 'Save one onboarding step (steps go in order; earlier ones may be revisited)',
      params: z.object({ step: z.enum(onboardingSteps.map((s) => s.name) as [string, ...string[]]) }),
      body: z.object({}).passthrough(),
      response: z.object({ user: userResponse }),
      async handler({ params, body, auth }) {
        const index = onboardingSteps.findIndex((s) => s.name === params.step);
        const step = onboardingSteps[index]!;
        const user = await db.user.findUniqueOrThrow({ where: { id: auth.tenantId }, select: { onboardingStep: true } });
        if (index > user.onboardingStep) {
          throw new Problem(409, 'Conflict', `Complete the "${onboardingSteps[user.onboardingStep]!.name}" step first`);
        }
        const fields = parseOrThrow(step.fields, body, 'body');
        const next = Math.max(user.onboardingStep, index + 1);
        const updated = await db.user.update({
          where: { id: auth.tenantId },
          data: { ...fields, onboardingStep: next, onboardingComplete: next >= onboardingSteps.length },
          select: userSelect,
        });
        return { user: updated };
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/audit-log',
      summary: 'Security events of this account, newest first',
      query: listQuery({ cursor: keysetCursor }),
      response: listOf(auditEntryResponse),
      async handler({ query, db: tenantDb }) {
        const after = query.cursor;
        const rows = await tenantDb.auditLog.findMany({
          where: olderThan(after),
          select: { id: true, userId: true, actorId: true, action: true, ip: true, userAgent: true, details: true, createdAt: true },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: query.limit + 1,
        });
        // audit() writes details as an object, or none.
        const entries = rows.map((row) => ({ ...row, details: row.details as Record<string, unknown> | null }));
        return page(entries, query.limit, (last) => keysetOf(last.createdAt, last.id));
      },
    }),
  ];
}
