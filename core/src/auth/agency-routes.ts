// Agencies and their client sub-accounts, installation admins, and the sandbox outbox.
import type { Context } from 'koa';
import { z } from 'zod';
import { keysetCursor, keysetOf, listOf, listQuery, page } from '../http/list.ts';
import { notFound, Problem } from '../http/problem.ts';
import { isoDate } from '../http/wire.ts';
import { defineRoute, type AnyRoute } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import { countsOf } from './agency-counts.ts';
import { audit } from './audit.ts';
import { email, link } from './routes.ts';
import { sendSystemEmail } from './system-email.ts';
import { setTwoFactorRequired } from './two-factor.ts';
import { userResponse, userSelect } from './user.ts';
import { issueToken } from './verification.ts';

/** Each count by name: `workflows`, and whatever the enabled plugins count (`contacts`, `deals`, ...). */
const countsResponse = z.record(z.string(), z.number().int());

const subAccountResponse = userResponse
  .extend({ counts: countsResponse })
  .meta({ id: 'SubAccount', description: "An agency's client account, with roll-up counts of its data" });

const systemEmailResponse = z
  .object({
    id: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    /** verify_email, password_reset, signup_existing, ... */
    purpose: z.string(),
    /** "sandbox", or the plugin that accepted it for delivery. */
    sentVia: z.string(),
    createdAt: isoDate,
  })
  .meta({ id: 'SystemEmail', description: 'An email the installation sent (or, in sandbox mode, recorded)' });

const isLoopback = (ip: string) => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';

