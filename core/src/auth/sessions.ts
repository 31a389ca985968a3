import type { PrismaClient } from '@soshogle/db';
import type { Context } from 'koa';
import { hashToken, newToken } from './tokens.ts';

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
export async function startSession(db: PrismaClient, http: Context, userId: string): Promise<{ csrfToken: string }> {
  const previous = http.cookies.get(sessionCookie);
  if (previous) await db.session.deleteMany({ where: { sessionToken: hashToken(previous) } });
  const token = newToken();
  const expires = new Date(Date.now() + sessionDays * 86_400_000);
  await db.session.create({
    data: { sessionToken: hashToken(token), userId, expires, ip: http.ip, userAgent: http.get('user-agent')?.slice(0, 300) || null },
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
