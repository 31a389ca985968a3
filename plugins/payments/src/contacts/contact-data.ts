// Payments' part of a contact's data export and erasure. Accounting keeps every payment,
// refund and invoice: erasure lets go of the contact and clears the free text that may
// name them (descriptions, memos, reasons), and keeps amounts, currencies,
// dates, statuses and provider ids.
import { defineContactData, type ProviderRecordErasure } from '@soshogle/core';

const providerNames: Record<string, string> = { STRIPE: 'stripe', PAYPAL: 'paypal', SQUARE: 'square' };

export const contactData = defineContactData({
  name: 'payments',
  async export({ db }, contactId) {
    const [payments, invoices] = await Promise.all([
      db.payment.findMany({
        where: { contactId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        // Not the pay link's token nor the checkout URL: they let whoever holds them pay.
        omit: { payToken: true, checkoutUrl: true, key: true, userId: true },
        include: { refunds: { omit: { userId: true } } },
      }),
      db.invoice.findMany({ where: { contactId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], omit: { userId: true }, include: { lines: { omit: { userId: true } } } }),
    ]);
    return { payments, invoices };
  },
  async erase(_ctx, contactId, tx) {
    const payments = await tx.payment.findMany({ where: { contactId }, select: { id: true, provider: true, sandbox: true } });
    const ids = payments.map((p) => p.id);
    const refunds = (await tx.paymentRefund.updateMany({ where: { paymentId: { in: ids } }, data: { reason: null } })).count;
    const scrubbed = (await tx.payment.updateMany({ where: { id: { in: ids } }, data: { contactId: null, description: null, failureReason: null } })).count;
    const invoices = (await tx.invoice.updateMany({ where: { contactId }, data: { contactId: null, memo: null } })).count;
    const atProviders = new Map<string, number>();
    for (const p of payments) if (!p.sandbox) atProviders.set(p.provider, (atProviders.get(p.provider) ?? 0) + 1);
    const providers: ProviderRecordErasure[] = [...atProviders].map(([provider, count]) => ({
      provider: providerNames[provider] ?? provider.toLowerCase(),
      record: 'payment',
      count,
      outcome: 'not_possible',
      // No customer object is made at the provider: the checkout carries the email only.
      reason: 'The provider keeps payment records for its own accounting and offers no delete; Soshogle creates no customer record there',
    }));
    return {
      erased: { paymentsAnonymised: scrubbed, refundReasons: refunds, invoicesAnonymised: invoices },
      kept: ['payments, refunds and invoices: amounts, currencies, dates, statuses and provider ids, for accounting; invoice lines describe what was sold'],
      providers,
    };
  },
});
