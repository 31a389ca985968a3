// Payments as CSV, for the books: the rows the list's filters match, newest first, read
// page by page (keyset) and written as they come, so memory stays flat however many there
// are. Amounts stay exact decimal strings.
import type { Readable } from 'node:stream';
import { csvDownload, olderThan, type TenantDb } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';

const columns = [
  'id', 'createdAt', 'status', 'amount', 'amountRefunded', 'currency', 'description', 'provider', 'sandbox', 'contactId', 'invoiceId',
  'source', 'paidAt', 'failedAt', 'refundedAt', 'failureReason', 'stripePaymentIntentId', 'paypalOrderId', 'squarePaymentId',
] as const;

const select = Object.fromEntries(columns.map((c) => [c, true])) as Record<(typeof columns)[number], true>;

/** The CSV of the payments `where` matches, one column per field above. */
export function paymentsCsv(db: TenantDb, where: Prisma.PaymentWhereInput, pageSize = 2000): Promise<Readable> {
  return csvDownload({
    header: [...columns],
    read: (after) =>
      db.payment.findMany({ where: { AND: [where, olderThan(after)] }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: pageSize, select }),
    cells: (row) => columns.map((c) => row[c]),
    pageSize,
  });
}
