// What the payments API takes and answers. Money is a decimal string in the currency's
// major unit on the wire ("49.90"), never a float.
import { decimal, isoDate, keysetCursor, listQuery } from '@soshogle/core';
import { InvoiceStatus, PaymentProvider, PaymentStatus, RefundStatus } from '@soshogle/db';
import { z } from 'zod';

export const rowId = z.string().min(1).max(64);
export const idParams = z.object({ id: rowId });

/** An amount as sent: a decimal string (or a JSON number, read as its digits). */
export const amountInput = z.union([z.string().trim().min(1).max(40), z.number()]).transform(String);

const text = (max: number) => z.string().trim().max(max).transform((v) => v || null).nullish();

export const lineInput = z.object({
  description: z.string().trim().min(1).max(500),
  quantity: z.number().int().min(1).max(10_000),
  unitAmount: amountInput,
});

export const paymentInput = z.object({
  contactId: rowId.nullish(),
  currency: z.string().trim().length(3).default('USD'),
  /** The amount to ask for, or `lines` (an invoice): exactly one of the two. */
  amount: amountInput.nullish(),
  lines: z.array(lineInput).max(100).nullish(),
  description: text(500),
  /** An invoice's due date. */
  dueDate: z.iso.date().nullish(),
  memo: text(2000),
  /** The pay link stops taking payments after this. */
  expiresAt: z.iso.datetime({ offset: true }).transform((iso) => new Date(iso)).nullish(),
});

const instant = z.iso.datetime({ offset: true, error: 'An ISO instant with its offset, such as 2026-12-07T09:00:00Z' }).transform((iso) => new Date(iso));

/** The filters of the list and the CSV export. */
export const paymentFilter = z.object({
  status: z.enum(PaymentStatus).optional(),
  provider: z.enum(PaymentProvider).optional(),
  contactId: rowId.optional(),
  /** Made at or after this instant. */
  from: instant.optional(),
  /** Made before this instant. */
  to: instant.optional(),
});

export const paymentListQuery = listQuery({ cursor: keysetCursor, size: 50, max: 200 }).extend(paymentFilter.shape);

export const refundInput = z.object({
  /** Default: everything not refunded yet. */
  amount: amountInput.nullish(),
  reason: text(500),
});

export const refundResponse = z
  .object({
    id: z.string(),
    paymentId: z.string(),
    amount: decimal,
    reason: z.string().nullable(),
    status: z.enum(RefundStatus),
    providerRefundId: z.string().nullable(),
    failureReason: z.string().nullable(),
    /** The provider call's outcome is unknown: a person checks at the provider before anything is repeated. */
    needsReview: z.boolean(),
    processedAt: isoDate.nullable(),
    requestedBy: z.string().nullable(),
    createdAt: isoDate,
  })
  .meta({ id: 'PaymentRefund', description: 'A refund of part or all of a payment' });

export const invoiceLineResponse = z
  .object({ position: z.number().int(), description: z.string(), quantity: z.number().int(), unitAmount: decimal })
  .meta({ id: 'InvoiceLine', description: 'One line of an invoice' });

export const invoiceResponse = z
  .object({
    id: z.string(),
    /** Per tenant, gapless: shown as `label` (INV-000123). */
    number: z.number().int(),
    label: z.string(),
    contactId: z.string().nullable(),
    currency: z.string(),
    total: decimal,
    dueDate: isoDate.nullable(),
    memo: z.string().nullable(),
    status: z.enum(InvoiceStatus),
    lines: z.array(invoiceLineResponse),
    createdAt: isoDate,
    updatedAt: isoDate,
  })
  .meta({ id: 'Invoice', description: 'An invoice: numbered lines and a due date, paid through a payment' });

export const paymentResponse = z
  .object({
    id: z.string(),
    contactId: z.string().nullable(),
    invoiceId: z.string().nullable(),
    amount: decimal,
    currency: z.string(),
    description: z.string().nullable(),
    provider: z.enum(PaymentProvider),
    /** Made without a connected provider: the pay page simulates it. */
    sandbox: z.boolean(),
    status: z.enum(PaymentStatus),
    amountRefunded: decimal,
    failureReason: z.string().nullable(),
    needsReview: z.boolean(),
    /** The pay page's public address, to send to the contact. */
    payUrl: z.string(),
    expiresAt: isoDate.nullable(),
    source: z.string(),
    stripePaymentIntentId: z.string().nullable(),
    paypalOrderId: z.string().nullable(),
    squarePaymentId: z.string().nullable(),
    checkoutId: z.string().nullable(),
    createdAt: isoDate,
    updatedAt: isoDate,
    paidAt: isoDate.nullable(),
    failedAt: isoDate.nullable(),
    refundedAt: isoDate.nullable(),
  })
  .meta({ id: 'Payment', description: 'A payment request and where it stands' });

export const paymentDetailResponse = paymentResponse
  .extend({ refunds: z.array(refundResponse), invoice: invoiceResponse.nullable() })
  .meta({ id: 'PaymentDetail', description: 'A payment with its refunds and its invoice' });

export const invoiceListQuery = listQuery({ cursor: keysetCursor, size: 50, max: 200 }).extend({
  status: z.enum(InvoiceStatus).optional(),
  contactId: rowId.optional(),
});

export const invoiceDetailResponse = invoiceResponse
  .extend({ payments: z.array(paymentResponse) })
  .meta({ id: 'InvoiceDetail', description: 'An invoice with the payments made for it' });
