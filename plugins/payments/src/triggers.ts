// What happens to a payment, as workflows and other plugins hear it. Each is raised by
// state.ts in the transaction that moves the payment, once per payment (per refund).
import { defineTrigger } from '@soshogle/core';
import { z } from 'zod';

const id = z.string().min(1);

/** What every payment event carries. Amounts are decimal strings in the currency's major unit. */
export const paymentPayload = z.object({
  paymentId: id,
  contactId: id.nullish(),
  invoiceId: id.nullish(),
  provider: z.enum(['STRIPE', 'PAYPAL', 'SQUARE']),
  amount: z.string(),
  currency: z.string(),
  description: z.string().nullish(),
  /** Where the request came from: API, UI, WORKFLOW, INBOX, BOOKING. */
  source: z.string(),
  /** Made without provider credentials (the pay page simulated it). */
  sandbox: z.boolean(),
  /** What another plugin asked for the payment for, e.g. `calendar.appointment:<id>` (payments.create_payment_request). */
  reference: z.string().nullish(),
});

/** The filter every payment trigger takes. */
export const paymentFilter = z.object({
  provider: z.enum(['STRIPE', 'PAYPAL', 'SQUARE']).optional().describe('Only payments through this provider'),
  minAmount: z.coerce.number().nonnegative().optional().describe('Only payments of at least this amount'),
  maxAmount: z.coerce.number().nonnegative().optional().describe('Only payments of at most this amount'),
  currency: z.string().regex(/^[A-Z]{3}$/).optional().describe('Only payments in this currency (e.g. USD)'),
});

// Comparing amounts as numbers is exact enough for a filter: both sides are short decimals.
function matchesPayment(filter: z.output<typeof paymentFilter>, payload: { provider: string; amount: string; currency: string }): boolean {
  const amount = Number(payload.amount);
  return (!filter.provider || filter.provider === payload.provider)
    && (!filter.currency || filter.currency === payload.currency)
    && (filter.minAmount === undefined || amount >= filter.minAmount)
    && (filter.maxAmount === undefined || amount <= filter.maxAmount);
}

export const paymentSucceeded = defineTrigger({
  name: 'payment_succeeded',
  displayName: 'Payment succeeded',
  description: 'A contact paid a payment link or invoice.',
  payload: paymentPayload.extend({ paidAt: z.string() }),
  filter: paymentFilter,
  matches: matchesPayment,
});

export const paymentFailed = defineTrigger({
  name: 'payment_failed',
  displayName: 'Payment failed',
  description: 'A payment was declined, or its checkout expired unpaid.',
  payload: paymentPayload.extend({ reason: z.string().nullish() }),
  filter: paymentFilter,
  matches: matchesPayment,
});

export const paymentRefunded = defineTrigger({
  name: 'payment_refunded',
  displayName: 'Payment refunded',
  description: 'A refund of part or all of a payment went through (the amount is the refund\'s).',
  payload: paymentPayload.extend({
    refundId: id,
    /** The payment's whole amount; `amount` is this refund's. */
    paymentAmount: z.string(),
    /** All refunds of the payment so far. */
    amountRefunded: z.string(),
    full: z.boolean(),
  }),
  filter: paymentFilter,
  matches: matchesPayment,
});

export const triggers = [paymentSucceeded, paymentFailed, paymentRefunded] as const;