export function agencyRoutes(services: CoreServices): AnyRoute[] {
  const { db } = services;
  // Agency actions on a client go in both logs: the agency's, and the client's with the agency user as actor.
  const auditBoth = async (http: Context, agencyUserId: string, subAccountId: string, action: string) => {
    await audit(db, http, { userId: agencyUserId, action, details: { subAccountId } });
    await audit(db, http, { userId: subAccountId, actorId: agencyUserId, action });
  };
  const mySubAccount = async (agencyId: string, id: string) => {
    const sub = await db.user.findFirst({ where: { id, agencyId, role: 'SUB_ACCOUNT' }, select: userSelect });
    if (!sub) throw notFound('Sub-account');
    return sub;
  };
  const routes: AnyRoute[] = [
    defineRoute({
      method: 'POST',
      path: '/agency/sub-accounts',
      summary: 'Create a client sub-account; its owner gets an email to set a password',
      roles: ['AGENCY'],
      status: 201,
      body: z.object({ email, name: z.string().trim().min(1).max(100).optional(), businessName: z.string().trim().min(1).max(200) }),
      response: z.object({ subAccount: userResponse }),
      async handler({ body, auth, http }) {
        if (auth.tenantId !== auth.userId) throw new Problem(409, 'Conflict', 'Switch back to your agency account first');
        const sub = await db.user.create({
          data: { email: body.email, name: body.name ?? null, businessName: body.businessName, role: 'SUB_ACCOUNT', agencyId: auth.userId },
          select: userSelect,
        });
        const token = await issueToken(db, 'password_reset', sub.id, 7 * 86_400);
        await sendSystemEmail(db, services.log, {
          to: sub.email,
          purpose: 'invite',
          subject: `You have a Soshogle account for ${body.businessName}`,
          text: `Set your password to get started: ${link(services, '/reset-password', token)}\n\nThe link works once and expires in 7 days.`,
        });
        await auditBoth(http, auth.userId, sub.id, 'agency.sub_account_created');
        return { subAccount: sub };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/agency/sub-accounts',
      summary: "The agency's sub-accounts with roll-up counts of their data",
      roles: ['AGENCY'],
      response: z.object({ items: z.array(subAccountResponse), totals: countsResponse }),
      async handler({ auth }) {
        const subs = await db.user.findMany({ where: { agencyId: auth.userId, role: 'SUB_ACCOUNT' }, select: userSelect, orderBy: { createdAt: 'asc' } });
        const { byTenant, totals } = await countsOf(db, services.registry, subs.map((s) => s.id));
        return { items: subs.map((s) => ({ ...s, counts: byTenant.get(s.id)! })), totals };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/agency/switch',
      summary: 'Work inside one of your sub-accounts (every change is audited in its log)',
      roles: ['AGENCY'],
      body: z.object({ subAccountId: z.string().min(1).max(64) }),
      response: z.object({ actingAs: userResponse }),
      async handler({ body, auth, http }) {
        if (!auth.sessionId) throw new Problem(403, 'Forbidden', 'Switching needs a signed-in session, not an API key');
        const sub = await mySubAccount(auth.userId, body.subAccountId);
        await db.session.update({ where: { id: auth.sessionId }, data: { actingAsId: sub.id } });
        await auditBoth(http, auth.userId, sub.id, 'agency.switch');
        return { actingAs: sub };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/agency/switch-back',
      summary: 'Return to your own agency account',
      roles: ['AGENCY'],
      response: z.object({ actingAs: z.null() }),
      async handler({ auth, http }) {
        if (!auth.sessionId) throw new Problem(403, 'Forbidden', 'Switching needs a signed-in session, not an API key');
        await db.session.update({ where: { id: auth.sessionId }, data: { actingAsId: null } });
        if (auth.tenantId !== auth.userId) {
          await audit(db, http, { userId: auth.tenantId, actorId: auth.userId, action: 'agency.switch_back' });
        }
        return { actingAs: null };
      },
    }),

    defineRoute({
      method: 'PUT',
      path: '/agency/two-factor-requirement',
      summary: 'Require two-factor sign-in of the agency and every sub-account (those without it are sent to set it up)',
      roles: ['AGENCY'],
      body: z.object({ required: z.boolean() }),
      response: z.object({ required: z.boolean() }),
      async handler({ body, auth, http }) {
        if (auth.tenantId !== auth.userId) throw new Problem(409, 'Conflict', 'Switch back to your agency account first');
        await setTwoFactorRequired(db, http, auth.userId, body.required, auth.userId);
        return { required: body.required };
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/admin/users',
      summary: 'Every account of the installation (admins only)',
      roles: ['ADMIN'],
      query: listQuery({ cursor: keysetCursor, size: 100, max: 500 }).extend({ role: z.enum(['USER', 'ADMIN', 'AGENCY', 'SUB_ACCOUNT']).optional() }),
      response: listOf(userResponse),
      async handler({ query }) {
        // Oldest first: the installation's accounts in the order they were made.
        const after = query.cursor;
        const rows = await db.user.findMany({
          where: {
            ...(query.role ? { role: query.role } : {}),
            ...(after?.at ? { OR: [{ createdAt: { gt: after.at } }, { createdAt: after.at, id: { gt: after.id } }] } : {}),
          },
          select: userSelect,
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take: query.limit + 1,
        });
        return page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
      },
    }),
    defineRoute({
      method: 'PATCH',
      path: '/admin/users/:id/role',
      summary: "Change an account's role (admins only); a sub-account names its agency",
      roles: ['ADMIN'],
      params: z.object({ id: z.string().min(1).max(64) }),
      body: z.object({ role: z.enum(['USER', 'ADMIN', 'AGENCY', 'SUB_ACCOUNT']), agencyId: z.string().min(1).max(64).optional() }),
      response: z.object({ user: userResponse }),
      async handler({ params, body, auth, http }) {
        const user = await db.user.findUnique({ where: { id: params.id }, select: { id: true, role: true } });
        if (!user) throw notFound('User');
        if (body.role === 'SUB_ACCOUNT') {
          const agency = body.agencyId && (await db.user.findFirst({ where: { id: body.agencyId, role: 'AGENCY' }, select: { id: true } }));
          if (!agency) throw new Problem(422, 'Validation failed', 'body.agencyId: a sub-account needs an existing agency', { errors: [{ field: 'body.agencyId', message: 'must be an AGENCY account' }] });
        }
        const updated = await db.user.update({
          where: { id: user.id },
          data: { role: body.role, agencyId: body.role === 'SUB_ACCOUNT' ? body.agencyId! : null },
          select: userSelect,
        });
        await audit(db, http, { userId: user.id, actorId: auth.userId, action: 'user.role_changed', details: { from: user.role, to: body.role } });
        return { user: updated };
      },
    }),
    defineRoute({
      method: 'PUT',
      path: '/admin/users/:id/two-factor-requirement',
      summary: "Require two-factor sign-in of an account (admins only); for an agency, of its sub-accounts too",
      roles: ['ADMIN'],
      params: z.object({ id: z.string().min(1).max(64) }),
      body: z.object({ required: z.boolean() }),
      response: z.object({ user: userResponse }),
      async handler({ params, body, auth, http }) {
        const user = await db.user.findUnique({ where: { id: params.id }, select: { id: true } });
        if (!user) throw notFound('User');
        await setTwoFactorRequired(db, http, user.id, body.required, auth.userId);
        return { user: await db.user.findUniqueOrThrow({ where: { id: user.id }, select: userSelect }) };
      },
    }),
  ];
  // Sandbox mode only: system emails are recorded instead of sent, for developers to
  // read. They hold live reset links, so only this machine may read them, and never in
  // production.
  if (services.config.NODE_ENV !== 'production') {
    routes.push(
      defineRoute({
        method: 'GET',
        path: '/dev/outbox',
        summary: 'System emails recorded in sandbox mode, newest first (from this machine only; not in production)',
        access: 'public',
        query: z.object({ to: z.string().max(254).optional() }),
        response: z.object({ sandbox: z.literal(true), items: z.array(systemEmailResponse) }),
        async handler({ query, http }) {
          if (!isLoopback(http.ip)) throw notFound('Outbox');
          const emails = await db.systemEmail.findMany({
            where: query.to ? { to: query.to.toLowerCase() } : {},
            orderBy: { createdAt: 'desc' },
            take: 50,
          });
          return { sandbox: true as const, items: emails };
        },
      }),
    );
  }
  return routes;
}
