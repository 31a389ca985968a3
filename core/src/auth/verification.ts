import type { PrismaClient } from '@soshogle/db';
import { Problem } from '../http/problem.ts';
import { hashToken, newToken } from './tokens.ts';

export type TokenPurpose = 'verify_email' | 'password_reset' | 'invite';

/**
 * A single-use, expiring token for `userId` (VerificationToken: identifier
 * `<purpose>:<userId>`, the token's hash). Issuing one replaces earlier ones of the
 * same purpose. Returns the token to put in the email.
 */
export async function issueToken(db: PrismaClient, purpose: TokenPurpose, userId: string, ttlSeconds: number): Promise<string> {
  const token = newToken();
  const identifier = `${purpose}:${userId}`;
  await db.$transaction([
    db.verificationToken.deleteMany({ where: { identifier } }),
    db.verificationToken.create({ data: { identifier, token: hashToken(token), expires: new Date(Date.now() + ttlSeconds * 1000) } }),
  ]);
  return token;
}

const invalid = () => new Problem(400, 'Bad Request', 'This link is invalid or has expired. Ask for a new one.');

/** Uses up a token: returns its user, or a 400 for unknown, expired, used or wrong-purpose tokens. */
export async function consumeToken(db: PrismaClient, purpose: TokenPurpose, token: string): Promise<string> {
  const hash = hashToken(token);
  const found = await db.verificationToken.findUnique({ where: { token: hash } });
  if (!found || !found.identifier.startsWith(`${purpose}:`)) throw invalid();
  // Deleting is the claim: of two concurrent uses, only one deletes the row.
  const { count } = await db.verificationToken.deleteMany({ where: { token: hash } });
  if (count !== 1 || found.expires.getTime() <= Date.now()) throw invalid();
  return found.identifier.slice(purpose.length + 1);
}
