// What PayPal says (an order, a capture, a refund: from an API answer or a webhook) as
// PaymentUpdates. One mapping for the return, reconciliation and webhooks, so they agree.
import type { RefundStatus } from '@soshogle/db';
import type { PaymentMatch, PaymentUpdate } from '../capabilities.ts';
import { toMinor } from '../money.ts';

/** A capture, whichever way it came (the SDK's camelCase or a webhook's snake_case, read into this). */
export interface PaypalCapture {
  id: string;
  status: string;
  /** Our payment id: the purchase unit's custom_id, which PayPal copies onto the capture. */
  customId?: string | null;
  orderId?: string | null;
  reason?: string | null;
  at?: string | null;
}

export interface PaypalRefund {
  id: string;
  status: string;
  value: string;
  currency: string;
  /** Our PaymentRefund id, sent as custom_id. */
  customId?: string | null;
  reason?: string | null;
  at?: string | null;
}

const when = (at: string | null | undefined) => (at && !Number.isNaN(Date.parse(at)) ? new Date(at) : new Date());

/** Capture status -> payment status; REFUNDED and PARTIALLY_REFUNDED were paid first (refunds come as their own updates). */
const captureStatus: Record<string, 'PROCESSING' | 'SUCCEEDED' | 'FAILED'> = {
  COMPLETED: 'SUCCEEDED', PARTIALLY_REFUNDED: 'SUCCEEDED', REFUNDED: 'SUCCEEDED',
  PENDING: 'PROCESSING', DECLINED: 'FAILED', FAILED: 'FAILED',
};

export function captureUpdate(match: PaymentMatch, capture: PaypalCapture): PaymentUpdate[] {
  const status = captureStatus[capture.status];
  if (!status) return [];
  return [{
    kind: 'payment', payment: match, status, at: when(capture.at),
    ...(capture.orderId ? { ids: { paypalOrderId: capture.orderId } } : {}),
    providerData: { captureId: capture.id },
    ...(status === 'FAILED' ? { failureReason: capture.reason ?? `PayPal capture ${capture.status}` } : {}),
  }];
}

/** Refund status -> ours: CANCELLED is a refund that did not happen. */
export const refundStatusOf: Record<string, RefundStatus> = { COMPLETED: 'SUCCEEDED', PENDING: 'PENDING', FAILED: 'FAILED', CANCELLED: 'FAILED' };

export function refundUpdate(match: PaymentMatch, refund: PaypalRefund): PaymentUpdate[] {
  const status = refundStatusOf[refund.status];
  if (!status) return [];
  return [{
    kind: 'refund', payment: match, providerRefundId: refund.id, refundId: refund.customId ?? null,
    amountMinor: toMinor(refund.value, refund.currency), status, at: when(refund.at),
    ...(status === 'FAILED' ? { failureReason: refund.reason ?? `PayPal refund ${refund.status}` } : {}),
  }];
}
