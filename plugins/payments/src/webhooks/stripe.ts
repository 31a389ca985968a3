// Stripe's webhook at each tenant's own URL (/webhooks/payments/<tenant>/stripe): Checkout
// Session, PaymentIntent and refund events, turned into PaymentUpdates that state.ts
// applies (any order, any repeats). Stripe signs `t.rawBody` with the endpoint's secret
// (Stripe-Signature: t=...,v1=...; several v1 while a secret is rolled); the SDK checks
// the signature in constant time and the age, but takes any timestamp in the future, so
// we refuse those here.
import { defineWebhook, refuse, type WebhookRequest } from '@soshogle/core';
import Stripe from 'stripe';
import { z } from 'zod';
import type { StripeCredentials } from '../providers/stripe.ts';
import { eventUpdates } from '../providers/stripe-updates.ts';
import { applyPaymentUpdates } from '../state.ts';

/** Seconds a signature may be old, or early (a clock ahead of ours, or a forged future time). */
export const signatureToleranceSeconds = 300;

// Only verification: no key, no API calls.
const verifier = new Stripe('sk_test_verify_only');

const envelope = z.object({ id: z.string().min(1), type: z.string().min(1), created: z.number().int() });

function parse(request: WebhookRequest): Stripe.Event {
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw refuse(400, 'Malformed webhook body: not JSON');
  }
  if (!envelope.safeParse(json).success) throw refuse(400, 'Malformed webhook body: not a Stripe event');
  return json as Stripe.Event;
}

/** The signature's timestamp is not ahead of our clock by more than the tolerance. */
function notFromTheFuture(header: string, now = Date.now()): boolean {
  const stamps = header.split(',').filter((part) => part.startsWith('t=')).map((part) => Number(part.slice(2)));
  return stamps.length === 1 && Number.isInteger(stamps[0]) && stamps[0]! <= Math.floor(now / 1000) + signatureToleranceSeconds;
}

/** The check Stripe asks for, plus the future bound; false for anything that does not pass. */
export function verifyStripeSignature(rawBody: Buffer, header: unknown, secret: string): boolean {
  if (typeof header !== 'string' || !notFromTheFuture(header)) return false;
  try {
    verifier.webhooks.constructEvent(rawBody, header, secret, signatureToleranceSeconds);
    return true;
  } catch {
    return false;
  }
}

export const stripeEvents = defineWebhook({
  summary: "Stripe's webhook: Checkout Sessions completed, paid later, failed or expired; PaymentIntents; refunds",
  path: '/:tenant/stripe',
  async verify(request, { credentials }) {
    const account = await credentials?.get<StripeCredentials>('stripe');
    return !!account && verifyStripeSignature(request.rawBody, request.headers['stripe-signature'], account.webhookSecret);
  },
  // Stripe's retries of an event keep its id.
  deliveryId: (request) => parse(request).id,
  async handle(request, ctx) {
    await applyPaymentUpdates(ctx, ctx.tx, eventUpdates(parse(request)));
  },
});
