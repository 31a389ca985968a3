// The signed-in account: personal API keys, onboarding, and its audit log.
import { z } from 'zod';
import { keysetCursor, keysetOf, listQuery, olderThan, page } from '../http/list.ts';
import { notFound, parseOrThrow, Problem } from '../http/problem.ts';
import { defineRoute, type AnyRoute } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import { audit } from './audit.ts';
import { apiKeyPrefix } from './authenticate.ts';
import { hashToken, newToken } from './tokens.ts';
import { userSelect } from './user.ts';

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
      async handler({ db: tenantDb }) {
        return { items: await tenantDb.apiKey.findMany({ select: keyView, orderBy: { createdAt: 'desc' } }) };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/api-keys/:id',
      summary: 'Revoke an API key; it stops working at once',
      params: idParam,
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
      async handler({ query, db: tenantDb }) {
        const after = query.cursor;
        const rows = await tenantDb.auditLog.findMany({
          where: olderThan(after),
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: query.limit + 1,
        });
        return page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
      },
    }),
  ];
}
