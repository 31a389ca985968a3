// Two-factor sign-in: a TOTP authenticator app (totp.ts) plus ten one-time recovery codes.
// Set up in profile settings (start, confirm with a first code, codes shown once), then
// asked for at every log-in: the first factor (password or Google) only earns a short-lived
// signed "pending second factor" cookie, and no session exists until a code passes. An
// agency (for itself and its sub-accounts) or an admin (for any account) can require it:
// such an account without it is signed in only to set it up (Session.twoFactorSetupRequired,
// checked where routes are mounted).
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '@soshogle/db';
import type { Context } from 'koa';
import { z } from 'zod';
import { conflict, invalid, Problem, refuse } from '../http/problem.ts';
import { isoDate } from '../http/wire.ts';
import { defineRoute, noContent, type AnyRoute, type Auth } from '../plugin.ts';
import { decryptSecret, encryptSecret, signWith, verifyWith, type KeyRing } from '../secrets.ts';
import type { CoreServices } from '../services.ts';
import { audit } from './audit.ts';
import { verifyPassword } from './passwords.ts';
import { hitRateLimits, resetRateLimit } from './rate-limit.ts';
import { newTotpSecret, matchTotp, otpauthUri } from './totp.ts';
import { hashToken } from './tokens.ts';
import { loginResponse, signIn, type FirstFactor } from './sessions.ts';
import { requiredFor, requirementSelect, syncTwoFactorSetup } from './two-factor-requirement.ts';

/** Holds the pending second factor between the two steps of a log-in. */
export const pendingCookie = 'soshogle_2fa';
const pendingPath = '/api/auth/two-factor';
const pendingMinutes = 5;
const pendingPurpose = 'auth:two-factor-pending';
/**
 * Per account and per address, like passwords. At 10 codes per 15 minutes, hitting one of the
 * 3 codes in a million the window accepts takes about a year on average, password known.
 */
export const secondFactorLimits = { perAccount: 10, perIp: 50, windowSeconds: 15 * 60 };
const recoveryCodeCount = 10;

/** The routes an account that must set up two-factor sign-in can still use. */
export const allowedDuringTwoFactorSetup = new Set(
  ['/auth/session', '/auth/logout', '/auth/logout-all', '/auth/verify-email/resend', '/auth/two-factor', '/auth/two-factor/setup', '/auth/two-factor/confirm'].map(
    (p) => `/api${p}`,
  ),
);

const secretContext = (userId: string) => `User.twoFactorSecret:${userId}`;

// ---- the pending second factor: `<userId>.<expires ms>.<first factor>.<signature>` ---------

/** The first factor passed: the browser gets the pending cookie (HttpOnly) and must send a code within minutes. */
export function startSecondFactor(http: Context, ring: KeyRing, userId: string, via: FirstFactor): { expiresAt: Date } {
  const expires = Date.now() + pendingMinutes * 60_000;
  const data = `${userId}.${expires}.${via}`;
  http.cookies.set(pendingCookie, `${data}.${signWith(ring, pendingPurpose, data)}`, {
    httpOnly: true,
    sameSite: 'lax',
    secure: http.secure,
    path: pendingPath,
    expires: new Date(expires),
    overwrite: true,
  });
  return { expiresAt: new Date(expires) };
}

function readPending(http: Context, ring: KeyRing): { userId: string; via: FirstFactor } | undefined {
  const [userId, expires, via, signature, ...rest] = (http.cookies.get(pendingCookie) ?? '').split('.');
  if (rest.length || !userId || !expires || !signature || (via !== 'password' && via !== 'google')) return undefined;
  if (!verifyWith(ring, pendingPurpose, `${userId}.${expires}.${via}`, signature)) return undefined;
  return Number(expires) > Date.now() ? { userId, via } : undefined;
}

function clearPending(http: Context): void {
  http.cookies.set(pendingCookie, '', { httpOnly: true, sameSite: 'lax', path: pendingPath, expires: new Date(0), overwrite: true });
}

