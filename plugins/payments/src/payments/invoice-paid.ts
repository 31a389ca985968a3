// An invoice is paid when one of its payments succeeds (an invoice may be tried again after
// a failed payment). In the transaction that moved the payment, so the two never disagree.
import { defineSubscriber } from '@soshogle/core';

export const markInvoicePaid = defineSubscriber({
  name: 'mark_invoice_paid',
  event: 'payments.payment_succeeded',
  transactional: true,
  async run({ db }, event) {
    const { invoiceId } = event.payload;
    if (invoiceId) await db.invoice.updateMany({ where: { id: invoiceId, status: 'OPEN' }, data: { status: 'PAID' } });
  },
});
