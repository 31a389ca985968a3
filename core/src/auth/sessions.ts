import type { Prisma, PrismaClient } from '@soshogle/db';
import type { Context } from 'koa';
import { z } from 'zod';
import { audit } from './audit.ts';
import { hashToken, newToken } from './tokens.ts';
import { twoFactorSetupDue } from './two-factor-requirement.ts';
import { userResponse, userSelect } from './user.ts';

export const sessionCookie = 'soshogle_session';
export const sessionDays = 30;

/** The CSRF token of a session: derived from its secret token, which only our pages can read back from us. */
export function csrfTokenFor(sessionToken: string): string {
  return hashToken(`csrf:${sessionToken}`).slice(0, 43);
}

/**
 * Starts a session: a new random token (rotated on every login: whatever session this
 * browser had ends), its hash stored, the token itself in an HttpOnly, SameSite=Lax cookie.
 */
export async function startSession(
  db: PrismaClient,
  http: Context,
  userId: string,
  options: { twoFactorSetupRequired?: boolean } = {},
): Promise<{ csrfToken: string }> {
  const previous = http.cookies.get(sessionCookie);
  if (previous) await db.session.deleteMany({ where: { sessionToken: hashToken(previous) } });
  const token = newToken();
  const expires = new Date(Date.now() + sessionDays * 86_400_000);
  await db.session.create({
    data: {
      sessionToken: hashToken(token),
      userId,
      expires,
      ip: http.ip,
      userAgent: http.get('user-agent')?.slice(0, 300) || null,
      twoFactorSetupRequired: options.twoFactorSetupRequired ?? false,
    },
  });
  http.cookies.set(sessionCookie, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: http.secure,
    expires,
    path: '/',
    overwrite: true,
  });
  return { csrfToken: csrfTokenFor(token) };
}

export function clearSessionCookie(http: Context): void {
  http.cookies.set(sessionCookie, '', { httpOnly: true, sameSite: 'lax', expires: new Date(0), path: '/', overwrite: true });
}

/** How a log-in began: the password, or Google. */
export type FirstFactor = 'password' | 'google';

/** The signed-in user and the CSRF token to send as X-CSRF-Token on every change. */
export const loginResponse = z.object({
  user: userResponse,
  csrfToken: z.string(),
  /** The account must set up two-factor sign-in before it can do anything else. */
  twoFactorSetupRequired: z.boolean(),
});

/**
 * Finishes a log-in whose factors all passed: the session (limited to setting up two-factor
 * sign-in when the account must have it and has not), the audit entry, the answer.
 */
export async function signIn(db: PrismaClient, http: Context, userId: string, via: FirstFactor, details?: Prisma.InputJsonValue): Promise<z.output<typeof loginResponse>> {
  const setupDue = await twoFactorSetupDue(db, userId);
  const { csrfToken } = await startSession(db, http, userId, { twoFactorSetupRequired: setupDue });
  await audit(db, http, { userId, action: via === 'google' ? 'auth.login_google' : 'auth.login', ...(details === undefined ? {} : { details }) });
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: userSelect });
  return { user, csrfToken, twoFactorSetupRequired: setupDue };
}
