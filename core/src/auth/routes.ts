// Sign-up, log-in, log-out, sessions, email verification and password reset.
// Every answer that could tell whether an email has an account is the same either way.
import { z } from 'zod';
import { Problem } from '../http/problem.ts';
import { defineRoute, noContent, type AnyRoute } from '../plugin.ts';
import type { CoreServices } from '../services.ts';
import { audit } from './audit.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { hitRateLimit, resetRateLimit } from './rate-limit.ts';
import { clearSessionCookie, csrfTokenFor, loginResponse, sessionCookie, signIn } from './sessions.ts';
import { startSecondFactor } from './two-factor.ts';
import { isoDate } from '../http/wire.ts';
import { emailProven } from './email-proof.ts';
import { sendSystemEmail } from './system-email.ts';
import { consumeToken, issueToken } from './verification.ts';
import { userResponse, userSelect } from './user.ts';

export const email = z
  .email('must be an email address')
  .max(254)
  .transform((e) => e.trim().toLowerCase());
export const password = z.string().min(10, 'must be at least 10 characters').max(200);

const loginLimits = { perAccount: 10, perIp: 50, windowSeconds: 15 * 60 };
const signupLimits = { perIp: 20, windowSeconds: 60 * 60 };

async function limit(services: CoreServices, key: string, max: number, windowSeconds: number): Promise<void> {
  const result = await hitRateLimit(services.db, key, max, windowSeconds);
  if (!result.allowed) {
    throw new Problem(429, 'Too Many Requests', `Too many attempts. Try again in ${Math.ceil(result.retryAfter / 60)} minutes.`, {
      retryAfter: result.retryAfter,
    });
  }
}

export function link(services: CoreServices, path: string, token: string): string {
  const base = services.config.PUBLIC_URL?.replace(/\/$/, '') ?? `http://localhost:${services.config.PORT}`;
  return `${base}${path}?token=${encodeURIComponent(token)}`;
}

export async function sendVerificationEmail(services: CoreServices, user: { id: string; email: string }): Promise<void> {
  const token = await issueToken(services.db, 'verify_email', user.id, 48 * 3600);
  await sendSystemEmail(services.db, services.log, {
    to: user.email,
    purpose: 'verify_email',
    subject: 'Confirm your email for Soshogle',
    text: `Confirm your email address: ${link(services, '/verify-email', token)}\n\nThe link works once and expires in 48 hours.`,
  });
}

/** A one-line answer for the person, e.g. "Check your email". */
const noticeResponse = z.object({ message: z.string() });

/** The password was right and two-factor sign-in is on: send a code to POST /api/auth/two-factor/verify. */
const secondFactorResponse = z.object({
  secondFactor: z.literal('totp'),
  /** When the pending sign-in (an HttpOnly cookie) expires. */
  expiresAt: isoDate,
});

const sessionResponse = z
  .object({
    user: userResponse,
    via: z.enum(['session', 'api_key']),
    /** For a browser session; null for an API key. */
    csrfToken: z.string().nullable(),
    /** The sub-account an agency user is working in; null in their own account. */
    actingAs: userResponse.nullable(),
    /** The account must set up two-factor sign-in; until then only that is allowed. */
    twoFactorSetupRequired: z.boolean(),
  })
  .meta({ id: 'Session', description: 'Who is signed in, and the account being acted in' });

