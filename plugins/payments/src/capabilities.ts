// What payments asks of a provider (docs/providers.md): Stripe, PayPal and Square each
// serve `payments.checkout`, and another plugin may ship a provider for it. Payments keeps
// the policy and the data (requests, invoices, the pay page, refunds, the state machine in
// state.ts); a provider only talks to its API, and its webhooks turn what the provider
// says into PaymentUpdates that state.ts applies.
//
// A provider plugin imports these types only (`import type` from
// '@soshogle/plugin-payments/capabilities'), never payments' code.
import { defineCapability } from '@soshogle/core';
import type { Payment, PaymentProvider, RefundStatus } from '@soshogle/db';

/** The spec's per-provider ids of the payment, set from what the provider answers. */
export type ProviderIds = Partial<Pick<Payment, 'stripePaymentIntentId' | 'paypalOrderId' | 'squarePaymentId'>>;

/** One line the payer sees at the provider's checkout. Amounts in integer minor units. */
export interface CheckoutLine {
  description: string;
  quantity: number;
  unitAmountMinor: number;
}

/** A hosted checkout for one payment. */
export interface CheckoutRequest {
  paymentId: string;
  /**
   * Derived from the payment, the same on every retry: a retried job or a crash between
   * the call and our record makes one checkout, never two (the SDKs' own keys live for one
   * call only). Send it as the provider's idempotency key (Stripe Idempotency-Key, PayPal
   * PayPal-Request-Id, Square idempotency_key: at most 45 characters).
   */
  idempotencyKey: string;
  amountMinor: number;
  currency: string;
  description: string;
  /** An invoice's lines, or one line for the whole amount; their sum is amountMinor. */
  lines: CheckoutLine[];
  customer: { email: string | null; name: string | null; phone: string | null };
  /** Our pay page, where the provider sends the payer back after paying or giving up. */
  returnUrl: string;
  cancelUrl: string;
  /** The link stops taking payments after this. */
  expiresAt: Date | null;
}

export interface Checkout {
  /** The provider's checkout object: Stripe Checkout Session, PayPal order, Square payment link's order. */
  checkoutId: string;
  /** Where the pay page sends the payer. */
  url: string;
  /** Ids known already (PayPal's order id). */
  ids?: ProviderIds;
  /** Anything else the provider needs later, kept in Payment.providerData (merged). */
  providerData?: Record<string, unknown>;
  /**
   * When the checkout stops taking payment (a Stripe session lasts 24 h at most): the pay
   * page then makes a new one. Kept as `providerData[checkoutExpiry]`, which an update saying
   * the checkout expired early sets too.
   */
  expiresAt?: Date | null;
}

/** The providerData key of the current checkout's end (ISO time). */
export const checkoutExpiry = 'checkoutExpiresAt';

/** A payment as a provider sees it. */
export interface PaymentRef {
  id: string;
  amountMinor: number;
  currency: string;
  checkoutId: string | null;
  ids: ProviderIds;
  providerData: Record<string, unknown>;
}

export interface RefundRequest {
  payment: PaymentRef;
  /** Our PaymentRefund id: pass it where the provider keeps metadata, so its webhook names it. */
  refundId: string;
  idempotencyKey: string;
  amountMinor: number;
  reason: string | null;
}

export interface RefundResult {
  providerRefundId: string;
  status: RefundStatus;
  failureReason?: string | null;
}

/** Which payment an update is about: any one of these finds it (our id first). */
export interface PaymentMatch {
  id?: string | null;
  checkoutId?: string | null;
  stripePaymentIntentId?: string | null;
  paypalOrderId?: string | null;
  squarePaymentId?: string | null;
}

/**
 * What a provider says happened, from a webhook, the payer's return or a reconciliation
 * call. state.ts applies any set of them in any order, repeated or not, to the same state.
 */
export type PaymentUpdate =
  | {
    kind: 'payment';
    payment: PaymentMatch;
    status: 'PROCESSING' | 'SUCCEEDED' | 'FAILED';
    /** When the provider says it happened. */
    at: Date;
    ids?: ProviderIds;
    providerData?: Record<string, unknown>;
    failureReason?: string | null;
  }
  | {
    kind: 'refund';
    payment: PaymentMatch;
    providerRefundId: string;
    /** Ours, when the provider echoes the metadata we sent. */
    refundId?: string | null;
    amountMinor: number;
    status: RefundStatus;
    at: Date;
    failureReason?: string | null;
  };

/**
 * A failure a provider throws, so the caller decides retry, give up or review without
 * knowing the provider: an Error named 'PaymentProviderError'.
 */
export interface PaymentProviderFailure extends Error {
  name: 'PaymentProviderError';
  provider: PaymentProvider;
  /** The HTTP status the provider answered; null when no answer came (outcome unknown). */
  status: number | null;
  code: string | null;
  /** The payer's card was declined, or the request is wrong: trying again does not help. */
  retryable: boolean;
  /** Null status with a request that may have reached the provider: a person checks before anything is repeated. */
  outcomeUnknown: boolean;
}

/** The payments.checkout capability: take one payment through a hosted checkout, refund it, and say where it stands. */
export interface CheckoutProvider {
  /** Which Payment.provider this is. */
  provider: PaymentProvider;
  createCheckout(request: CheckoutRequest): Promise<Checkout>;
  /** The payer came back to our pay page (PayPal: capture the approved order). */
  completeCheckout?(payment: PaymentRef, query: URLSearchParams): Promise<PaymentUpdate[]>;
  refund(request: RefundRequest): Promise<RefundResult>;
  /** Reconciliation: the provider's current view of the payment and its refunds. */
  retrieve(payment: PaymentRef): Promise<PaymentUpdate[]>;
}

declare module '@soshogle/core' {
  interface Capabilities {
    'payments.checkout': CheckoutProvider;
  }
}

export const capabilities = [
  defineCapability({ name: 'checkout', displayName: 'Payments', description: 'Payment links, invoices and refunds through a hosted checkout' }),
];
