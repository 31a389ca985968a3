// Payments as the API answers them, and the one way screens show their money and status.
// Money stays a decimal string until it is shown; "what is left" is worked out in the
// currency's minor units, never by subtracting floats.
import type { QueryOf, Schema } from '../api.ts';

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

/** How many decimals the currency's minor unit has, as the browser knows it (USD 2, JPY 0). */
export function decimalsOf(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** A decimal string in minor units, exactly ("10.5", 2 -> 1050). */
function minor(amount: string, decimals: number): bigint {
  const [whole = '0', fraction = ''] = amount.replace(/^-/, '').split('.');
  const units = BigInt(whole + fraction.padEnd(decimals, '0').slice(0, decimals));
  return amount.startsWith('-') ? -units : units;
}

function major(units: bigint, decimals: number): string {
  const text = units.toString().padStart(decimals + 1, '0');
  return decimals ? `${text.slice(0, -decimals)}.${text.slice(-decimals)}` : text;
}

/** What is still refundable of a payment, as a decimal string ("70.25"). */
export function leftToRefund(p: Pick<Payment, 'amount' | 'amountRefunded' | 'currency'>): string {
  const d = decimalsOf(p.currency);
  const left = minor(p.amount, d) - minor(p.amountRefunded, d);
  return major(left > 0n ? left : 0n, d);
}

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
