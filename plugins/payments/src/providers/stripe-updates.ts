// What Stripe's objects say about a payment, as PaymentUpdates: one reading for webhooks
// (webhooks/stripe.ts) and for reconciliation (retrieve in providers/stripe.ts), so both
// tell state.ts the same thing.
import type { RefundStatus } from '@soshogle/db';
import type Stripe from 'stripe';
import { checkoutExpiry, type PaymentMatch, type PaymentUpdate } from '../capabilities.ts';

type PaymentStatusUpdate = Extract<PaymentUpdate, { kind: 'payment' }>;

const idOf = (value: string | { id: string } | null | undefined) => (typeof value === 'string' ? value : (value?.id ?? null));
const at = (seconds: number) => new Date(seconds * 1000);

/** Our payment id, where we put it (metadata.payment_id, client_reference_id). */
function ours(metadata: Stripe.Metadata | null | undefined, reference?: string | null): string | null {
  return metadata?.payment_id ?? reference ?? null;
}

/** A Checkout Session: paid, paid later (bank debits: PROCESSING until the async event), or expired. */
export function sessionUpdates(session: Stripe.Checkout.Session, when: Date, asyncResult?: 'succeeded' | 'failed'): PaymentUpdate[] {
  const intentId = idOf(session.payment_intent);
  const payment: PaymentMatch = { id: ours(session.metadata, session.client_reference_id), checkoutId: session.id, stripePaymentIntentId: intentId };
  const base = { kind: 'payment' as const, payment, at: when, ...(intentId ? { ids: { stripePaymentIntentId: intentId } } : {}) };
  let status: PaymentStatusUpdate['status'] | null = null;
  let failureReason: string | null = null;
  if (asyncResult === 'succeeded') status = 'SUCCEEDED';
  else if (asyncResult === 'failed') [status, failureReason] = ['FAILED', 'async_payment_failed'];
  else if (session.status === 'expired') [status, failureReason] = ['FAILED', 'expired'];
  else if (session.status === 'complete') status = session.payment_status === 'unpaid' ? 'PROCESSING' : 'SUCCEEDED';
  if (!status) return [];
  // An expired session takes no payment: the pay page makes a new one if the payer comes back.
  const ended = failureReason === 'expired' ? { providerData: { [checkoutExpiry]: new Date(Math.min(+when, +at(session.expires_at))).toISOString() } } : {};
  return [{ ...base, status, ...(status === 'FAILED' ? { failureReason } : {}), ...ended }];
}

/** A PaymentIntent: processing, succeeded, or a failed attempt (the payer may try another card: state.ts lets a later success win). */
export function intentUpdates(intent: Stripe.PaymentIntent, when: Date): PaymentUpdate[] {
  const payment: PaymentMatch = { id: ours(intent.metadata), stripePaymentIntentId: intent.id };
  const base = { kind: 'payment' as const, payment, at: when, ids: { stripePaymentIntentId: intent.id } };
  switch (intent.status) {
    case 'processing':
      return [{ ...base, status: 'PROCESSING' }];
    case 'succeeded':
      return [{ ...base, status: 'SUCCEEDED' }];
    case 'canceled':
      return [{ ...base, status: 'FAILED', failureReason: intent.cancellation_reason ?? 'canceled' }];
    case 'requires_payment_method': {
      const error = intent.last_payment_error;
      return error ? [{ ...base, status: 'FAILED', failureReason: error.decline_code || error.code || 'payment_failed' }] : [];
    }
    default:
      return [];
  }
}

const refundStatusOf: Record<string, RefundStatus> = {
  pending: 'PENDING',
  requires_action: 'PENDING',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  canceled: 'FAILED',
};

export function refundStatus(refund: Stripe.Refund): RefundStatus {
  return refundStatusOf[refund.status ?? 'pending'] ?? 'PENDING';
}

/** A Refund, ours (metadata.refund_id) or made in Stripe's dashboard. */
export function refundUpdate(refund: Stripe.Refund, when: Date): PaymentUpdate | null {
  const intentId = idOf(refund.payment_intent);
  const paymentId = refund.metadata?.payment_id ?? null;
  if (!intentId && !paymentId) return null;
  const status = refundStatus(refund);
  return {
    kind: 'refund',
    payment: { id: paymentId, stripePaymentIntentId: intentId },
    providerRefundId: refund.id,
    refundId: refund.metadata?.refund_id ?? null,
    amountMinor: refund.amount,
    status,
    at: when,
    ...(status === 'FAILED' ? { failureReason: refund.failure_reason ?? refund.status ?? null } : {}),
  };
}

/** The events we act on; any other type says nothing (and is acknowledged). */
export function eventUpdates(event: Stripe.Event): PaymentUpdate[] {
  const when = at(event.created);
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.expired':
      return sessionUpdates(event.data.object, when);
    case 'checkout.session.async_payment_succeeded':
      return sessionUpdates(event.data.object, when, 'succeeded');
    case 'checkout.session.async_payment_failed':
      return sessionUpdates(event.data.object, when, 'failed');
    case 'payment_intent.processing':
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed':
      return intentUpdates(event.data.object, when);
    case 'refund.created':
    case 'refund.updated':
    case 'refund.failed': {
      const update = refundUpdate(event.data.object, when);
      return update ? [update] : [];
    }
    case 'charge.refunded':
      // Recent API versions leave charge.refunds out; the refund.* events carry each refund.
      return (event.data.object.refunds?.data ?? []).map((r) => refundUpdate(r, when)).filter((u): u is PaymentUpdate => !!u);
    default:
      return [];
  }
}
