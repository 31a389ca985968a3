// Cheap defences of a public form against bots, without a captcha, shared by every plugin
// with one (the calendar's booking page, forms): a form token the page gets when it loads,
// signed over the time it was issued and what it is for, which a person's browser cannot
// send back within seconds and which goes stale; plus what a consent record keeps of the
// visitor's address. Signed with the installation's keys (ctx.secrets), so every API process
// accepts every other's tokens, and one issued just before a key rotation still verifies.
import { isIP } from 'node:net';
import type { Secrets } from '../plugin.ts';

type Signer = Pick<Secrets, 'sign' | 'verify'>;

export interface FormTokenOptions {
  /** What the signature is for (default `form-token`); the plugin binds it further (ctx.secrets). */
  purpose?: string;
  now?: number;
}

/** `<issued ms>.<signature>`, signed over the time and `subject` (a calendar, a form): good only where it was issued. */
export function issueFormToken(secrets: Signer, subject: string, options: FormTokenOptions = {}): string {
  const now = options.now ?? Date.now();
  return `${now}.${secrets.sign(options.purpose ?? 'form-token', `${now}.${subject}`)}`;
}

/**
 * The token's age in ms, or null when it is not one issued for `subject`, or is older than
 * `maxAgeMs` (a form left open that long is reloaded).
 */
export function formTokenAge(secrets: Signer, subject: string, token: string, options: FormTokenOptions & { maxAgeMs: number }): number | null {
  const [issued, signature, ...rest] = token.split('.');
  if (rest.length || !issued || !signature || !/^\d{1,15}$/.test(issued)) return null;
  if (!secrets.verify(options.purpose ?? 'form-token', `${issued}.${subject}`, signature)) return null;
  const age = (options.now ?? Date.now()) - Number(issued);
  return age < -60_000 || age > options.maxAgeMs ? null : age;
}

/** What a consent record keeps of the visitor's address: its /24 (IPv4) or /48 (IPv6), not the person. */
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
