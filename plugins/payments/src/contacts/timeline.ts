// What payments add to a contact's timeline: one entry per payment request, when it was
// made, saying how much, for what, and where it stands now.
import { defineTimelineSource } from '@soshogle/core';

const said: Record<string, string> = { PENDING: 'waiting', PROCESSING: 'processing', SUCCEEDED: 'paid', FAILED: 'failed', REFUNDED: 'refunded' };

export const paymentsTimeline = defineTimelineSource({
  name: 'payments',
  async entries({ db }, contactId, { before, limit }) {
    const older = before ? { OR: [{ createdAt: { lt: before.at } }, { createdAt: before.at, id: { lt: before.id } }] } : {};
    const rows = await db.payment.findMany({ where: { contactId, ...older }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
    return rows.map((p) => ({
      id: p.id,
      kind: 'payment',
      at: p.createdAt,
      title: `Payment request: ${p.amount.toFixed()} ${p.currency}${p.description ? ` — ${p.description}` : ''} (${said[p.status] ?? p.status.toLowerCase()})`,
      body: p.status === 'FAILED' && p.failureReason ? `Failed: ${p.failureReason}` : null,
      link: `/payments/${p.id}`,
      data: { status: p.status, amount: p.amount.toString(), currency: p.currency, amountRefunded: p.amountRefunded.toString(), sandbox: p.sandbox, invoiceId: p.invoiceId },
    }));
  },
});
