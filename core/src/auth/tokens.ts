import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random token (256 bits) to hand to a user once. */
export function newToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What we store instead of a token: a leaked row cannot be replayed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Compares two secrets in constant time (hashing first makes the lengths equal). */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(hashToken(given)), Buffer.from(hashToken(expected)));
}
