// How each provider signs the webhooks it sends us. The fakes sign with these; tests use
// them directly to forge or tamper with a request.
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import twilio from 'twilio';

/** X-Twilio-Signature: base64 HMAC-SHA1(auth token, full URL + each POST param's name and value, sorted by name). */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

/**
 * X-Twilio-Email-Event-Webhook-Signature: base64 of the DER ECDSA P-256 / SHA-256 signature
 * over the timestamp header's value followed by the raw body.
 */
export function sendgridEventSignature(privateKey: KeyObject, timestamp: string, body: string | Buffer): string {
  const payload = Buffer.concat([Buffer.from(timestamp, 'utf8'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')]);
  return sign('sha256', payload, privateKey).toString('base64');
}

/** A key pair like the one SendGrid keeps per account for the Signed Event Webhook. */
export function sendgridEventKeys(): { privateKey: KeyObject; publicKey: string } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  // SendGrid's settings page shows the verification key as base64 DER SubjectPublicKeyInfo, no PEM armour.
  const publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return { privateKey: pair.privateKey, publicKey };
}

/** X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256(app secret, raw body). */
export function metaSignature(appSecret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** X-Hub-Signature, the SHA-1 form Meta still sends alongside the SHA-256 one. */
export function metaSignatureSha1(appSecret: string, body: string | Buffer): string {
  return `sha1=${createHmac('sha1', appSecret).update(body).digest('hex')}`;
}
