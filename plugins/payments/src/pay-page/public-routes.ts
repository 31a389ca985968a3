// The public pay page's API (the UI serves /pay/:token). No one signs in: the token in the
// URL (random, naming no tenant) finds the tenant and the payment. The page shows what is
// asked, then hands the payer to the provider's checkout, made once per payment (its
// idempotency key is derived from the payment); the payer's return and, without a
// provider, the sandbox's simulated outcome go through the state machine like a webhook.
import { conflict, defineRoute, limitHits, notFound, refuse, type AnyRoute, type PluginContext, type TenantDb, type WebhookLookup } from '@soshogle/core';
import type { Payment, Prisma } from '@soshogle/db';
import { checkoutExpiry, type PaymentUpdate } from '../capabilities.ts';
import { paymentsConfig } from '../config.ts';
import { toMinor } from '../money.ts';
import { paymentRef, providerFailure, providerOf } from '../provider.ts';
import { planReconcile } from '../reconcile/job.ts';
import { invoiceLabel, payPath } from '../requests.ts';
import { applyPaymentUpdates, lockPaymentBy } from '../state.ts';
import { checkoutResponse, payParams, payStatus, publicPayment, returnBody, sandboxBody } from './schemas.ts';

async function payTenant({ params }: { params: { payToken: string } }, lookup: WebhookLookup): Promise<string | null> {
  const payment = await lookup.payment.findUnique({ where: { payToken: params.payToken }, select: { userId: true } });
  return payment?.userId ?? null;
}

async function paymentOf(db: TenantDb, payToken: string) {
  const payment = await db.payment.findUnique({ where: { payToken }, include: { invoice: { include: { lines: { orderBy: { position: 'asc' } } } } } });
  if (!payment) throw notFound('Payment');
  return payment;
}

type Loaded = Awaited<ReturnType<typeof paymentOf>>;

const paid = (p: Payment) => p.status === 'SUCCEEDED' || p.status === 'REFUNDED';
const expired = (p: Loaded) => (p.expiresAt !== null && p.expiresAt <= new Date()) || p.invoice?.status === 'VOID';

/** What the pay page keeps of the checkouts it made, in Payment.providerData. */
interface CheckoutsMade {
  checkouts?: number;
  [checkoutExpiry]?: string | null;
}

/** The stored checkout, while it still takes payment. */
function liveCheckout(payment: Payment, now = new Date()): string | null {
  const end = ((payment.providerData ?? {}) as CheckoutsMade)[checkoutExpiry];
  return payment.checkoutUrl && !(end && new Date(end) <= now) ? payment.checkoutUrl : null;
}

/** 409 unless the payment still takes a payment. */
function stillOpen(payment: Loaded): void {
  if (paid(payment)) throw conflict('This payment is already paid', 'status');
  if (expired(payment)) throw conflict('This payment link has expired', 'expiresAt');
}

const pageRoute = defineRoute({
  method: 'GET',
  path: '/public/pay/:payToken',
  summary: 'A payment as its pay page shows it: who asks, how much, for what (an invoice’s lines), and where it stands',
  access: 'public',
  params: payParams,
  response: publicPayment,
  tenant: payTenant,
  async handler({ db, params }) {
    const payment = await paymentOf(db, params.payToken);
    const business = await db.user.findFirst({ select: { businessName: true, name: true } });
    const { invoice } = payment;
    return {
      businessName: business?.businessName ?? business?.name ?? null,
      amount: payment.amount,
      currency: payment.currency,
      description: payment.description,
      status: payment.status,
      sandbox: payment.sandbox,
      expired: expired(payment),
      invoice: invoice
        ? { label: invoiceLabel(invoice.number), dueDate: invoice.dueDate, memo: invoice.memo, lines: invoice.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitAmount: l.unitAmount })) }
        : null,
    };
  },
});

/** A provider's failure as the payer sees it: the provider is down (502), never a 500. */
function providerProblem(error: unknown): unknown {
  const failure = providerFailure(error);
  if (!failure) return error;
  return refuse(502, failure.retryable || failure.outcomeUnknown ? 'The payment provider did not answer: try again in a moment' : 'The payment provider refused this checkout');
}

