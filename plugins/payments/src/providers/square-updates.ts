// What Square says about a payment link's payments and their refunds, as PaymentUpdates:
// one reading for webhooks (payment.created|updated, refund.created|updated) and for
// reconciliation (the order's payments fetched through the SDK), so both say the same.
import type { Square } from 'square';
import type { PaymentMatch, PaymentUpdate } from '../capabilities.ts';

// Square's payment statuses as ours: APPROVED is authorised but not yet captured.
const paymentStatus: Record<string, 'PROCESSING' | 'SUCCEEDED' | 'FAILED'> = {
  APPROVED: 'PROCESSING',
  PENDING: 'PROCESSING',
  COMPLETED: 'SUCCEEDED',
  CANCELED: 'FAILED',
  FAILED: 'FAILED',
};
const refundStatus: Record<string, 'PENDING' | 'SUCCEEDED' | 'FAILED'> = {
  PENDING: 'PENDING',
  COMPLETED: 'SUCCEEDED',
  REJECTED: 'FAILED',
  FAILED: 'FAILED',
};

/** The note we give a link's payment (CreatePaymentLink.payment_note), naming our payment. */
export const squareNote = (paymentId: string) => `Soshogle payment ${paymentId}`;
const noteId = (note: string | null | undefined) => /^Soshogle payment (\S+)$/.exec(note ?? '')?.[1] ?? null;

/** Square's money (the SDK's BigInt) as our integer minor units. */
export function minorOf(money: Square.Money | undefined): number {
  const amount = money?.amount;
  const minor = typeof amount === 'bigint' ? Number(amount) : Number.NaN;
  if (!Number.isSafeInteger(minor) || minor < 0) throw new Error(`Square money without a usable amount: ${String(amount)}`);
  return minor;
}

/** Our integer minor units as Square's money. */
export const squareMoney = (minor: number, currency: string): Square.Money => ({ amount: BigInt(minor), currency: currency as Square.Currency });

const at = (...times: (string | null | undefined)[]) => {
  const time = times.find((t) => t && !Number.isNaN(Date.parse(t)));
  return time ? new Date(time) : new Date();
};

/** One Square payment as an update; null for a status that says nothing to us. `match` narrows it to our payment when known. */
export function paymentUpdateOf(payment: Square.Payment, match: PaymentMatch = {}): PaymentUpdate | null {
  const status = payment.status ? paymentStatus[payment.status] : undefined;
  if (!status || !payment.id) return null;
  const failed = status === 'FAILED';
  const error = payment.cardDetails?.errors?.[0];
  return {
    kind: 'payment',
    payment: { id: noteId(payment.note), checkoutId: payment.orderId ?? null, squarePaymentId: payment.id, ...match },
    status,
    at: at(payment.updatedAt, payment.createdAt),
    // Only a payment that went through names the payment: a declined attempt on the link
    // comes first and must not take the place of the one that pays (refunds go to that one).
    ...(failed ? {} : { ids: { squarePaymentId: payment.id } }),
    ...(failed ? { failureReason: error ? `${error.code}${error.detail ? `: ${error.detail}` : ''}` : `Square payment ${payment.status}` } : {}),
  };
}

/** One Square refund as an update. */
export function refundUpdateOf(refund: Square.PaymentRefund, match: PaymentMatch = {}): PaymentUpdate | null {
  const status = refund.status ? refundStatus[refund.status] : undefined;
  if (!status || !refund.id) return null;
  return {
    kind: 'refund',
    payment: { checkoutId: refund.orderId ?? null, squarePaymentId: refund.paymentId ?? null, ...match },
    providerRefundId: refund.id,
    amountMinor: minorOf(refund.amountMoney),
    status,
    at: at(refund.updatedAt, refund.createdAt),
    failureReason: status === 'FAILED' ? `Square refund ${refund.status}` : null,
  };
}
