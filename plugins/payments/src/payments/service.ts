// Reading payments and invoices for the API: the list's filters and keyset pages, and the
// shapes the routes answer (the pay link is computed, the token itself is never listed apart).
import { keysetOf, notFound, olderThan, page, type Keyset, type TenantDb, type TenantTx } from '@soshogle/core';
import type { Invoice, InvoiceLine, Payment, Prisma } from '@soshogle/db';
import { invoiceLabel, payPath } from '../requests.ts';

type Db = TenantDb | TenantTx;
type PublicUrl = (path: string) => string;

export interface PaymentFilter {
  status?: Payment['status'];
  provider?: Payment['provider'];
  contactId?: string;
  from?: Date;
  to?: Date;
}

export function paymentWhere(filter: PaymentFilter): Prisma.PaymentWhereInput {
  return {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.provider ? { provider: filter.provider } : {}),
    ...(filter.contactId ? { contactId: filter.contactId } : {}),
    ...(filter.from || filter.to ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
}

/** A payment as the API answers it: its pay link instead of its token. */
export function paymentView(publicUrl: PublicUrl, payment: Payment) {
  const { payToken, providerData: _providerData, checkoutUrl: _checkoutUrl, key: _key, userId: _userId, ...rest } = payment;
  return { ...rest, payUrl: publicUrl(payPath(payToken)) };
}

export function invoiceView(invoice: Invoice & { lines: InvoiceLine[] }) {
  return {
    id: invoice.id,
    number: invoice.number,
    label: invoiceLabel(invoice.number),
    contactId: invoice.contactId,
    currency: invoice.currency,
    total: invoice.total,
    dueDate: invoice.dueDate,
    memo: invoice.memo,
    status: invoice.status,
    lines: invoice.lines.map((l) => ({ position: l.position, description: l.description, quantity: l.quantity, unitAmount: l.unitAmount })),
    createdAt: invoice.createdAt,
    updatedAt: invoice.updatedAt,
  };
}

/** Newest first, `limit` a page, after `cursor`. */
export async function listPayments(db: Db, publicUrl: PublicUrl, query: PaymentFilter & { cursor?: Keyset; limit: number }) {
  const rows = await db.payment.findMany({
    where: { AND: [paymentWhere(query), olderThan(query.cursor)] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const paged = page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
  return { ...paged, items: paged.items.map((p) => paymentView(publicUrl, p)) };
}

const lines = { orderBy: { position: 'asc' } } as const;

export async function paymentDetail(db: Db, publicUrl: PublicUrl, id: string) {
  const payment = await db.payment.findUnique({ where: { id }, include: { refunds: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }, invoice: { include: { lines } } } });
  if (!payment) throw notFound('Payment');
  const { refunds, invoice, ...rest } = payment;
  return { ...paymentView(publicUrl, rest), refunds, invoice: invoice ? invoiceView(invoice) : null };
}

export async function listInvoices(db: Db, query: { status?: Invoice['status']; contactId?: string; cursor?: Keyset; limit: number }) {
  const rows = await db.invoice.findMany({
    where: { ...(query.status ? { status: query.status } : {}), ...(query.contactId ? { contactId: query.contactId } : {}), ...olderThan(query.cursor) },
    include: { lines },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const paged = page(rows, query.limit, (last) => keysetOf(last.createdAt, last.id));
  return { ...paged, items: paged.items.map(invoiceView) };
}

export async function invoiceDetail(db: Db, publicUrl: PublicUrl, id: string) {
  const invoice = await db.invoice.findUnique({ where: { id }, include: { lines, payments: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] } } });
  if (!invoice) throw notFound('Invoice');
  return { ...invoiceView(invoice), payments: invoice.payments.map((p) => paymentView(publicUrl, p)) };
}
