import { createHmac, timingSafeEqual } from 'node:crypto';
import { defineWebhook } from '@soshogle/core';
import { z } from 'zod';
import { exampleConfig } from './config.ts';

const delivery = z.object({ id: z.string().min(1), userId: z.string().min(1), message: z.string().min(1).max(500) });

/** `X-Example-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`, the shape most providers use. */
export function signExample(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export const inboundWebhook = defineWebhook({
  config: exampleConfig,
  path: '/inbound',
  verify({ rawBody, headers }, { config }) {
    const given = headers['x-example-signature'];
    if (!config.webhookSecret || typeof given !== 'string') return false;
    const expected = Buffer.from(signExample(config.webhookSecret, rawBody));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  },
  deliveryId: ({ rawBody }) => delivery.parse(JSON.parse(rawBody.toString('utf8'))).id,
  // Real providers name the account by their own ids (a phone number, an account sid).
  async tenant({ rawBody }, lookup) {
    const { userId } = delivery.parse(JSON.parse(rawBody.toString('utf8')));
    return (await lookup.user.findUnique({ where: { id: userId }, select: { id: true } }))?.id ?? null;
  },
  async handle({ rawBody }, { tx, events, tenantId }) {
    const body = delivery.parse(JSON.parse(rawBody.toString('utf8')));
    await events.raise(tx, 'example.pinged', { message: body.message }, { tenantId });
  },
});
