// Where a payment stands, from what its provider says: webhooks arrive duplicated, late and
// out of order, the payer's return and the reconciliation job say the same things again.
// Every update is applied under the payment's row lock, and only ever moves it forward:
//   PENDING -> PROCESSING -> FAILED -> SUCCEEDED -> REFUNDED
// (a declined card may be tried again and succeed; a success is never undone by a late
// failure). Refunds are rows keyed by the provider's refund id; the payment's refunded
// amount and REFUNDED status are recomputed from them, never incremented, so any order of
// the same set of updates gives the same final state.
import { tenantSql, type PluginContext, type TenantTx } from '@soshogle/core';
import { Prisma, type Payment, type PaymentRefund, type PaymentStatus, type RefundStatus } from '@soshogle/db';
import type { PaymentMatch, PaymentUpdate } from './capabilities.ts';
import { fromMinor, toMinor } from './money.ts';

const paymentRank: Record<PaymentStatus, number> = { PENDING: 0, PROCESSING: 1, FAILED: 2, SUCCEEDED: 3, REFUNDED: 4 };
const refundRank: Record<RefundStatus, number> = { PENDING: 0, FAILED: 1, SUCCEEDED: 2 };

type Ctx = Pick<PluginContext, 'events' | 'log'> & { tenantId: string };

/** Applies the updates in order, each under its payment's lock. Updates for payments we do not have are ignored (logged). */
export async function applyPaymentUpdates(ctx: Ctx, tx: TenantTx, updates: PaymentUpdate[]): Promise<void> {
  for (const update of updates) {
    const payment = await lockPaymentBy(tx, ctx.tenantId, update.payment);
    if (!payment) {
      ctx.log.info({ match: update.payment, kind: update.kind }, 'payment update for a payment we do not have: ignored');
      continue;
    }
    if (update.kind === 'payment') await applyPaymentStatus(ctx, tx, payment, update);
    else await applyRefund(ctx, tx, payment, update);
  }
}

/** Locks the payment for the rest of the transaction (all changes to a payment take turns). Null: no such payment of this tenant. */
export async function lockPaymentBy(tx: TenantTx, tenantId: string, match: PaymentMatch): Promise<Payment | null> {
  const t = tenantSql(tenantId);
  const clauses = [
    match.id && Prisma.sql`id = ${match.id}`,
    match.checkoutId && Prisma.sql`"checkoutId" = ${match.checkoutId}`,
    match.stripePaymentIntentId && Prisma.sql`"stripePaymentIntentId" = ${match.stripePaymentIntentId}`,
    match.paypalOrderId && Prisma.sql`"paypalOrderId" = ${match.paypalOrderId}`,
    match.squarePaymentId && Prisma.sql`"squarePaymentId" = ${match.squarePaymentId}`,
  ].filter((c): c is Prisma.Sql => !!c);
  if (clauses.length === 0) return null;
  const [row] = await tx.$queryRaw<{ id: string }[]>(t`select id from "Payment" where (${Prisma.join(clauses, ' or ')}) and ${t.owns()} order by "createdAt" limit 1 for update`);
  return row ? tx.payment.findUniqueOrThrow({ where: { id: row.id } }) : null;
}

async function applyPaymentStatus(ctx: Ctx, tx: TenantTx, payment: Payment, update: Extract<PaymentUpdate, { kind: 'payment' }>): Promise<void> {
  // The failure of a checkout the pay page has since replaced (it expired) fails nothing.
  const replaced = update.payment.checkoutId && payment.checkoutId && update.payment.checkoutId !== payment.checkoutId;
  if (update.status === 'FAILED' && replaced) return;
  const moves = paymentRank[update.status] > paymentRank[payment.status];
  const data: Prisma.PaymentUpdateInput = { ...newIds(payment, update.ids), ...mergedProviderData(payment, update.providerData) };
  if (update.status === 'SUCCEEDED') {
    // The earliest success the provider reports, whatever order the reports come in.
    if (!payment.paidAt || update.at < payment.paidAt) data.paidAt = update.at;
  }
  if (update.status === 'FAILED' && (!payment.failedAt || update.at > payment.failedAt)) {
    data.failedAt = update.at;
    data.failureReason = update.failureReason ?? null;
  }
  if (moves) data.status = update.status;
  if (Object.keys(data).length === 0) return;
  const moved = await tx.payment.update({ where: { id: payment.id }, data });
  if (moves && update.status === 'SUCCEEDED') await raiseSucceeded(ctx, tx, moved);
  if (moves && update.status === 'FAILED') {
    await ctx.events.raise(tx, 'payments.payment_failed', { ...payloadOf(moved), reason: moved.failureReason }, { tenantId: ctx.tenantId });
  }
}

