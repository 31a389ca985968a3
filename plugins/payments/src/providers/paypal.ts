// PayPal as a payments.checkout provider, through Orders v2: the pay page creates an order
// (intent CAPTURE) and sends the payer to PayPal to approve it; the payer comes back with
// ?token=<order id> and we capture it. An approved order that was never captured (the
// payer closed the tab on the way back) is captured by reconciliation (retrieve). Every
// write carries a PayPal-Request-Id derived from our ids, so a repeat is answered from
// PayPal's record instead of doing it twice.
import {
  CheckoutPaymentIntent,
  PaypalExperienceUserAction,
  PaypalWalletContextShippingPreference,
  type Order,
} from '@paypal/paypal-server-sdk';
import { defineProvider, type TenantContext } from '@soshogle/core';
import { z } from 'zod';
import type { CheckoutProvider, CheckoutRequest, PaymentRef, PaymentUpdate, RefundRequest } from '../capabilities.ts';
import { paymentsConfig, type PaymentsConfig } from '../config.ts';
import { fromMinor } from '../money.ts';
import { paypalClient, type PaypalAccount, type PaypalClient } from './paypal-client.ts';
import { paymentProviderError } from './errors.ts';
import { issueOf, paypalError } from './paypal-errors.ts';
import { captureUpdate, refundStatusOf, refundUpdate } from './paypal-updates.ts';

export const paypalCredentials = z.object({
  clientId: z.string().trim().min(10).max(200),
  clientSecret: z.string().trim().min(10).max(200),
  /** The id PayPal gives the webhook registered for our URL: its signatures cover it. */
  webhookId: z.string().trim().min(5).max(100),
  environment: z.enum(['sandbox', 'live']),
});

/** The capture's PayPal-Request-Id: one per payment, so a repeated return or reconciliation never captures twice. */
export const captureRequestId = (paymentId: string) => `capture_${paymentId}`;

/** PayPal's item names are at most 127 characters. */
const itemName = (text: string) => (text.trim() || 'Payment').slice(0, 127);

/** Whether PayPal's error says the order cannot be captured yet: the payer has not approved it. */
const notApproved = new Set(['ORDER_NOT_APPROVED', 'PAYER_ACTION_REQUIRED']);
/** The payer's funding source was refused; they may approve again with another. */
const declined = new Set(['INSTRUMENT_DECLINED', 'PAYER_CANNOT_PAY', 'TRANSACTION_REFUSED']);

function checkout(ctx: TenantContext<PaymentsConfig>, account: PaypalAccount): CheckoutProvider {
  const client = paypalClient(ctx.config.paypalApiUrl, account);
  return {
    provider: 'PAYPAL',
    async createCheckout(request) {
      const order = await call(client, () => client.orders.createOrder({ body: orderBody(request), paypalRequestId: request.idempotencyKey, prefer: 'return=representation' }));
      const link = order.links?.find((l) => l.rel === 'payer-action') ?? order.links?.find((l) => l.rel === 'approve');
      if (!order.id || !link) {
        throw paymentProviderError({ provider: 'PAYPAL', status: null, code: 'NO_APPROVAL_LINK', message: 'PayPal made the order without a link for the payer', retryable: false, outcomeUnknown: false });
      }
      return { checkoutId: order.id, url: link.href, ids: { paypalOrderId: order.id } };
    },
    async completeCheckout(payment, query) {
      const orderId = orderIdOf(payment);
      // PayPal sends the payer back with the order id as `token`; any other is not this payment's.
      if (!orderId || query.get('token') !== orderId) return [];
      return captureIfApproved(client, payment, orderId);
    },
    async refund(request) {
      const captureId = await captureIdOf(client, request.payment);
      const refund = await call(client, () => client.payments.refundCapturedPayment({
        captureId, paypalRequestId: request.idempotencyKey, prefer: 'return=representation', body: refundBody(request),
      }));
      return {
        providerRefundId: refund.id!,
        status: refundStatusOf[refund.status ?? ''] ?? 'PENDING',
        failureReason: refund.status === 'FAILED' || refund.status === 'CANCELLED' ? `PayPal refund ${refund.status}` : null,
      };
    },
    async retrieve(payment) {
      const orderId = orderIdOf(payment);
      // Approved but never captured: the payer's return got lost. Capture now (same request id as the return's).
      return orderId ? captureIfApproved(client, payment, orderId) : [];
    },
  };
}

function orderBody(request: CheckoutRequest) {
  const money = (minor: number) => ({ currencyCode: request.currency, value: fromMinor(minor, request.currency) });
  const linesTotal = request.lines.reduce((sum, l) => sum + l.unitAmountMinor * l.quantity, 0);
  // Items only when they add up (PayPal refuses an item_total that differs from the amount).
  const itemized = request.lines.length > 0 && linesTotal === request.amountMinor;
  return {
    intent: CheckoutPaymentIntent.Capture,
    purchaseUnits: [{
      referenceId: request.paymentId,
      customId: request.paymentId,
      description: request.description.slice(0, 127),
      amount: { ...money(request.amountMinor), ...(itemized ? { breakdown: { itemTotal: money(linesTotal) } } : {}) },
      ...(itemized ? { items: request.lines.map((l) => ({ name: itemName(l.description), quantity: String(l.quantity), unitAmount: money(l.unitAmountMinor) })) } : {}),
    }],
    paymentSource: {
      paypal: {
        ...(request.customer.email ? { emailAddress: request.customer.email } : {}),
        experienceContext: {
          returnUrl: request.returnUrl,
          cancelUrl: request.cancelUrl,
          userAction: PaypalExperienceUserAction.PayNow,
          shippingPreference: PaypalWalletContextShippingPreference.NoShipping,
        },
      },
    },
  };
}

