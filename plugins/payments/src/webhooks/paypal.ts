// PayPal's webhooks at each tenant's own URL (registered in the tenant's PayPal app; its
// webhook id is part of the connection, since PayPal's signature covers it). Events:
// CHECKOUT.ORDER.APPROVED (the payer approved: PROCESSING; the capture happens on their
// return or by reconciliation), PAYMENT.CAPTURE.COMPLETED | PENDING | DENIED, and
// PAYMENT.CAPTURE.REFUNDED | REVERSED (a refund resource). Deliveries are deduplicated on
// PayPal's event id; each becomes PaymentUpdates that state.ts applies in any order.
import { defineWebhook, type TenantTx } from '@soshogle/core';
import { z } from 'zod';
import type { PaymentMatch, PaymentUpdate } from '../capabilities.ts';
import { paymentsConfig } from '../config.ts';
import { paypalClient, type PaypalAccount } from '../providers/paypal-client.ts';
import { captureUpdate, refundUpdate } from '../providers/paypal-updates.ts';
import { applyPaymentUpdates } from '../state.ts';
import { isFresh, transmissionOf, verifiedByPostback, verifiedLocally } from './paypal-signature.ts';

const money = z.object({ currency_code: z.string(), value: z.string() });
const link = z.object({ href: z.string(), rel: z.string() });
const event = z.object({
  id: z.string().min(1),
  event_type: z.string(),
  create_time: z.string().optional(),
  resource: z.looseObject({}),
});
const order = z.object({ id: z.string(), purchase_units: z.array(z.object({ custom_id: z.string().optional() })).optional() });
const capture = z.object({
  id: z.string(),
  status: z.string().optional(),
  custom_id: z.string().optional(),
  status_details: z.object({ reason: z.string().optional() }).optional(),
  supplementary_data: z.object({ related_ids: z.object({ order_id: z.string().optional() }).optional() }).optional(),
  create_time: z.string().optional(),
  update_time: z.string().optional(),
});
const refund = z.object({
  id: z.string(),
  status: z.string(),
  amount: money,
  custom_id: z.string().optional(),
  links: z.array(link).optional(),
  create_time: z.string().optional(),
  update_time: z.string().optional(),
});

const eventOf = (rawBody: Buffer) => event.parse(JSON.parse(rawBody.toString('utf8')));

/** The capture status each capture event reports (DENIED is a DECLINED capture). */
const captureEvents: Record<string, string> = { 'PAYMENT.CAPTURE.COMPLETED': 'COMPLETED', 'PAYMENT.CAPTURE.PENDING': 'PENDING', 'PAYMENT.CAPTURE.DENIED': 'DECLINED' };
const refundEvents = new Set(['PAYMENT.CAPTURE.REFUNDED', 'PAYMENT.CAPTURE.REVERSED']);

export const paypalWebhook = defineWebhook({
  config: paymentsConfig,
  summary: "PayPal's webhooks: order approved, capture completed, pending, denied, refunded and reversed",
  path: '/:tenant/paypal',
  async verify(request, { credentials, config }) {
    const account = await credentials?.get<PaypalAccount>('paypal');
    const transmission = transmissionOf(request);
    if (!account || !transmission || !isFresh(transmission)) return false;
    const check = config.paypalWebhookCheck;
    if (check !== 'postback' && !(await verifiedLocally(request, transmission, account.webhookId, config.paypalCertOrigins))) return false;
    if (check !== 'local' && !(await verifiedByPostback(request, transmission, account, config.paypalApiUrl))) return false;
    return true;
  },
  deliveryId: (request) => eventOf(request.rawBody).id,
  async handle(request, ctx) {
    const updates = await updatesOf(eventOf(request.rawBody), ctx.tx, async () => {
      const account = await ctx.credentials.get<PaypalAccount>('paypal', { tx: ctx.tx });
      return account ? paypalClient(ctx.config.paypalApiUrl, account) : null;
    });
    if (updates.length === 0) ctx.log.info({ tenantId: ctx.tenantId }, 'PayPal webhook with nothing for a payment of ours');
    await applyPaymentUpdates(ctx, ctx.tx, updates);
  },
});

type Client = ReturnType<typeof paypalClient>;

async function updatesOf(delivered: z.output<typeof event>, tx: TenantTx, client: () => Promise<Client | null>): Promise<PaymentUpdate[]> {
  const type = delivered.event_type;
  if (type === 'CHECKOUT.ORDER.APPROVED') {
    const approved = order.parse(delivered.resource);
    const match = { id: approved.purchase_units?.[0]?.custom_id ?? null, paypalOrderId: approved.id };
    return [{ kind: 'payment', payment: match, status: 'PROCESSING', at: new Date(delivered.create_time ?? Date.now()), ids: { paypalOrderId: approved.id } }];
  }
  const captureStatus = captureEvents[type];
  if (captureStatus) {
    const c = capture.parse(delivered.resource);
    const orderId = c.supplementary_data?.related_ids?.order_id ?? null;
    return captureUpdate({ id: c.custom_id ?? null, paypalOrderId: orderId }, {
      id: c.id, status: captureStatus, orderId, reason: c.status_details?.reason ?? null, at: c.update_time ?? c.create_time ?? delivered.create_time ?? null,
    });
  }
  if (refundEvents.has(type)) {
    const r = refund.parse(delivered.resource);
    const match = await paymentOfRefund(tx, r, client);
    if (!match) return [];
    return refundUpdate(match, { id: r.id, status: r.status, value: r.amount.value, currency: r.amount.currency_code, customId: r.custom_id ?? null, at: r.update_time ?? r.create_time ?? null });
  }
  return [];
}

/**
 * The payment a refund belongs to. A refund resource names neither the order nor our
 * payment: ours carry our refund id (custom_id); else the capture it links to ("up"),
 * which we know once the capture was reported, or PayPal tells us (the capture carries our
 * payment id) when the refund is reported first.
 */
async function paymentOfRefund(tx: TenantTx, r: z.output<typeof refund>, client: () => Promise<Client | null>): Promise<PaymentMatch | null> {
  if (r.custom_id) {
    const ours = await tx.paymentRefund.findFirst({ where: { id: r.custom_id }, select: { paymentId: true } });
    if (ours) return { id: ours.paymentId };
  }
  const captureId = /\/v2\/payments\/captures\/([^/?#]+)/.exec(r.links?.find((l) => l.rel === 'up')?.href ?? '')?.[1];
  if (!captureId) return null;
  const known = await tx.payment.findFirst({ where: { provider: 'PAYPAL', providerData: { path: ['captureId'], equals: captureId } }, select: { id: true } });
  if (known) return { id: known.id };
  const paypal = await client();
  if (!paypal) return null;
  const { result } = await paypal.payments.getCapturedPayment({ captureId });
  return result.customId ? { id: result.customId, paypalOrderId: result.supplementaryData?.relatedIds?.orderId ?? null } : null;
}
