import { z } from 'zod';

/**
 * PAYMENTS_* settings of the installation. Every key is optional: each tenant connects its
 * own provider account in Settings; without one, payments run in sandbox mode.
 */
export const paymentsConfig = z.object({
  /** Where each provider's API is; tests point them at local fakes. */
  stripeApiUrl: z.url().default('https://api.stripe.com'),
  paypalApiUrl: z.url().default('https://api-m.paypal.com'),
  squareApiUrl: z.url().default('https://connect.squareup.com'),
  /**
   * Where PayPal's webhook signing certificates may come from (origins, comma-separated):
   * a PAYPAL-CERT-URL elsewhere is refused, so nobody signs with a certificate of their own.
   */
  paypalCertOrigins: z.string().default('https://api.paypal.com,https://api-m.paypal.com,https://api.sandbox.paypal.com,https://api-m.sandbox.paypal.com')
    .transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean)),
  /**
   * How PayPal webhooks are verified: `local` checks the RSA signature with PayPal's
   * certificate (and the transmission time); `postback` asks PayPal's
   * verify-webhook-signature API; `both` requires both.
   */
  paypalWebhookCheck: z.enum(['local', 'postback', 'both']).default('local'),
  /** Square keeps its sandbox on another host; a connection set to environment 'sandbox' calls this one. */
  squareSandboxApiUrl: z.url().default('https://connect.squareupsandbox.com'),
  /** Payments left PENDING or PROCESSING this long are asked about at their provider (a missed webhook). */
  reconcileAfterMinutes: z.coerce.number().int().min(1).max(10_080).default(30),
  /** Pay page checkouts per IP per hour. */
  checkoutsPerIpHour: z.coerce.number().int().min(1).default(30),
});

export type PaymentsConfig = z.output<typeof paymentsConfig>;
