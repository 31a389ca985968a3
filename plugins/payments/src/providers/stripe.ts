// Stripe as the payments.checkout provider: a Checkout Session per payment (the payer pays
// on Stripe's page and comes back to our pay page), refunds against its PaymentIntent, and
// the session, intent and refunds read back for reconciliation. Every call carries our own
// Idempotency-Key: the SDK's automatic one lives for one call only, and a retried job must
// never make a second session or refund.
import { defineProvider, type TenantContext } from '@soshogle/core';
import Stripe from 'stripe';
import { z } from 'zod';
import type { CheckoutProvider, CheckoutRequest, PaymentRef, PaymentUpdate, RefundRequest } from '../capabilities.ts';
import { paymentsConfig, type PaymentsConfig } from '../config.ts';
import { noAnswerError, paymentProviderError } from './errors.ts';
import { intentUpdates, refundStatus, refundUpdate, sessionUpdates } from './stripe-updates.ts';

export const stripeCredentials = z.object({
  secretKey: z.string().regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'A Stripe secret (sk_...) or restricted (rk_...) key'),
  webhookSecret: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, "The webhook endpoint's signing secret (whsec_...)"),
});
export type StripeCredentials = z.output<typeof stripeCredentials>;

/** Stripe's limits on a Checkout Session's expires_at, from its creation (with a minute's margin each side). */
const minExpirySeconds = 31 * 60;
const maxExpirySeconds = 24 * 60 * 60 - 60;

/** The SDK pointed at the configured API (tests: the local fake over http). */
export function stripeClient(apiUrl: string, secretKey: string): Stripe {
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(secretKey, {
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
    // Its retries reuse our Idempotency-Key, so they can never pay or refund twice.
    maxNetworkRetries: 2,
    timeout: 30_000,
    appInfo: { name: 'Soshogle' },
  });
}

/** Any failure of a Stripe call as a PaymentProviderFailure. */
export function stripeFailure(error: unknown): Error {
  if (!(error instanceof Stripe.errors.StripeError)) return error instanceof Error ? error : new Error(String(error));
  if (error.type === 'StripeConnectionError' || error.statusCode === undefined) return noAnswerError('STRIPE', error);
  const status = error.statusCode;
  const code = error.decline_code || error.code || error.rawType || null;
  return paymentProviderError({
    provider: 'STRIPE',
    status,
    code,
    message: `Stripe ${status}${code ? ` ${code}` : ''}: ${error.message}`,
    // A declined card (402) or a wrong request stays so; rate limits, conflicts and Stripe's own errors may pass.
    ...(status === 402 ? { retryable: false } : {}),
    cause: error,
  });
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw stripeFailure(error);
  }
}

function checkoutParams(request: CheckoutRequest, now: Date): Stripe.Checkout.SessionCreateParams {
  const currency = request.currency.toLowerCase();
  const metadata = { payment_id: request.paymentId };
  const secondsLeft = request.expiresAt ? Math.floor((request.expiresAt.getTime() - now.getTime()) / 1000) : null;
  return {
    mode: 'payment',
    line_items: request.lines.map((line) => ({
      quantity: line.quantity,
      price_data: { currency, unit_amount: line.unitAmountMinor, product_data: { name: line.description || request.description } },
    })),
    success_url: request.returnUrl,
    cancel_url: request.cancelUrl,
    client_reference_id: request.paymentId,
    metadata,
    payment_intent_data: { metadata, description: request.description },
    ...(request.customer.email ? { customer_email: request.customer.email } : {}),
    // Stripe takes 30 min to 24 h; a link that lasts longer gets Stripe's default (24 h)
    // and a new session when the payer comes back after that.
    ...(secondsLeft !== null && secondsLeft >= minExpirySeconds && secondsLeft <= maxExpirySeconds
      ? { expires_at: Math.floor(request.expiresAt!.getTime() / 1000) }
      : {}),
  };
}

function checkout(ctx: TenantContext<PaymentsConfig>, account: StripeCredentials): CheckoutProvider {
  // Made on first use: payment requests ask which provider serves (and call nothing).
  let client: Stripe | null = null;
  const api = () => (client ??= stripeClient(ctx.config.stripeApiUrl, account.secretKey));

  /** The PaymentIntent behind a payment: known, or read from its session. */
  async function intentOf(payment: PaymentRef): Promise<string | null> {
    if (payment.ids.stripePaymentIntentId) return payment.ids.stripePaymentIntentId;
    if (!payment.checkoutId) return null;
    const session = await call(() => api().checkout.sessions.retrieve(payment.checkoutId!));
    return typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
  }

  return {
    provider: 'STRIPE',

    async createCheckout(request) {
      const session = await call(() => api().checkout.sessions.create(checkoutParams(request, new Date()), { idempotencyKey: request.idempotencyKey }));
      if (!session.url) throw paymentProviderError({ provider: 'STRIPE', status: 200, code: 'no_url', message: 'Stripe made a Checkout Session without a URL', retryable: false });
      const intentId = typeof session.payment_intent === 'string' ? session.payment_intent : null;
      return { checkoutId: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000), ...(intentId ? { ids: { stripePaymentIntentId: intentId } } : {}) };
    },

    async refund(request: RefundRequest) {
      const intent = await intentOf(request.payment);
      if (!intent) {
        throw paymentProviderError({ provider: 'STRIPE', status: null, code: 'not_paid', message: 'The payment has no Stripe PaymentIntent: nothing was paid to refund', retryable: false });
      }
      const refund = await call(() =>
        api().refunds.create(
          {
            payment_intent: intent,
            amount: request.amountMinor,
            metadata: { refund_id: request.refundId, payment_id: request.payment.id, ...(request.reason ? { reason: request.reason.slice(0, 500) } : {}) },
          },
          { idempotencyKey: request.idempotencyKey },
        ),
      );
      const status = refundStatus(refund);
      return { providerRefundId: refund.id, status, ...(status === 'FAILED' ? { failureReason: refund.failure_reason ?? refund.status ?? null } : {}) };
    },

    async retrieve(payment) {
      const now = new Date();
      const updates: PaymentUpdate[] = [];
      let intentId = payment.ids.stripePaymentIntentId ?? null;
      if (payment.checkoutId) {
        const session = await call(() => api().checkout.sessions.retrieve(payment.checkoutId!));
        updates.push(...sessionUpdates(session, now));
        intentId ??= typeof session.payment_intent === 'string' ? session.payment_intent : (session.payment_intent?.id ?? null);
      }
      if (intentId) {
        const intent = await call(() => api().paymentIntents.retrieve(intentId));
        updates.push(...intentUpdates(intent, now));
        const refunds = await call(() => api().refunds.list({ payment_intent: intentId, limit: 100 }));
        for (const refund of refunds.data) {
          const update = refundUpdate(refund, new Date(refund.created * 1000));
          if (update) updates.push(update);
        }
      }
      return updates;
    },
  };
}

export const stripe = defineProvider({
  config: paymentsConfig,
  provider: 'stripe',
  displayName: 'Stripe',
  description: 'Payment links, invoices and refunds through Stripe Checkout. Without a provider, payments run in sandbox mode.',
  credentials: stripeCredentials,
  serves: { 'payments.checkout': checkout },
});
