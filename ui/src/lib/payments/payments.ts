// Payments as the API answers them, and the one way screens show their status (their money:
// money.ts).
import type { QueryOf, Schema } from '../api.ts';
import { leftToRefund } from './money.ts';

export type Payment = Schema<'Payment'>;
export type PaymentDetail = Schema<'PaymentDetail'>;
export type Refund = Schema<'PaymentRefund'>;
export type PaymentStatus = Payment['status'];
export type PaymentProvider = Payment['provider'];
export type PaymentFilters = Pick<QueryOf<'/payments/payments'>, 'status' | 'provider' | 'contactId' | 'from' | 'to'>;

export const statusLabel: Record<PaymentStatus, string> = {
  PENDING: 'Pending',
  PROCESSING: 'Processing',
  SUCCEEDED: 'Paid',
  FAILED: 'Failed',
  REFUNDED: 'Refunded',
};
export const statusClass: Record<PaymentStatus, string> = { PENDING: '', PROCESSING: 'accent', SUCCEEDED: 'ok', FAILED: 'danger', REFUNDED: 'warn' };
export const providerLabel: Record<PaymentProvider, string> = { STRIPE: 'Stripe', PAYPAL: 'PayPal', SQUARE: 'Square' };
export const refundLabel: Record<Refund['status'], string> = { PENDING: 'Pending', SUCCEEDED: 'Refunded', FAILED: 'Failed' };

export const refundable = (p: Pick<Payment, 'status' | 'amount' | 'amountRefunded' | 'currency'>) => p.status === 'SUCCEEDED' && Number(leftToRefund(p)) > 0;

/** The list's filters as the query string of the list and the CSV export. */
export function filterQuery(filters: PaymentFilters): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A date picked in the browser (YYYY-MM-DD) as the instant its day starts here; `after` gives the next day's start (an end bound). */
export function dayStart(date: string, after = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + (after ? 1 : 0)).toISOString();
}
