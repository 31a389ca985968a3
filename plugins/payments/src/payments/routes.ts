// The payments API under /api/payments (signed in): make a payment request, list and read
// payments, refund one, export them as CSV; list, read and void invoices. Handlers parse
// and shape; the rules live in requests.ts, refunds/request.ts and state.ts.
import { conflict, defineRoute, fileResponse, invalid, listOf, notFound, tenantSql, type AnyRoute } from '@soshogle/core';
import { createPaymentRequest } from '../requests.ts';
import { requestRefund } from '../refunds/request.ts';
import { paymentsCsv } from './export.ts';
import { revenueRoute } from './revenue.ts';
import {
  idParams,
  invoiceDetailResponse,
  invoiceListQuery,
  invoiceResponse,
  paymentDetailResponse,
  paymentFilter,
  paymentInput,
  paymentListQuery,
  paymentResponse,
  refundInput,
  refundResponse,
} from './schemas.ts';
import { invoiceDetail, listInvoices, listPayments, paymentDetail, paymentWhere } from './service.ts';

const createRoute = defineRoute({
  method: 'POST',
  path: '/payments',
  summary: 'Ask for a payment: an amount, or invoice lines (an invoice is made); answers the pay link. Send `Idempotency-Key` to make it once.',
  status: 201,
  body: paymentInput,
  response: paymentDetailResponse,
  async handler(ctx) {
    const { body } = ctx;
    const key = ctx.http.get('idempotency-key').slice(0, 200);
    const { payment } = await ctx.db.$transaction(async (tx) => {
      // Another tenant's contact and no contact answer alike.
      if (body.contactId && !(await tx.contact.findUnique({ where: { id: body.contactId }, select: { id: true } }))) {
        throw invalid('body.contactId', 'No such contact');
      }
      return createPaymentRequest(ctx, tx, {
        ...body,
        lines: body.lines ?? null,
        source: ctx.auth.via === 'api_key' ? 'API' : 'UI',
        key: key ? `api:${key}` : null,
        fieldPrefix: 'body.',
      });
    });
    return paymentDetail(ctx.db, ctx.publicUrl, payment.id);
  },
});

const listRoute = defineRoute({
  method: 'GET',
  path: '/payments',
  summary: 'Payments, newest first; filter by status, provider, contact and when they were made ([from, to))',
  query: paymentListQuery,
  response: listOf(paymentResponse),
  handler: ({ db, publicUrl, query }) => listPayments(db, publicUrl, query),
});

const exportRoute = defineRoute({
  method: 'GET',
  path: '/payments/export.csv',
  summary: 'The payments the filters match, as a CSV file (newest first)',
  query: paymentFilter,
  response: fileResponse('text/csv'),
  async handler({ db, query, http }) {
    http.attachment(`payments-${new Date().toISOString().slice(0, 10)}.csv`);
    http.type = 'text/csv; charset=utf-8';
    return await paymentsCsv(db, paymentWhere(query));
  },
});

const getRoute = defineRoute({
  method: 'GET',
  path: '/payments/:id',
  summary: 'A payment with its refunds, its invoice and its pay link',
  params: idParams,
  response: paymentDetailResponse,
  handler: ({ db, publicUrl, params }) => paymentDetail(db, publicUrl, params.id),
});

const refundRoute = defineRoute({
  method: 'POST',
  path: '/payments/:id/refunds',
  summary: 'Refund part or (without an amount) all of what is left of a paid payment; 409 when it is not paid or nothing is left, 422 for more than is left',
  status: 201,
  params: idParams,
  body: refundInput,
  response: refundResponse,
  handler: (ctx) =>
    ctx.db.$transaction((tx) => requestRefund(ctx, tx, { paymentId: ctx.params.id, amount: ctx.body.amount, reason: ctx.body.reason, requestedBy: ctx.auth.userId, fieldPrefix: 'body.' })),
});

const invoicesRoute = defineRoute({
  method: 'GET',
  path: '/invoices',
  summary: 'Invoices, newest first; filter by status and contact',
  query: invoiceListQuery,
  response: listOf(invoiceResponse),
  handler: ({ db, query }) => listInvoices(db, query),
});

const invoiceRoute = defineRoute({
  method: 'GET',
  path: '/invoices/:id',
  summary: 'An invoice with its lines and the payments made for it',
  params: idParams,
  response: invoiceDetailResponse,
  handler: ({ db, publicUrl, params }) => invoiceDetail(db, publicUrl, params.id),
});

const voidRoute = defineRoute({
  method: 'POST',
  path: '/invoices/:id/void',
  summary: 'Void an open invoice: its unpaid payments stop taking payments; 409 for a paid one',
  params: idParams,
  response: invoiceDetailResponse,
  async handler(ctx) {
    await ctx.db.$transaction(async (tx) => {
      const t = tenantSql(ctx.tenantId);
      const [row] = await tx.$queryRaw<{ status: string }[]>(t`select status::text as status from "Invoice" where id = ${ctx.params.id} and ${t.owns()} for update`);
      if (!row) throw notFound('Invoice');
      if (row.status === 'VOID') return;
      const paid = await tx.payment.count({ where: { invoiceId: ctx.params.id, status: { in: ['SUCCEEDED', 'REFUNDED'] } } });
      if (row.status === 'PAID' || paid > 0) throw conflict('A paid invoice cannot be voided: refund its payment instead', 'status');
      await tx.invoice.update({ where: { id: ctx.params.id }, data: { status: 'VOID' } });
      // Its open links stop taking payments now.
      await tx.payment.updateMany({ where: { invoiceId: ctx.params.id, status: { in: ['PENDING', 'FAILED'] }, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] }, data: { expiresAt: new Date() } });
    });
    return invoiceDetail(ctx.db, ctx.publicUrl, ctx.params.id);
  },
});

// The export before `/payments/:id`, so "export.csv" is never read as an id.
export const paymentRoutes: AnyRoute[] = [createRoute, listRoute, exportRoute, getRoute, refundRoute, invoicesRoute, invoiceRoute, voidRoute, revenueRoute];
