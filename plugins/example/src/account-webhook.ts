// A webhook at each tenant's own URL, signed with that tenant's own secret: the shape of
// providers where every customer has an account of their own (Twilio, SendGrid, Meta).
// The tenant comes from the URL and its secret from its saved connection, so the
// signature is checked before anything reads the body.
import { defineWebhook } from '@soshogle/core';
import { z } from 'zod';
import { exampleAccount, type ExampleAccount } from './connection.ts';
import { sameSignature, signExample } from './inbound-webhook.ts';
import { recordPing } from './pings.ts';

const delivery = z.object({ id: z.string().min(1), message: z.string().min(1).max(500) });

export const accountWebhook = defineWebhook({
  path: '/:tenant/account',
  async verify({ rawBody, headers }, { credentials }) {
    const account = await credentials?.get<ExampleAccount>(exampleAccount.provider);
    return Boolean(account) && sameSignature(headers['x-example-signature'], signExample(account!.webhookSecret, rawBody));
  },
  deliveryId: ({ rawBody }) => delivery.parse(JSON.parse(rawBody.toString('utf8'))).id,
  async handle({ rawBody }, ctx) {
    const body = delivery.parse(JSON.parse(rawBody.toString('utf8')));
    await recordPing(ctx.tx, ctx, { message: body.message, source: 'webhook' });
  },
  // The subscription handshake some providers make before sending anything (Meta's).
  async handshake(query, { credentials }) {
    const account = await credentials?.get<ExampleAccount>(exampleAccount.provider);
    const ok = account && query.get('hub.mode') === 'subscribe' && query.get('hub.verify_token') === account.verifyToken;
    return ok ? (query.get('hub.challenge') ?? '') : null;
  },
});