export function authRoutes(services: CoreServices): AnyRoute[] {
  const { db } = services;
  return [
    defineRoute({
      method: 'POST',
      path: '/auth/signup',
      summary: 'Create an account (answers the same whether or not the email is taken)',
      access: 'public',
      status: 202,
      body: z.object({ email, password, name: z.string().trim().min(1).max(100).optional() }),
      response: noticeResponse,
      async handler({ body, http }) {
        await limit(services, `signup:ip:${http.ip}`, signupLimits.perIp, signupLimits.windowSeconds);
        // Hash before looking the email up, so both paths take the same time.
        const hash = await hashPassword(body.password);
        const existing = await db.user.findUnique({ where: { email: body.email }, select: { id: true } });
        if (existing) {
          await sendSystemEmail(db, services.log, {
            to: body.email,
            purpose: 'signup_existing',
            subject: 'Someone tried to sign up with your email',
            text: 'Someone tried to create a Soshogle account with this email, which already has one. If it was you, log in or reset your password.',
          });
        } else {
          const user = await db.user.create({
            data: {
              email: body.email,
              password: hash,
              name: body.name ?? null,
              role: 'USER',
            },
          });
          await audit(db, http, { userId: user.id, action: 'auth.signup' });
          await sendVerificationEmail(services, user);
        }
        return { message: 'Check your email to confirm your address, then log in.' };
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/login',
      summary: 'Log in with email and password; starts a new session, or asks for the second factor when two-factor sign-in is on',
      access: 'public',
      body: z.object({ email, password: z.string().min(1).max(200) }),
      response: z.union([loginResponse, secondFactorResponse]),
      async handler({ body, http }) {
        await limit(services, `login:ip:${http.ip}`, loginLimits.perIp, loginLimits.windowSeconds);
        await limit(services, `login:account:${body.email}`, loginLimits.perAccount, loginLimits.windowSeconds);
        const user = await db.user.findUnique({ where: { email: body.email } });
        if (!(await verifyPassword(body.password, user?.password))) {
          if (user) await audit(db, http, { userId: user.id, actorId: null, action: 'auth.login_failed' });
          throw new Problem(401, 'Unauthorized', 'Invalid email or password');
        }
        await resetRateLimit(db, `login:account:${body.email}`);
        // No session yet: only a pending sign-in that a code must complete.
        if (user!.twoFactorEnabledAt) return { secondFactor: 'totp' as const, ...startSecondFactor(http, services.keyRing, user!.id, 'password') };
        return signIn(db, http, user!.id, 'password');
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/logout',
      summary: 'End this session',
      response: noContent,
      async handler({ auth, http }) {
        if (auth.sessionId) await db.session.deleteMany({ where: { id: auth.sessionId } });
        clearSessionCookie(http);
        await audit(db, http, { userId: auth.userId, action: 'auth.logout' });
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/logout-all',
      summary: 'End every session of this account, on every device',
      response: noContent,
      async handler({ auth, http }) {
        const { count } = await db.session.deleteMany({ where: { userId: auth.userId } });
        clearSessionCookie(http);
        await audit(db, http, { userId: auth.userId, action: 'auth.logout_all', details: { sessions: count } });
      },
    }),

    defineRoute({
      method: 'GET',
      path: '/auth/session',
      summary: 'Who is signed in, the CSRF token for state-changing requests, and the account being acted in',
      response: sessionResponse,
      async handler({ auth, http }) {
        const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, select: userSelect });
        const token = http.cookies.get(sessionCookie);
        const actingAs =
          auth.tenantId === auth.userId ? null : await db.user.findUniqueOrThrow({ where: { id: auth.tenantId }, select: userSelect });
        return {
          user,
          via: auth.via,
          csrfToken: auth.via === 'session' && token ? csrfTokenFor(token) : null,
          actingAs,
          twoFactorSetupRequired: http.state.twoFactorSetupRequired === true,
        };
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/verify-email',
      summary: 'Confirm an email address with the token from the email',
      access: 'public',
      body: z.object({ token: z.string().min(1).max(200) }),
      response: z.object({ verified: z.literal(true) }),
      async handler({ body, http }) {
        const userId = await consumeToken(db, 'verify_email', body.token);
        await db.$transaction(async (tx) => {
          await emailProven(tx, http, services.config.ADMIN_EMAILS, userId, { takeOver: false });
          await audit(tx, http, { userId, action: 'auth.email_verified' });
        });
        return { verified: true as const };
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/verify-email/resend',
      summary: 'Send the verification email again',
      status: 202,
      response: noticeResponse,
      async handler({ auth }) {
        const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { id: true, email: true, emailVerified: true } });
        if (!user.emailVerified) await sendVerificationEmail(services, user);
        return { message: 'If your address is not confirmed yet, a new link is on its way.' };
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/password-reset',
      summary: 'Email a password reset link (answers the same whether or not the email has an account)',
      access: 'public',
      status: 202,
      body: z.object({ email }),
      response: noticeResponse,
      async handler({ body, http }) {
        await limit(services, `reset:ip:${http.ip}`, signupLimits.perIp, signupLimits.windowSeconds);
        const user = await db.user.findUnique({ where: { email: body.email }, select: { id: true, email: true } });
        if (user) {
          const token = await issueToken(db, 'password_reset', user.id, 3600);
          await sendSystemEmail(db, services.log, {
            to: user.email,
            purpose: 'password_reset',
            subject: 'Reset your Soshogle password',
            text: `Choose a new password: ${link(services, '/reset-password', token)}\n\nThe link works once and expires in one hour. If you did not ask for it, ignore this email.`,
          });
          await audit(db, http, { userId: user.id, actorId: null, action: 'auth.password_reset_requested' });
        }
        return { message: 'If that email has an account, a reset link is on its way.' };
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/password-reset/confirm',
      summary: 'Set a new password with the token from the email; ends every session',
      access: 'public',
      body: z.object({ token: z.string().min(1).max(200), password }),
      response: z.object({ reset: z.literal(true) }),
      async handler({ body, http }) {
        const hash = await hashPassword(body.password);
        const userId = await consumeToken(db, 'password_reset', body.token);
        await db.$transaction(async (tx) => {
          await emailProven(tx, http, services.config.ADMIN_EMAILS, userId, { takeOver: true });
          await tx.user.update({ where: { id: userId }, data: { password: hash } });
          await tx.session.deleteMany({ where: { userId } });
          await audit(tx, http, { userId, actorId: null, action: 'auth.password_reset' });
        });
        return { reset: true as const };
      },
    }),
  ];
}
