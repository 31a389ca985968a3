// What workflow runs read as `payment` (conditions, templates): the payment named by the
// triggering event's `paymentId` (every payments trigger carries it), with its invoice's
// number, amounts as exact decimal strings and ISO times.
import { defineRunContext, type TenantTx } from '@soshogle/core';
import { invoiceLabel } from '../requests.ts';

export async function paymentRecord(db: TenantTx, id: string) {
  const p = await db.payment.findUnique({ where: { id }, include: { invoice: { select: { number: true, dueDate: true } } } });
  if (!p) return null;
  return {
    id: p.id,
    amount: p.amount.toString(),
    currency: p.currency,
    description: p.description,
    status: p.status,
    provider: p.provider,
    sandbox: p.sandbox,
    amountRefunded: p.amountRefunded.toString(),
    failureReason: p.failureReason,
    contactId: p.contactId,
    invoiceId: p.invoiceId,
    invoiceNumber: p.invoice ? invoiceLabel(p.invoice.number) : null,
    dueDate: p.invoice?.dueDate?.toISOString().slice(0, 10) ?? null,
    source: p.source,
    createdAt: p.createdAt.toISOString(),
    paidAt: p.paidAt?.toISOString() ?? null,
    failedAt: p.failedAt?.toISOString() ?? null,
    refundedAt: p.refundedAt?.toISOString() ?? null,
    expiresAt: p.expiresAt?.toISOString() ?? null,
  };
}

const fieldNames = [
  'id', 'amount', 'currency', 'description', 'status', 'provider', 'sandbox', 'amountRefunded', 'failureReason', 'contactId', 'invoiceId',
  'invoiceNumber', 'dueDate', 'source', 'createdAt', 'paidAt', 'failedAt', 'refundedAt', 'expiresAt',
] as const;

export const paymentContext = defineRunContext({
  name: 'payment',
  load: paymentRecord,
  fields: { names: fieldNames },
});
