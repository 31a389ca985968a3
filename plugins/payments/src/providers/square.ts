// Square as a payments.checkout provider: a payment link per payment (Square hosts the
// checkout and makes an order for it), refunds of the link's payment, and reconciliation
// from the order's payments. Payments arrive by webhook (webhooks/square.ts).
import { createHash } from 'node:crypto';
import { defineProvider, type TenantContext } from '@soshogle/core';
import { SquareClient, type Square } from 'square';
import { z } from 'zod';
import type { Checkout, CheckoutProvider, CheckoutRequest, PaymentRef, PaymentUpdate, RefundRequest, RefundResult } from '../capabilities.ts';
import { paymentsConfig, type PaymentsConfig } from '../config.ts';
import { paymentProviderError } from './errors.ts';
import { squareError } from './square-errors.ts';
import { paymentUpdateOf, refundUpdateOf, squareMoney, squareNote } from './square-updates.ts';

export const squareCredentials = z.object({
  accessToken: z.string().min(20).max(500),
  /** The location (shop) the payments are taken for. */
  locationId: z.string().regex(/^[A-Za-z0-9]{4,64}$/, 'A Square location ID, e.g. L88917AVBK2S5'),
  /** The webhook subscription's signature key (Developer Console, Webhooks). */
  signatureKey: z.string().min(8).max(200),
  environment: z.enum(['sandbox', 'production']).default('production'),
});
export type SquareCredentials = z.output<typeof squareCredentials>;

/** Square takes idempotency keys of at most 45 characters: ours as they are, longer ones hashed (still the same on every retry). */
export function squareKey(key: string): string {
  return key.length <= 45 ? key : createHash('sha256').update(key).digest('base64url').slice(0, 43);
}

/** The status is Square's own business: each refund's final status comes by webhook. */
const refundStatus: Record<string, RefundResult['status']> = { PENDING: 'PENDING', COMPLETED: 'SUCCEEDED', REJECTED: 'FAILED', FAILED: 'FAILED' };

export function squareClient(config: PaymentsConfig, account: SquareCredentials): SquareClient {
  // Always a base URL: without one the SDK calls Production, whatever the account is.
  const baseUrl = account.environment === 'sandbox' ? config.squareSandboxApiUrl : config.squareApiUrl;
  return new SquareClient({ token: account.accessToken, baseUrl: baseUrl.replace(/\/$/, '') });
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw squareError(error);
  }
}

function checkout(ctx: TenantContext<PaymentsConfig>, account: SquareCredentials): CheckoutProvider {
  const client = squareClient(ctx.config, account);

  /** The order's payments, newest knowledge first: the one we know, then the order's tenders. */
  async function paymentsOf(payment: PaymentRef): Promise<{ order: Square.Order | undefined; payments: Square.Payment[] }> {
    const ids = new Set<string>();
    if (payment.ids.squarePaymentId) ids.add(payment.ids.squarePaymentId);
    let order: Square.Order | undefined;
    if (payment.checkoutId) {
      const orderId = payment.checkoutId;
      order = (await call(() => client.orders.get({ orderId }))).order;
      for (const tender of order?.tenders ?? []) if (tender.paymentId) ids.add(tender.paymentId);
    }
    const payments: Square.Payment[] = [];
    for (const paymentId of ids) {
      const found = (await call(() => client.payments.get({ paymentId }))).payment;
      if (found) payments.push(found);
    }
    return { order, payments };
  }

  return {
    provider: 'SQUARE',

    async createCheckout(request: CheckoutRequest): Promise<Checkout> {
      const currency = request.currency;
      const { paymentLink } = await call(() =>
        client.checkout.paymentLinks.create({
          idempotencyKey: squareKey(request.idempotencyKey),
          description: request.description.slice(0, 4096),
          order: {
            locationId: account.locationId,
            // Our payment, on the order Square keeps: what the merchant sees and searches by.
            referenceId: request.paymentId.slice(0, 40),
            lineItems: request.lines.map((line) => ({
              name: line.description.slice(0, 512),
              quantity: String(line.quantity),
              basePriceMoney: squareMoney(line.unitAmountMinor, currency),
            })),
          },
          checkoutOptions: { redirectUrl: request.returnUrl, askForShippingAddress: false },
          ...(request.customer.email ? { prePopulatedData: { buyerEmail: request.customer.email } } : {}),
          paymentNote: squareNote(request.paymentId),
        }),
      );
      if (!paymentLink?.id || !paymentLink.url || !paymentLink.orderId) {
        throw paymentProviderError({ provider: 'SQUARE', status: 200, code: null, message: 'Square made a payment link without an id, url or order', retryable: false, outcomeUnknown: false });
      }
      return { checkoutId: paymentLink.orderId, url: paymentLink.url, providerData: { squarePaymentLinkId: paymentLink.id, squareLocationId: account.locationId } };
    },

    async refund(request: RefundRequest): Promise<RefundResult> {
      let paymentId = request.payment.ids.squarePaymentId ?? null;
      if (!paymentId) {
        // The webhook that names the payment has not come yet: the order knows it.
        const { payments } = await paymentsOf(request.payment);
        paymentId = payments.find((p) => p.status === 'COMPLETED')?.id ?? null;
      }
      if (!paymentId) {
        throw paymentProviderError({ provider: 'SQUARE', status: null, code: 'NOT_PAID', message: 'Square has no completed payment for this payment link to refund', retryable: false, outcomeUnknown: false });
      }
      const squarePaymentId = paymentId;
      const { refund } = await call(() =>
        client.refunds.refundPayment({
          idempotencyKey: squareKey(request.idempotencyKey),
          paymentId: squarePaymentId,
          amountMoney: squareMoney(request.amountMinor, request.payment.currency),
          ...(request.reason ? { reason: request.reason.slice(0, 192) } : {}),
        }),
      );
      if (!refund?.id) throw paymentProviderError({ provider: 'SQUARE', status: 200, code: null, message: 'Square answered a refund without an id', retryable: false, outcomeUnknown: true });
      const status = refundStatus[refund.status ?? ''] ?? 'PENDING';
      return { providerRefundId: refund.id, status, failureReason: status === 'FAILED' ? `Square refund ${refund.status}` : null };
    },

    async retrieve(payment: PaymentRef): Promise<PaymentUpdate[]> {
      const { payments } = await paymentsOf(payment);
      const updates: PaymentUpdate[] = [];
      for (const found of payments) {
        // A payment of another order (a stale id) is not this one's.
        if (payment.checkoutId && found.orderId && found.orderId !== payment.checkoutId) continue;
        const update = paymentUpdateOf(found, { id: payment.id });
        if (update) updates.push(update);
        for (const refundId of found.refundIds ?? []) {
          const { refund } = await call(() => client.refunds.get({ refundId }));
          const refunded = refund && refundUpdateOf(refund, { id: payment.id });
          if (refunded) updates.push(refunded);
        }
      }
      return updates;
    },
  };
}

export const square = defineProvider({
  config: paymentsConfig,
  provider: 'square',
  displayName: 'Square',
  description: 'Payment links and refunds through Square. Point a Square webhook subscription (payment.created, payment.updated, refund.created, refund.updated) at the URL shown.',
  credentials: squareCredentials,
  visible: ['locationId', 'environment'],
  serves: { 'payments.checkout': checkout },
});