function refundBody(request: RefundRequest) {
  const { currency } = request.payment;
  return {
    amount: { currencyCode: currency, value: fromMinor(request.amountMinor, currency) },
    // Both come back on the refund (and its webhook), so the refund is found by our id.
    customId: request.refundId,
    invoiceId: request.refundId,
    ...(request.reason ? { noteToPayer: request.reason.slice(0, 255) } : {}),
  };
}

const orderIdOf = (payment: PaymentRef) => payment.ids.paypalOrderId ?? payment.checkoutId;

/**
 * Reads the order first and captures only an approved one: a capture asked too early (the
 * payer came back by the cancel link, or forged a return) would spend the capture's
 * PayPal-Request-Id on an error that PayPal may answer again to the real capture later.
 */
async function captureIfApproved(client: PaypalClient, payment: PaymentRef, orderId: string): Promise<PaymentUpdate[]> {
  const order = await call(client, () => client.orders.getOrder({ id: orderId }));
  return order.status === 'APPROVED' ? capture(client, payment, orderId) : orderUpdates(payment.id, order);
}

async function capture(client: PaypalClient, payment: PaymentRef, orderId: string): Promise<PaymentUpdate[]> {
  try {
    const { result } = await client.orders.captureOrder({ id: orderId, paypalRequestId: captureRequestId(payment.id), prefer: 'return=representation' });
    return orderUpdates(payment.id, result);
  } catch (error) {
    const failure = paypalError(error, true);
    if (failure.status === 401) client.forgetToken();
    const issue = issueOf(failure);
    if (issue && notApproved.has(issue)) return []; // approval withdrawn meanwhile: still pending
    if (issue === 'ORDER_ALREADY_CAPTURED') return orderUpdates(payment.id, await call(client, () => client.orders.getOrder({ id: orderId })));
    if (issue && declined.has(issue)) {
      return [{ kind: 'payment', payment: { id: payment.id, paypalOrderId: orderId }, status: 'FAILED', at: new Date(), failureReason: `PayPal: ${issue}` }];
    }
    throw failure;
  }
}

/** An order's captures and refunds as updates; an approved order is PROCESSING, a voided one FAILED. */
export function orderUpdates(paymentId: string, order: Order): PaymentUpdate[] {
  const match = { id: paymentId, paypalOrderId: order.id ?? null };
  const ids = order.id ? { paypalOrderId: order.id } : undefined;
  const unit = order.purchaseUnits?.[0];
  const at = new Date(order.updateTime ?? order.createTime ?? Date.now());
  const updates: PaymentUpdate[] = [];
  if (order.status === 'APPROVED') updates.push({ kind: 'payment', payment: match, status: 'PROCESSING', at, ids });
  if (order.status === 'VOIDED') updates.push({ kind: 'payment', payment: match, status: 'FAILED', at, ids, failureReason: 'PayPal order voided' });
  for (const c of unit?.payments?.captures ?? []) {
    if (!c.id || !c.status) continue;
    updates.push(...captureUpdate(match, { id: c.id, status: c.status, orderId: order.id ?? null, reason: c.statusDetails?.reason ?? null, at: c.updateTime ?? c.createTime ?? null }));
  }
  for (const r of unit?.payments?.refunds ?? []) {
    if (!r.id || !r.status || !r.amount) continue;
    updates.push(...refundUpdate(match, { id: r.id, status: r.status, value: r.amount.value, currency: r.amount.currencyCode, customId: r.customId ?? null, at: r.updateTime ?? r.createTime ?? null }));
  }
  return updates;
}

/** The capture to refund: known from the capture (providerData), else read from the order. */
async function captureIdOf(client: PaypalClient, payment: PaymentRef): Promise<string> {
  const known = payment.providerData.captureId;
  if (typeof known === 'string' && known) return known;
  const orderId = orderIdOf(payment);
  const order = orderId ? await call(client, () => client.orders.getOrder({ id: orderId })) : null;
  const found = order?.purchaseUnits?.[0]?.payments?.captures?.find((c) => c.status !== 'DECLINED' && c.status !== 'FAILED')?.id;
  if (!found) throw paymentProviderError({ provider: 'PAYPAL', status: null, code: 'NOT_CAPTURED', message: 'PayPal has no capture of this payment to refund', retryable: false, outcomeUnknown: false });
  return found;
}

/**
 * One SDK call, its failure as a PaymentProviderFailure. Every write we make carries a
 * PayPal-Request-Id and the rest are reads, so a call that got no answer is safe to repeat:
 * PayPal answers a repeat from its record of the first.
 */
async function call<T>(client: PaypalClient, run: () => Promise<{ result: T }>): Promise<T> {
  try {
    return (await run()).result;
  } catch (error) {
    const failure = paypalError(error, true);
    // A cached token PayPal no longer takes: the next call fetches a new one.
    if (failure.status === 401) client.forgetToken();
    throw failure;
  }
}

export const paypal = defineProvider({
  config: paymentsConfig,
  provider: 'paypal',
  displayName: 'PayPal',
  description: 'PayPal Checkout (Orders v2): payment links and invoices paid with PayPal, cards through PayPal, refunds.',
  credentials: paypalCredentials,
  visible: ['clientId', 'webhookId', 'environment'],
  serves: { 'payments.checkout': checkout },
});
