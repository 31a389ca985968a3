// TOTP (RFC 6238) as authenticator apps use it: HMAC-SHA-1, 30-second steps, 6 digits.
// Written on node:crypto rather than a library: HOTP (RFC 4226) is one HMAC and a dynamic
// truncation, and base32 a few lines, so a dependency would add more to review than it saves.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const totpStepSeconds = 30;
export const totpDigits = 6;
/** Steps accepted either side of now: clocks drift, and people type slowly. */
export const totpWindow = 1;

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: how authenticator apps take a secret. */
export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index === -1) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new secret: 160 bits, the HMAC-SHA-1 key size RFC 4226 recommends, in base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** The HOTP value of `counter` (RFC 4226 section 5.3), zero-padded to 6 digits. */
export function hotp(secret: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** totpDigits;
  return String(code).padStart(totpDigits, '0');
}

/** The time step of `now` (ms). */
export function totpStep(now = Date.now()): number {
  return Math.floor(now / 1000 / totpStepSeconds);
}

/** The code an authenticator shows at `now` for a base32 secret. */
export function totpCode(secret: string, now = Date.now()): string {
  return hotp(base32Decode(secret), totpStep(now));
}

/**
 * The time step `code` belongs to, within the window around `now`, or null. The caller
 * must still refuse a step already used (User.twoFactorLastStep).
 */
export function matchTotp(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const key = base32Decode(secret);
  const step = totpStep(now);
  let found: number | null = null;
  // Every candidate is compared, in constant time, so the answer's timing tells nothing.
  for (let s = step - totpWindow; s <= step + totpWindow; s++) {
    if (timingSafeEqual(Buffer.from(hotp(key, s)), Buffer.from(code)) && found === null) found = s;
  }
  return found;
}

/** The otpauth:// URI an authenticator app scans (Google Authenticator's key URI format). */
export function otpauthUri(secret: string, account: string, issuer = 'Soshogle'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: String(totpDigits), period: String(totpStepSeconds) });
  return `otpauth://totp/${label}?${query.toString()}`;
}
