// payments.create_payment_request: how another plugin asks for a payment without importing
// this one (the calendar, for a booking of a type with a price). Internal and transactional:
// the payment is made in the caller's transaction (a booking that rolls back leaves no
// payment), keyed by the caller's idempotency key (the same key gives back the same payment).
// `reference` names what it is for; the payment events carry it back to the asker.
import { defineAction } from '@soshogle/core';
import { z } from 'zod';
import { createPaymentRequest } from './requests.ts';

export const createPaymentRequestAction = defineAction({
  name: 'create_payment_request',
  version: 1,
  internal: true,
  displayName: 'Create a payment request',
  description: 'A payment request for an amount, with its pay page link; the payment events carry `reference` back.',
  props: z.object({
    contactId: z.string().min(1).nullish(),
    amount: z.string().trim().min(1).max(40).describe('Decimal in the major unit, e.g. 40.00'),
    currency: z.string().trim().length(3).describe('ISO 4217, e.g. USD'),
    description: z.string().trim().max(500).nullish(),
    /** ISO instant: the link stops taking payments after it. */
    expiresAt: z.iso.datetime({ offset: true }).nullish(),
    source: z.enum(['API', 'UI', 'WORKFLOW', 'INBOX', 'BOOKING']),
    reference: z.string().trim().min(1).max(200).nullish().describe('What it is for, e.g. calendar.appointment:<id>'),
  }),
  output: z.object({ paymentId: z.string(), url: z.string() }),
  idempotent: true,
  transactional: true,
  async run(ctx) {
    const { props } = ctx;
    const { payment, url } = await createPaymentRequest(ctx, ctx.db, {
      contactId: props.contactId ?? null,
      amount: props.amount,
      currency: props.currency,
      description: props.description ?? null,
      expiresAt: props.expiresAt ? new Date(props.expiresAt) : null,
      source: props.source,
      key: ctx.idempotencyKey,
      reference: props.reference ?? null,
      fieldPrefix: 'props.',
    });
    return { paymentId: payment.id, url };
  },
});
