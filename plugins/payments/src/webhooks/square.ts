// Square's webhooks at each tenant's own URL (/webhooks/payments/<tenant>/square): payment
// and refund events of the tenant's Square account. Square signs each with the
// subscription's signature key: x-square-hmacsha256-signature = base64 HMAC-SHA256 over the
// notification URL followed by the raw body. The signature carries no time, so a captured
// delivery verifies forever: the core records each event_id (deliveryId) and acknowledges a
// replay without handling it; an old event under a new id can only repeat what state.ts has
// already applied, since it moves a payment forward only.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { defineWebhook, Problem, type WebhookRequest, type WebhookVerifyContext } from '@soshogle/core';
import { serialization, type Square } from 'square';
import { z } from 'zod';
import type { PaymentUpdate } from '../capabilities.ts';
import { paymentsConfig } from '../config.ts';
import type { SquareCredentials } from '../providers/square.ts';
import { paymentUpdateOf, refundUpdateOf } from '../providers/square-updates.ts';
import { applyPaymentUpdates } from '../state.ts';

/** base64 HMAC-SHA256(signature key, notification URL + raw body). */
export function squareSignature(signatureKey: string, notificationUrl: string, rawBody: Buffer | string): string {
  return createHmac('sha256', signatureKey).update(notificationUrl).update(rawBody).digest('base64');
}

async function verifySquare(request: WebhookRequest, { credentials }: WebhookVerifyContext): Promise<boolean> {
  const account = await credentials?.get<SquareCredentials>('square');
  const given = request.headers['x-square-hmacsha256-signature'];
  if (!account || typeof given !== 'string') return false;
  // Our own constant-time compare: the SDK's WebhooksHelper compares with ===.
  const expected = Buffer.from(squareSignature(account.signatureKey, request.url, request.rawBody), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

// Square's event ids are UUIDs; anything else (a NUL byte, a megabyte) is not recorded.
const envelope = z.object({ event_id: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/), type: z.string().min(1).max(100) });
const read = (request: WebhookRequest) => envelope.parse(JSON.parse(request.rawBody.toString('utf8')));

// Square's JSON read by the SDK's own schemas (camelCase, money as BigInt), as its API answers are.
const lenient = { unrecognizedObjectKeys: 'passthrough', allowUnrecognizedEnumValues: true, allowUnrecognizedUnionMembers: true, skipValidation: true } as const;

/** What one verified delivery says, as PaymentUpdates (none for events we do not follow). */
export function squareUpdatesOf(rawBody: Buffer): PaymentUpdate[] {
  const json: unknown = JSON.parse(rawBody.toString('utf8'));
  const { type } = envelope.parse(json);
  if (type === 'payment.created' || type === 'payment.updated') {
    const event: Square.PaymentUpdatedEvent = serialization.PaymentUpdatedEvent.parseOrThrow(json, lenient);
    const payment = event.data?.object?.payment;
    const update = payment && paymentUpdateOf(payment);
    return update ? [update] : [];
  }
  if (type === 'refund.created' || type === 'refund.updated') {
    const event: Square.RefundUpdatedEvent = serialization.RefundUpdatedEvent.parseOrThrow(json, lenient);
    const refund = event.data?.object?.refund;
    const update = refund && refundUpdateOf(refund);
    return update ? [update] : [];
  }
  return [];
}

export const squareWebhook = defineWebhook({
  config: paymentsConfig,
  summary: "Square's payment and refund events (payment.created|updated, refund.created|updated)",
  path: '/:tenant/square',
  verify: verifySquare,
  deliveryId: (request) => {
    // Read whole before the answer: signed but unreadable will not read better on Square's
    // retry, nor on ours after the answer, so it is a 400 now.
    try {
      squareUpdatesOf(request.rawBody);
    } catch (error) {
      throw new Problem(400, 'Bad Request', `Malformed Square event: ${(error as Error).message}`);
    }
    return read(request).event_id;
  },
  async handle(request, ctx) {
    await applyPaymentUpdates(ctx, ctx.tx, squareUpdatesOf(request.rawBody));
  },
});
