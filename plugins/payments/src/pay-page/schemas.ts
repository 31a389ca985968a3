// What the public pay page's API takes and answers: only what the payer needs to see.
import { decimal, isoDate } from '@soshogle/core';
import { PaymentStatus } from '@soshogle/db';
import { z } from 'zod';

export const payParams = z.object({ payToken: z.string().min(16).max(100) });

export const publicPayment = z
  .object({
    businessName: z.string().nullable(),
    amount: decimal,
    currency: z.string(),
    description: z.string().nullable(),
    status: z.enum(PaymentStatus),
    /** No provider is connected: the page offers to simulate a success, a decline or an abandon. */
    sandbox: z.boolean(),
    /** The link no longer takes payments (past its expiry, or its invoice was voided). */
    expired: z.boolean(),
    invoice: z
      .object({
        label: z.string(),
        dueDate: isoDate.nullable(),
        memo: z.string().nullable(),
        lines: z.array(z.object({ description: z.string(), quantity: z.number().int(), unitAmount: decimal })),
      })
      .nullable(),
  })
  .meta({ id: 'PublicPayment', description: 'A payment as its pay page shows it' });

export const checkoutResponse = z.object({ url: z.string() }).meta({ id: 'PaymentCheckout', description: "Where the payer goes to pay: the provider's checkout" });

export const returnBody = z.object({
  /** The query string the provider sent the payer back with, as an object. */
  query: z.record(z.string().max(100), z.string().max(2000)).default({}),
});

export const sandboxBody = z.object({ outcome: z.enum(['succeed', 'decline', 'abandon']) });

export const payStatus = z.object({ status: z.enum(PaymentStatus) }).meta({ id: 'PublicPaymentStatus', description: 'Where the payment stands now' });
