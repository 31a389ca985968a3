// ElevenLabs' post-call webhook signature, checked here rather than with the SDK's
// constructEvent, which takes any future timestamp and compares with !==:
// `ElevenLabs-Signature: t=<unix seconds>,v0=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
// over the raw bytes, the timestamp within `toleranceSeconds` of our clock either way
// (a replay later, or a forged time ahead), compared in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifyElevenlabsSignature(rawBody: Buffer, header: unknown, secret: string, toleranceSeconds: number, now = Date.now()): boolean {
  if (typeof header !== 'string' || header.length > 1000) return false;
  const parts = header.split(',').map((part) => part.trim());
  const stamps = parts.filter((p) => p.startsWith('t=')).map((p) => p.slice(2));
  const macs = parts.filter((p) => p.startsWith('v0=')).map((p) => p.slice(3));
  if (stamps.length !== 1 || !/^\d{1,12}$/.test(stamps[0]!) || !macs.length) return false;
  const timestamp = Number(stamps[0]);
  if (Math.abs(Math.floor(now / 1000) - timestamp) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  return macs.some((mac) => {
    if (!/^[0-9a-f]{64}$/i.test(mac)) return false;
    return timingSafeEqual(Buffer.from(mac, 'hex'), expected);
  });
}