// ---- codes ----------------------------------------------------------------------------------

/** Ten recovery codes such as `7kq2-mx9d-4hpa` (60 random bits each) and the hashes kept of them. */
function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const codes = Array.from({ length: recoveryCodeCount }, () => {
    // 12 characters from 31: ~59 bits; the modulo bias of 256 % 31 is too small to matter here.
    const chars = [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
  });
  return { codes, hashes: codes.map(recoveryHash) };
}

/** What is stored of a recovery code: dashes, spaces and case do not matter when it is typed. */
const recoveryHash = (code: string) => hashToken(`recovery:${code.toLowerCase().replace(/[\s-]/g, '')}`);

const codeBody = z.object({
  code: z.string().trim().min(1, 'enter the code from your authenticator app').max(64),
});

type CodeKind = 'totp' | 'recovery_code';

/**
 * Checks a code for `userId`: a 6-digit TOTP code of a step not used before, or (when
 * `recovery` is allowed) an unused recovery code, which is used up. Counts against the rate
 * limits first; a wrong code is audited and answers 422 naming `body.code`.
 */
async function checkCode(
  services: CoreServices,
  http: Context,
  userId: string,
  code: string,
  options: { recovery: boolean; during: string },
): Promise<CodeKind> {
  const { db, keyRing } = services;
  const [account, ip] = await hitRateLimits(db, [
    { key: `2fa:account:${userId}`, limit: secondFactorLimits.perAccount, windowSeconds: secondFactorLimits.windowSeconds },
    { key: `2fa:ip:${http.ip}`, limit: secondFactorLimits.perIp, windowSeconds: secondFactorLimits.windowSeconds },
  ]);
  for (const result of [account!, ip!]) {
    if (!result.allowed) {
      throw new Problem(429, 'Too Many Requests', `Too many codes tried. Try again in ${Math.ceil(result.retryAfter / 60)} minutes.`, { retryAfter: result.retryAfter });
    }
  }
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { twoFactorSecret: true, twoFactorRecoveryCodes: true } });
  const secret = user.twoFactorSecret ? decryptSecret(keyRing, user.twoFactorSecret, secretContext(userId)) : undefined;
  const digits = code.replace(/\s/g, '');
  let kind: CodeKind | undefined;
  if (secret && /^\d{6}$/.test(digits)) {
    const step = matchTotp(secret, digits);
    // Claiming the step is the check: of two requests with one code, only one moves it on.
    if (step !== null) {
      const { count } = await db.user.updateMany({
        where: { id: userId, OR: [{ twoFactorLastStep: null }, { twoFactorLastStep: { lt: step } }] },
        data: { twoFactorLastStep: step },
      });
      if (count === 1) kind = 'totp';
    }
  } else if (options.recovery) {
    // array_remove in one statement: two requests with one code cannot both use it.
    const hash = recoveryHash(code);
    const used = await db.$executeRaw`
      update "User" set "twoFactorRecoveryCodes" = array_remove("twoFactorRecoveryCodes", ${hash})
      where id = ${userId} and ${hash} = any("twoFactorRecoveryCodes")`;
    if (used === 1) {
      kind = 'recovery_code';
      await audit(db, http, { userId, action: 'two_factor.recovery_code_used', details: { left: user.twoFactorRecoveryCodes.length - 1 } });
    }
  }
  if (!kind) {
    await audit(db, http, { userId, action: 'two_factor.failed', details: { during: options.during } });
    throw invalid('body.code', options.recovery ? 'wrong or already used code: enter the current code from your app, or a recovery code' : 'wrong or already used code: enter the current code from your app');
  }
  await resetRateLimit(db, `2fa:account:${userId}`);
  return kind;
}

function sessionOnly(auth: Auth): void {
  if (auth.via !== 'session') throw new Problem(403, 'Forbidden', 'Two-factor sign-in is managed in a signed-in session, not with an API key');
}