async function applyRefund(ctx: Ctx, tx: TenantTx, payment: Payment, update: Extract<PaymentUpdate, { kind: 'refund' }>): Promise<void> {
  const refund = await findRefund(tx, payment, update);
  const processedAt = update.status === 'PENDING' ? null : update.at;
  let row: PaymentRefund;
  if (!refund) {
    // Made at the provider (its dashboard): we hear of it only now.
    row = await tx.paymentRefund.create({
      data: {
        userId: payment.userId, paymentId: payment.id, amount: fromMinor(update.amountMinor, payment.currency),
        status: update.status, providerRefundId: update.providerRefundId, failureReason: update.failureReason ?? null,
        processedAt, requestedBy: 'provider',
      },
    });
  } else {
    const moves = refundRank[update.status] > refundRank[refund.status];
    if (!moves && refund.providerRefundId === update.providerRefundId) return;
    row = await tx.paymentRefund.update({
      where: { id: refund.id },
      data: {
        providerRefundId: update.providerRefundId,
        ...(moves ? { status: update.status, processedAt, failureReason: update.failureReason ?? null, needsReview: false } : {}),
      },
    });
    if (!moves) return;
  }
  if (row.status !== 'SUCCEEDED') return;
  await settleRefunds(ctx, tx, payment, row);
}

/** Ours by the provider's id, by our id echoed back, or (a webhook racing the refund call's answer) our unclaimed refund of the same amount. */
async function findRefund(tx: TenantTx, payment: Payment, update: Extract<PaymentUpdate, { kind: 'refund' }>): Promise<PaymentRefund | null> {
  const byProvider = await tx.paymentRefund.findFirst({ where: { paymentId: payment.id, providerRefundId: update.providerRefundId } });
  if (byProvider) return byProvider;
  if (update.refundId) {
    const ours = await tx.paymentRefund.findFirst({ where: { paymentId: payment.id, id: update.refundId } });
    if (ours) return ours;
  }
  return tx.paymentRefund.findFirst({
    where: { paymentId: payment.id, providerRefundId: null, amount: fromMinor(update.amountMinor, payment.currency) },
    orderBy: { createdAt: 'asc' },
  });
}

/** Recomputes the refunded amount from the refund rows; a refund implies the payment succeeded first. */
async function settleRefunds(ctx: Ctx, tx: TenantTx, payment: Payment, refund: PaymentRefund): Promise<void> {
  const succeeded = await tx.paymentRefund.findMany({ where: { paymentId: payment.id, status: 'SUCCEEDED' }, select: { amount: true, processedAt: true } });
  const refundedMinor = succeeded.reduce((sum, r) => sum + toMinor(r.amount, payment.currency), 0);
  const full = refundedMinor >= toMinor(payment.amount, payment.currency);
  const lastAt = succeeded.reduce<Date | null>((last, r) => (r.processedAt && (!last || r.processedAt > last) ? r.processedAt : last), null);
  const wasPaid = paymentRank[payment.status] >= paymentRank.SUCCEEDED;
  const moved = await tx.payment.update({
    where: { id: payment.id },
    data: {
      amountRefunded: fromMinor(refundedMinor, payment.currency),
      status: full ? 'REFUNDED' : wasPaid ? payment.status : 'SUCCEEDED',
      refundedAt: full ? lastAt : null,
      ...(payment.paidAt ? {} : { paidAt: refund.processedAt ?? refund.createdAt }),
    },
  });
  if (!wasPaid) await raiseSucceeded(ctx, tx, moved);
  await ctx.events.raise(tx, 'payments.payment_refunded', {
    ...payloadOf(moved),
    amount: refund.amount.toString(),
    refundId: refund.id,
    paymentAmount: moved.amount.toString(),
    amountRefunded: moved.amountRefunded.toString(),
    full,
  }, { tenantId: ctx.tenantId });
}

function raiseSucceeded(ctx: Ctx, tx: TenantTx, payment: Payment) {
  return ctx.events.raise(tx, 'payments.payment_succeeded', { ...payloadOf(payment), paidAt: (payment.paidAt ?? new Date()).toISOString() }, { tenantId: ctx.tenantId });
}

/** What every payment event carries. */
export function payloadOf(payment: Payment) {
  return {
    paymentId: payment.id,
    contactId: payment.contactId,
    invoiceId: payment.invoiceId,
    provider: payment.provider,
    amount: payment.amount.toString(),
    currency: payment.currency,
    description: payment.description,
    source: payment.source,
    sandbox: payment.sandbox,
    reference: payment.reference,
  };
}

/** Provider ids we did not know yet; a known one is never overwritten. */
function newIds(payment: Payment, ids: PaymentMatch | undefined): Prisma.PaymentUpdateInput {
  const data: Prisma.PaymentUpdateInput = {};
  for (const key of ['stripePaymentIntentId', 'paypalOrderId', 'squarePaymentId'] as const) {
    const value = ids?.[key];
    if (value && !payment[key]) data[key] = value;
  }
  return data;
}

function mergedProviderData(payment: Payment, extra: Record<string, unknown> | undefined): Prisma.PaymentUpdateInput {
  if (!extra || Object.keys(extra).length === 0) return {};
  const current = (payment.providerData ?? {}) as Record<string, unknown>;
  if (Object.entries(extra).every(([k, v]) => JSON.stringify(current[k]) === JSON.stringify(v))) return {};
  return { providerData: { ...current, ...extra } as Prisma.InputJsonValue };
}
