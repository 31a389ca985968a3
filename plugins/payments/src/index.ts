// The Payments plugin: a business gets paid from the CRM. A payment request (an amount, or
// an invoice's lines) goes to a contact as a link to our pay page, which hands over to the
// checkout of the provider the tenant connected (Stripe, PayPal or Square: each serves the
// payments.checkout capability) and back; webhooks, the payer's return and a reconciliation
// job move the payment forward (state.ts); refunds, full and partial. docs/payments.md.
import { definePlugin } from '@soshogle/core';
import { capabilities } from './capabilities.ts';
import { paymentsConfig } from './config.ts';
import { contactData } from './contacts/contact-data.ts';
import { movePaymentsOfMergedContact } from './contacts/merge.ts';
import { paymentsTimeline } from './contacts/timeline.ts';
import { payPageRoutes } from './pay-page/public-routes.ts';
import { markInvoicePaid } from './payments/invoice-paid.ts';
import { paymentRoutes } from './payments/routes.ts';
import { paypal } from './providers/paypal.ts';
import { square } from './providers/square.ts';
import { stripe } from './providers/stripe.ts';
import { reconcileJob } from './reconcile/job.ts';
import { createPaymentRequestAction } from './request-action.ts';
import { refundJob } from './refunds/job.ts';
import { paymentFailed, paymentRefunded, paymentSucceeded, triggers } from './triggers.ts';
import { paypalWebhook } from './webhooks/paypal.ts';
import { squareWebhook } from './webhooks/square.ts';
import { stripeEvents } from './webhooks/stripe.ts';
import { paymentActions } from './workflow/actions.ts';
import { paymentContext } from './workflow/run-context.ts';

// The workflow steps, and what other plugins may ask for (a booking's payment).
const actions = [...paymentActions, createPaymentRequestAction];

export default definePlugin({
  name: 'payments',
  displayName: 'Payments',
  description: 'Payment links, invoices and text-to-pay through Stripe, PayPal or Square; refunds; revenue.',
  config: paymentsConfig,
  screens: [{ path: '/payments', label: 'Payments', icon: 'M3 6h18v12H3zM3 10h18M7 15h3', order: 58 }],
  capabilities,
  models: ['Payment', 'PaymentRefund', 'Invoice', 'InvoiceLine'],
  // Each serves payments.checkout; its webhooks report to state.ts.
  providers: [stripe, paypal, square],
  webhooks: [stripeEvents, paypalWebhook, squareWebhook],
  triggers: [...triggers],
  routes: [...paymentRoutes, ...payPageRoutes],
  jobs: [refundJob, reconcileJob],
  actions,
  context: [paymentContext],
  timeline: [paymentsTimeline],
  contactData: [contactData],
  subscribers: [movePaymentsOfMergedContact, markInvoicePaid],
});

// What other plugins may call and hear, typed from these declarations (see Plugins in @soshogle/core).
declare module '@soshogle/core' {
  interface Plugins { payments: { actions: typeof actions; triggers: [typeof paymentSucceeded, typeof paymentFailed, typeof paymentRefunded] } }
}