// ---- routes ---------------------------------------------------------------------------------

const statusResponse = z
  .object({
    enabled: z.boolean(),
    enabledAt: isoDate.nullable(),
    /** Unused recovery codes. */
    recoveryCodesLeft: z.number().int(),
    /** Whether this account must use it (its own setting, or its agency's). */
    required: z.boolean(),
  })
  .meta({ id: 'TwoFactorStatus', description: "The signed-in user's two-factor sign-in" });

const recoveryCodesResponse = z.object({
  /** Shown in this answer only: each works once, in place of a code from the app. */
  recoveryCodes: z.array(z.string()),
});

/**
 * The second step of a log-in, and what finishes one: `signIn` starts the session for the
 * user whose first (and, where on, second) factor passed.
 */
export function twoFactorRoutes(services: CoreServices): AnyRoute[] {
  const { db, keyRing } = services;
  return [
    defineRoute({
      method: 'GET',
      path: '/auth/two-factor',
      summary: 'Whether two-factor sign-in is on for the signed-in user, and required',
      response: statusResponse,
      async handler({ auth }) {
        const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { ...requirementSelect, twoFactorRecoveryCodes: true } });
        return {
          enabled: !!user.twoFactorEnabledAt,
          enabledAt: user.twoFactorEnabledAt,
          recoveryCodesLeft: user.twoFactorEnabledAt ? user.twoFactorRecoveryCodes.length : 0,
          required: requiredFor(user),
        };
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/two-factor/setup',
      summary: 'Start setting up two-factor sign-in: a new secret for an authenticator app (on only once confirmed with a code)',
      response: z.object({
        /** Base32, for typing into the app by hand. */
        secret: z.string(),
        /** The otpauth:// URI the app scans as a QR code. */
        otpauthUri: z.string(),
      }),
      async handler({ auth }) {
        sessionOnly(auth);
        const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { email: true, twoFactorEnabledAt: true } });
        if (user.twoFactorEnabledAt) throw conflict('Two-factor sign-in is already on: remove it first to use another app', 'enabled');
        const secret = newTotpSecret();
        await db.user.update({
          where: { id: auth.userId },
          data: { twoFactorSecret: encryptSecret(keyRing, secret, secretContext(auth.userId)), twoFactorLastStep: null, twoFactorRecoveryCodes: [] },
        });
        return { secret, otpauthUri: otpauthUri(secret, user.email) };
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/two-factor/confirm',
      summary: 'Turn two-factor sign-in on with a first code from the app; answers the recovery codes, once',
      body: codeBody,
      response: recoveryCodesResponse,
      async handler({ auth, body, http }) {
        sessionOnly(auth);
        const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { twoFactorSecret: true, twoFactorEnabledAt: true } });
        if (user.twoFactorEnabledAt) throw conflict('Two-factor sign-in is already on', 'enabled');
        if (!user.twoFactorSecret) throw conflict('Start the setup first (POST /api/auth/two-factor/setup)', 'secret');
        await checkCode(services, http, auth.userId, body.code, { recovery: false, during: 'confirm' });
        const { codes, hashes } = newRecoveryCodes();
        await db.$transaction(async (tx) => {
          await tx.user.update({ where: { id: auth.userId }, data: { twoFactorEnabledAt: new Date(), twoFactorRecoveryCodes: hashes } });
          await syncTwoFactorSetup(tx, { id: auth.userId });
          await audit(tx, http, { userId: auth.userId, action: 'two_factor.enabled' });
        });
        return { recoveryCodes: codes };
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/two-factor/recovery-codes',
      summary: 'Replace the recovery codes (needs a code from the app); the old ones stop working',
      body: codeBody,
      response: recoveryCodesResponse,
      async handler({ auth, body, http }) {
        sessionOnly(auth);
        const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { twoFactorEnabledAt: true } });
        if (!user.twoFactorEnabledAt) throw conflict('Two-factor sign-in is off', 'enabled');
        await checkCode(services, http, auth.userId, body.code, { recovery: false, during: 'recovery_codes' });
        const { codes, hashes } = newRecoveryCodes();
        // The new codes and their audit line commit together, as enabling does.
        await db.$transaction(async (tx) => {
          await tx.user.update({ where: { id: auth.userId }, data: { twoFactorRecoveryCodes: hashes } });
          await audit(tx, http, { userId: auth.userId, action: 'two_factor.recovery_codes_regenerated' });
        });
        return { recoveryCodes: codes };
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/two-factor/disable',
      summary: 'Turn two-factor sign-in off; needs the password, or a code from the app or a recovery code',
      body: z.object({ password: z.string().min(1).max(200).optional(), code: z.string().trim().min(1).max(64).optional() }),
      response: noContent,
      async handler({ auth, body, http }) {
        sessionOnly(auth);
        const user = await db.user.findUniqueOrThrow({ where: { id: auth.userId }, select: { password: true, twoFactorEnabledAt: true } });
        if (!user.twoFactorEnabledAt) throw conflict('Two-factor sign-in is off', 'enabled');
        if (body.code !== undefined) {
          await checkCode(services, http, auth.userId, body.code, { recovery: true, during: 'disable' });
        } else if (body.password !== undefined) {
          await limitPassword(services, http, auth.userId);
          if (!(await verifyPassword(body.password, user.password))) {
            await audit(db, http, { userId: auth.userId, action: 'two_factor.failed', details: { during: 'disable', factor: 'password' } });
            throw invalid('body.password', 'wrong password');
          }
        } else {
          throw invalid([{ field: 'body.password', message: 'enter your password, or a code from your app' }]);
        }
        await db.$transaction(async (tx) => {
          await tx.user.update({
            where: { id: auth.userId },
            data: { twoFactorSecret: null, twoFactorEnabledAt: null, twoFactorLastStep: null, twoFactorRecoveryCodes: [] },
          });
          // Required by the agency or an admin: back to setting it up.
          await syncTwoFactorSetup(tx, { id: auth.userId });
          await audit(tx, http, { userId: auth.userId, action: 'two_factor.disabled', details: { with: body.code !== undefined ? 'code' : 'password' } });
        });
      },
    }),

    defineRoute({
      method: 'POST',
      path: '/auth/two-factor/verify',
      summary: 'The second step of a log-in: a code from the app or a recovery code; starts the session',
      access: 'public',
      body: codeBody,
      response: loginResponse,
      async handler({ body, http }) {
        const pending = readPending(http, keyRing);
        if (!pending) throw refuse(401, 'This sign-in has expired or was started in another browser. Log in again.');
        const kind = await checkCode(services, http, pending.userId, body.code, { recovery: true, during: 'login' });
        clearPending(http);
        return signIn(db, http, pending.userId, pending.via, { secondFactor: kind });
      },
    }),
  ];
}

async function limitPassword(services: CoreServices, http: Context, userId: string): Promise<void> {
  const [result] = await hitRateLimits(services.db, [{ key: `2fa:account:${userId}`, limit: secondFactorLimits.perAccount, windowSeconds: secondFactorLimits.windowSeconds }]);
  if (!result!.allowed) throw new Problem(429, 'Too Many Requests', 'Too many attempts. Try again later.', { retryAfter: result!.retryAfter });
}

/** The agency's (or, by an admin, any account's) requirement, with the sessions it concerns brought in line. */
export async function setTwoFactorRequired(db: PrismaClient, http: Context, userId: string, required: boolean, actorId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { twoFactorRequired: required } });
    // The account itself, and the sub-accounts an agency's requirement covers.
    await syncTwoFactorSetup(tx, { OR: [{ id: userId }, { agencyId: userId, role: 'SUB_ACCOUNT' }] });
    await audit(tx, http, { userId, actorId, action: required ? 'two_factor.required' : 'two_factor.not_required' });
  });
}