const checkoutRoute = defineRoute({
  config: paymentsConfig,
  method: 'POST',
  path: '/public/pay/:payToken/checkout',
  summary: "Hand the payer to the provider's checkout (made once per payment); 409 when it is paid or expired",
  access: 'public',
  params: payParams,
  response: checkoutResponse,
  tenant: payTenant,
  async handler(ctx) {
    await limitHits(ctx, [{ key: `checkout:ip:${ctx.http.ip}`, limit: ctx.config.checkoutsPerIpHour, windowSeconds: 3600, what: 'checkouts from this address' }]);
    const payment = await paymentOf(ctx.db, ctx.params.payToken);
    stillOpen(payment);
    const pagePath = payPath(payment.payToken);
    // Sandbox: the pay page itself plays the provider.
    if (payment.sandbox) return { url: ctx.publicUrl(`${pagePath}?sandbox=1`) };
    const live = liveCheckout(payment);
    if (live) return { url: live };
    // The first checkout's key is the payment's; one made after it expired has its own, else
    // the provider would answer the expired one again for the same key.
    const made = ((payment.providerData ?? {}) as CheckoutsMade).checkouts ?? (payment.checkoutUrl ? 1 : 0);
    const provider = await providerOf(ctx, payment);
    if (!provider) throw conflict('This business no longer takes payments through this provider', 'provider');
    const contact = payment.contactId ? await ctx.db.contact.findUnique({ where: { id: payment.contactId }, select: { email: true, phone: true, firstName: true, lastName: true } }) : null;
    const amountMinor = toMinor(payment.amount, payment.currency);
    const lines = payment.invoice?.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitAmountMinor: toMinor(l.unitAmount, payment.currency) }))
      ?? [{ description: payment.description ?? 'Payment', quantity: 1, unitAmountMinor: amountMinor }];
    let checkout;
    try {
      checkout = await provider.createCheckout({
        paymentId: payment.id,
        idempotencyKey: made ? `pay_${payment.id}_${made + 1}` : `pay_${payment.id}`,
        amountMinor,
        currency: payment.currency,
        description: payment.description ?? 'Payment',
        lines,
        customer: { email: contact?.email ?? null, phone: contact?.phone ?? null, name: contact ? [contact.firstName, contact.lastName].filter(Boolean).join(' ') : null },
        returnUrl: ctx.publicUrl(`${pagePath}?return=1`),
        cancelUrl: ctx.publicUrl(`${pagePath}?cancelled=1`),
        expiresAt: payment.expiresAt,
      });
    } catch (error) {
      throw providerProblem(error);
    }
    return ctx.db.$transaction(async (tx) => {
      const locked = await lockPaymentBy(tx, ctx.tenantId, { id: payment.id });
      // A concurrent request stored it first: the same key made the same checkout.
      const stored = locked && liveCheckout(locked);
      if (stored) return { url: stored };
      const current = (locked?.providerData ?? {}) as Record<string, unknown>;
      const kept: CheckoutsMade = { checkouts: made + 1, [checkoutExpiry]: checkout.expiresAt?.toISOString() ?? null };
      await tx.payment.update({
        where: { id: payment.id },
        data: {
          checkoutId: checkout.checkoutId,
          checkoutUrl: checkout.url,
          ...checkout.ids,
          providerData: { ...current, ...checkout.providerData, ...kept } as Prisma.InputJsonValue,
        },
      });
      await planReconcile(ctx, tx, payment.id);
      return { url: checkout.url };
    });
  },
});

async function applied(ctx: Pick<PluginContext, 'events' | 'log'> & { db: TenantDb; tenantId: string }, payment: Payment, updates: PaymentUpdate[]) {
  if (updates.length) await ctx.db.$transaction((tx) => applyPaymentUpdates(ctx, tx, updates));
  const now = await ctx.db.payment.findUniqueOrThrow({ where: { id: payment.id }, select: { status: true } });
  return { status: now.status };
}

const returnRoute = defineRoute({
  method: 'POST',
  path: '/public/pay/:payToken/return',
  summary: "The payer came back from the provider's checkout (with its query): completes the payment where the provider needs it; answers where it stands",
  access: 'public',
  params: payParams,
  body: returnBody,
  response: payStatus,
  tenant: payTenant,
  async handler(ctx) {
    const payment = await paymentOf(ctx.db, ctx.params.payToken);
    const provider = await providerOf(ctx, payment);
    if (!provider?.completeCheckout || !payment.checkoutId || paid(payment)) return applied(ctx, payment, []);
    let updates: PaymentUpdate[];
    try {
      updates = await provider.completeCheckout(paymentRef(payment), new URLSearchParams(ctx.body.query));
    } catch (error) {
      const failure = providerFailure(error);
      if (!failure) throw error;
      // The webhook or reconciliation settles it; the page shows where it stands.
      ctx.log.warn({ paymentId: payment.id, code: failure.code, err: failure.message }, 'completing the checkout failed');
      updates = [];
    }
    return applied(ctx, payment, updates);
  },
});

const outcomes = {
  succeed: { status: 'SUCCEEDED', failureReason: null },
  decline: { status: 'FAILED', failureReason: 'card_declined' },
  abandon: { status: 'FAILED', failureReason: 'abandoned' },
} as const;

const sandboxRoute = defineRoute({
  method: 'POST',
  path: '/public/pay/:payToken/sandbox',
  summary: 'Sandbox payments only (no provider connected): simulate the payer paying, being declined or giving up',
  access: 'public',
  params: payParams,
  body: sandboxBody,
  response: payStatus,
  tenant: payTenant,
  async handler(ctx) {
    const payment = await paymentOf(ctx.db, ctx.params.payToken);
    if (!payment.sandbox) throw conflict('This payment goes through a real provider', 'sandbox');
    stillOpen(payment);
    const outcome = outcomes[ctx.body.outcome];
    return applied(ctx, payment, [{ kind: 'payment', payment: { id: payment.id }, status: outcome.status, failureReason: outcome.failureReason, at: new Date() }]);
  },
});

export const payPageRoutes: AnyRoute[] = [pageRoute, checkoutRoute, returnRoute, sandboxRoute];
