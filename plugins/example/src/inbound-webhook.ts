// A webhook at one shared URL, signed with one secret from the plugin's config; the
// tenant is found from the body (real providers name it by their own account ids).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { defineWebhook } from '@soshogle/core';
import { z } from 'zod';
import { exampleConfig } from './config.ts';
import { recordPing } from './pings.ts';

const delivery = z.object({ id: z.string().min(1), userId: z.string().min(1), message: z.string().min(1).max(500) });

/** `X-Example-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`, the shape most providers use. */
export function signExample(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** Constant-time comparison of a received signature header with the expected one. */
export function sameSignature(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
}

export const inboundWebhook = defineWebhook({
  config: exampleConfig,
  path: '/inbound',
  verify({ rawBody, headers }, { config }) {
    return Boolean(config.webhookSecret) && sameSignature(headers['x-example-signature'], signExample(config.webhookSecret!, rawBody));
  },
  deliveryId: ({ rawBody }) => delivery.parse(JSON.parse(rawBody.toString('utf8'))).id,
  // Real providers name the account by their own ids (a phone number, an account sid).
  async tenant({ rawBody }, lookup) {
    const { userId } = delivery.parse(JSON.parse(rawBody.toString('utf8')));
    return (await lookup.user.findUnique({ where: { id: userId }, select: { id: true } }))?.id ?? null;
  },
  async handle({ rawBody }, ctx) {
    const body = delivery.parse(JSON.parse(rawBody.toString('utf8')));
    await recordPing(ctx.tx, ctx, { message: body.message, source: 'webhook' });
  },
});
