// PayPal's webhook signature (the SDK has no verifier). Each delivery carries
// PAYPAL-TRANSMISSION-ID, -TIME, -SIG, PAYPAL-CERT-URL and PAYPAL-AUTH-ALGO (SHA256withRSA):
// the signature is RSA-SHA256 over `transmissionId|transmissionTime|webhookId|crc32(body)`
// with the key of the certificate at the cert URL. Checked here over the raw bytes, with
// the cert fetched only from PayPal's own origins (config) and a time window; or by asking
// PayPal (POST /v1/notifications/verify-webhook-signature), which also checks the chain.
import { verify as verifySignature, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { WebhookRequest } from '@soshogle/core';
import { paypalApiBase, type PaypalAccount } from '../providers/paypal-client.ts';

/** How far a transmission time may be from our clock: PayPal signs the time, so an old delivery replayed later is refused. */
export const transmissionWindowMs = 5 * 60_000;

export interface Transmission {
  id: string;
  time: string;
  sig: string;
  certUrl: string;
  algo: string;
}

const header = (request: WebhookRequest, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
};

export function transmissionOf(request: WebhookRequest): Transmission | null {
  const id = header(request, 'paypal-transmission-id');
  const time = header(request, 'paypal-transmission-time');
  const sig = header(request, 'paypal-transmission-sig');
  const certUrl = header(request, 'paypal-cert-url');
  const algo = header(request, 'paypal-auth-algo');
  return id && time && sig && certUrl && algo ? { id, time, sig, certUrl, algo } : null;
}

/** What PayPal signs; the CRC is the unsigned decimal CRC-32 of the raw body. */
export const signedText = (transmissionId: string, transmissionTime: string, webhookId: string, rawBody: Buffer) =>
  `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(rawBody) >>> 0}`;

// PayPal's certificates, by URL: each is fetched once per process (their URLs name the cert).
const certificates = new Map<string, X509Certificate>();
const maxCertificates = 50;

async function certificateAt(url: string): Promise<X509Certificate> {
  const known = certificates.get(url);
  if (known) return known;
  const res = await fetch(url, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
  if (!res.ok) throw new Error(`PayPal certificate ${url}: ${res.status}`);
  const cert = new X509Certificate(await res.text());
  if (certificates.size >= maxCertificates) certificates.delete(certificates.keys().next().value!);
  certificates.set(url, cert);
  return cert;
}

/** Whether the (signed) transmission time is within the window of our clock, either way. */
export function isFresh(transmission: Transmission, now = Date.now()): boolean {
  const sentAt = Date.parse(transmission.time);
  return !Number.isNaN(sentAt) && Math.abs(now - sentAt) <= transmissionWindowMs;
}

/**
 * The signature checked here: a known algorithm, a certificate from an allowed origin and
 * in its validity period, and the RSA signature.
 */
export async function verifiedLocally(request: WebhookRequest, transmission: Transmission, webhookId: string, certOrigins: string[], now = Date.now()): Promise<boolean> {
  if (transmission.algo !== 'SHA256withRSA') return false;
  let certUrl: URL;
  try {
    certUrl = new URL(transmission.certUrl);
  } catch {
    return false;
  }
  if (!certOrigins.includes(certUrl.origin) || certUrl.username || certUrl.password) return false;
  try {
    const cert = await certificateAt(certUrl.href);
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return false;
    const text = Buffer.from(signedText(transmission.id, transmission.time, webhookId, request.rawBody), 'utf8');
    return verifySignature('sha256', text, cert.publicKey, Buffer.from(transmission.sig, 'base64'));
  } catch {
    return false; // no certificate, or not one: refused, and PayPal retries
  }
}

/**
 * PayPal's own check. The event goes back as the exact bytes received (spliced into the
 * JSON, never re-serialised): PayPal's CRC is over them.
 */
export async function verifiedByPostback(request: WebhookRequest, transmission: Transmission, account: PaypalAccount, apiUrl: string): Promise<boolean> {
  const base = paypalApiBase(apiUrl, account);
  try {
    JSON.parse(request.rawBody.toString('utf8'));
    const token = await fetch(`${base}/v1/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${account.clientId}:${account.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(10_000),
    });
    if (!token.ok) return false;
    const { access_token: accessToken } = (await token.json()) as { access_token?: string };
    const fields = JSON.stringify({
      auth_algo: transmission.algo, cert_url: transmission.certUrl, transmission_id: transmission.id,
      transmission_sig: transmission.sig, transmission_time: transmission.time, webhook_id: account.webhookId,
    });
    const body = `${fields.slice(0, -1)},"webhook_event":${request.rawBody.toString('utf8')}}`;
    const res = await fetch(`${base}/v1/notifications/verify-webhook-signature`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) return false;
    return ((await res.json()) as { verification_status?: string }).verification_status === 'SUCCESS';
  } catch {
    return false;
  }
}
