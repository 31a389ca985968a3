// Cheap defences of the public booking form against bots, without a captcha: a hidden field
// people never fill (the honeypot), and a form token a person's browser gets with the slots
// and cannot send back within 2 seconds. A bot caught by either gets a made-up 201, so it
// learns nothing; the rate limits (public-routes.ts) bound the rest.
import { isIP } from 'node:net';
import type { Secrets } from '@soshogle/core';

/** Faster than a person fills the form. */
export const minFormAgeMs = 2_000;
/** A form left open longer is reloaded (its slots are stale anyway). */
export const maxFormAgeMs = 12 * 3_600_000;

// Signed with the installation's keys (ctx.secrets), so every API process accepts every
// other's tokens, and one issued just before a key rotation still verifies after it.
type Signer = Pick<Secrets, 'sign' | 'verify'>;
const purpose = 'booking-form-token';

/** `<issued ms>.<signature>`, signed over the time and the calendar: good only on the page it came with. */
export function issueFormToken(secrets: Signer, calendarId: string, now = Date.now()): string {
  return `${now}.${secrets.sign(purpose, `${now}.${calendarId}`)}`;
}

/** The token's age in ms, or null when it is not one we issued for this calendar (or is too old). */
export function formTokenAge(secrets: Signer, calendarId: string, token: string, now = Date.now()): number | null {
  const [issued, signature, ...rest] = token.split('.');
  if (rest.length || !issued || !signature || !/^\d{1,15}$/.test(issued)) return null;
  if (!secrets.verify(purpose, `${issued}.${calendarId}`, signature)) return null;
  const age = now - Number(issued);
  return age < -60_000 || age > maxFormAgeMs ? null : age;
}

/** What the consent record keeps of the booker's address: its /24 (IPv4) or /48 (IPv6), not the person. */
export function ipPrefix(ip: string): string | null {
  const bare = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  if (isIP(bare) === 4) return `${bare.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIP(bare) !== 6) return null;
  const [head = '', tail = ''] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = bare.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 3).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/48`;
}
