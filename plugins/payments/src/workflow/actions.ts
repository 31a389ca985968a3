// The payments workflow steps: send the run's contact a payment link (text-to-pay), and make
// an invoice. Both run in the step's transaction through createPaymentRequest, keyed by the
// step, so a retried step makes one payment. The link goes out through messaging's action,
// so the contact's consent, quiet hours and do-not-disturb apply as to any message.
import { defineAction, PermanentFailure, Problem } from '@soshogle/core';
import { z } from 'zod';
import { createPaymentRequest, type PaymentRequestInput } from '../requests.ts';

// Rendered templates may leave a field empty: empty reads as absent.
const optional = (max: number) => z.string().trim().max(max).optional().transform((v) => v || undefined);

const lines = z
  .array(
    z.object({
      description: z.string().trim().min(1).max(500).describe('What it is'),
      quantity: z.coerce.number().int().min(1).max(10_000).describe('Quantity'),
      unitAmount: z.string().trim().min(1).max(40).describe('Unit price, e.g. 40.00'),
    }),
  )
  .max(100);

const currency = z.string().trim().length(3).describe('Currency (ISO 4217), e.g. USD');

/** Where the pay link goes in the message. Single braces: the engine fills `{{ }}` before the step runs. */
export const linkPlaceholder = '{link}';

/** The message with the link in its place, or after it when the message has no place for it. */
export function withLink(message: string, url: string): string {
  return message.includes(linkPlaceholder) ? message.replaceAll(linkPlaceholder, url) : `${message.trimEnd()}\n${url}`;
}

/** Refusals retrying cannot change (bad money in the props) become a PermanentFailure saying why. */
async function orFail<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Problem && error.status < 500) throw new PermanentFailure(error.message);
    throw error;
  }
}

const requested = z.object({ paymentId: z.string(), invoiceId: z.string().nullable(), url: z.string() });
const linkSent = requested.extend({ messageId: z.string().nullable(), status: z.enum(['queued', 'skipped']), reason: z.string().optional() });

export const sendPaymentLink = defineAction({
  name: 'send_payment_link',
  version: 1,
  displayName: 'Send payment link',
  description: "Asks the run's contact for a payment (an amount, or invoice lines) and sends them the pay link by SMS or email.",
  props: z.object({
    amount: optional(40).describe('Amount, e.g. 49.90 (or give invoice lines)'),
    lines: lines.optional().describe('Invoice lines (instead of an amount)'),
    currency,
    description: optional(500).describe('What it is for'),
    channel: z.enum(['SMS', 'EMAIL']).describe('Send by'),
    subject: optional(300).describe('Email subject'),
    message: z.string().trim().min(1).max(1600).describe(`The message; ${linkPlaceholder} marks where the pay link goes (at the end without it)`),
    expiresInDays: z.coerce.number().int().min(1).max(365).optional().describe('The link stops taking payments after this many days'),
  }),
  output: linkSent,
  idempotent: true,
  transactional: true,
  describe: (p) => `Send a payment link for ${p.amount ? `${p.amount} ${p.currency}` : `${p.lines?.length ?? 0} invoice lines`} by ${p.channel.toLowerCase()}`,
  // Annotated: its output comes from messaging's action, whose types come from the plugins' registry, which names this one.
  async run(ctx): Promise<z.input<typeof linkSent>> {
    const contactId = ctx.run.contactId;
    if (!contactId) throw new PermanentFailure('This run is about no contact: there is nobody to ask for a payment');
    const { props } = ctx;
    const input: PaymentRequestInput = {
      contactId, currency: props.currency, amount: props.amount ?? null, lines: props.lines ?? null, description: props.description ?? null,
      expiresAt: props.expiresInDays ? new Date(Date.now() + props.expiresInDays * 86_400_000) : null,
      source: 'WORKFLOW', key: `workflow:${ctx.idempotencyKey}`, fieldPrefix: 'props.',
    };
    const { payment, url } = await orFail(() => createPaymentRequest(ctx, ctx.db, input));
    const key = `payment-link:${payment.id}`;
    const { results } = await ctx.actions.run(
      ctx.db,
      'messaging.queue_messages',
      { channel: props.channel, messages: [{ contactId, body: withLink(props.message, url), ...(props.channel === 'EMAIL' ? { subject: props.subject ?? 'Your payment link' } : {}), idempotencyKey: key }] },
      { tenantId: ctx.tenantId, idempotencyKey: key, contactId },
    );
    const [sent] = results;
    return {
      paymentId: payment.id, invoiceId: payment.invoiceId, url,
      messageId: sent?.messageId ?? null, status: sent?.status ?? 'skipped', ...(sent?.reason ? { reason: sent.reason } : {}),
    };
  },
});

export const createInvoice = defineAction({
  name: 'create_invoice',
  version: 1,
  displayName: 'Create invoice',
  description: "Makes an invoice for the run's contact (numbered lines, a due date) with its pay link; send the link with a later step ({{ steps.<id>.url }}).",
  props: z.object({
    lines: lines.min(1).describe('Invoice lines'),
    currency,
    dueDate: optional(10).describe('Due date, YYYY-MM-DD'),
    memo: optional(2000).describe('Memo'),
  }),
  output: requested.extend({ invoiceNumber: z.number().int() }),
  idempotent: true,
  transactional: true,
  describe: (p) => `Create an invoice of ${p.lines.length} lines in ${p.currency}`,
  async run(ctx) {
    const { props } = ctx;
    if (props.dueDate && !/^\d{4}-\d{2}-\d{2}$/.test(props.dueDate)) throw new PermanentFailure(`props.dueDate: "${props.dueDate}" is not a date such as 2027-01-31`);
    const { payment, invoice, url } = await orFail(() =>
      createPaymentRequest(ctx, ctx.db, {
        contactId: ctx.run.contactId, currency: props.currency, lines: props.lines, dueDate: props.dueDate ?? null, memo: props.memo ?? null,
        source: 'WORKFLOW', key: `workflow:${ctx.idempotencyKey}`, fieldPrefix: 'props.',
      }),
    );
    return { paymentId: payment.id, invoiceId: payment.invoiceId, invoiceNumber: invoice?.number ?? 0, url };
  },
});

export const paymentActions = [sendPaymentLink, createInvoice];
