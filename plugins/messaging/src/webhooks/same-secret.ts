import { createHash, timingSafeEqual } from 'node:crypto';

/** Whether a presented secret (a token, a verify token) equals ours, in constant time whatever the lengths: both are hashed first. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
