// Reaching the provider that took a payment: the tenant's connected payments.checkout
// provider, when it is the payment's (a tenant that switched providers still has payments
// at the old one, which only that one can answer for), and the payment as providers see it.
import type { TenantContext, TenantTx } from '@soshogle/core';
import type { Payment } from '@soshogle/db';
import type { CheckoutProvider, PaymentProviderFailure, PaymentRef } from './capabilities.ts';
import { toMinor } from './money.ts';

/** The provider serving `payment`, or null: none connected now, or another one. */
export async function providerOf(ctx: Pick<TenantContext, 'providers'>, payment: Payment, tx?: TenantTx): Promise<CheckoutProvider | null> {
  if (payment.sandbox) return null;
  const connected = await ctx.providers.get('payments.checkout', tx ? { tx } : {});
  return connected?.service.provider === payment.provider ? connected.service : null;
}

export function paymentRef(payment: Payment): PaymentRef {
  return {
    id: payment.id,
    amountMinor: toMinor(payment.amount, payment.currency),
    currency: payment.currency,
    checkoutId: payment.checkoutId,
    ids: {
      ...(payment.stripePaymentIntentId ? { stripePaymentIntentId: payment.stripePaymentIntentId } : {}),
      ...(payment.paypalOrderId ? { paypalOrderId: payment.paypalOrderId } : {}),
      ...(payment.squarePaymentId ? { squarePaymentId: payment.squarePaymentId } : {}),
    },
    providerData: (payment.providerData ?? {}) as Record<string, unknown>,
  };
}

/** The provider's failure, when `error` is one (providers throw them by name: they import no code of ours). */
export function providerFailure(error: unknown): PaymentProviderFailure | null {
  return error instanceof Error && error.name === 'PaymentProviderError' ? (error as PaymentProviderFailure) : null;
}
