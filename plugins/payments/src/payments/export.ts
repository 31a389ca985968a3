// Payments as CSV, for the books: the rows the list's filters match, newest first, read
// page by page (keyset) and written as they come, so memory stays flat however many there
// are. Amounts stay exact decimal strings.
import { Readable } from 'node:stream';
import { csvHeader, csvLine as line, olderThan, type Keyset, type TenantDb } from '@soshogle/core';
import type { Prisma } from '@soshogle/db';

const columns = [
  'id', 'createdAt', 'status', 'amount', 'amountRefunded', 'currency', 'description', 'provider', 'sandbox', 'contactId', 'invoiceId',
  'source', 'paidAt', 'failedAt', 'refundedAt', 'failureReason', 'stripePaymentIntentId', 'paypalOrderId', 'squarePaymentId',
] as const;

const select = Object.fromEntries(columns.map((c) => [c, true])) as Record<(typeof columns)[number], true>;

/**
 * The CSV of the payments `where` matches: header first (with a BOM, so Excel reads UTF-8).
 * The first page is read before the stream is handed back, so a refused query is an error
 * answer, not a download cut off after its header.
 */
export async function paymentsCsv(db: TenantDb, where: Prisma.PaymentWhereInput, pageSize = 2000): Promise<Readable> {
  const read = (after: Keyset | undefined) =>
    db.payment.findMany({ where: { AND: [where, olderThan(after)] }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: pageSize, select });
  const first = await read(undefined);
  async function* pages() {
    yield csvHeader([...columns]);
    let rows = first;
    while (rows.length) {
      yield rows.map((row) => line(columns.map((c) => row[c]))).join('');
      if (rows.length < pageSize) return;
      const last = rows.at(-1)!;
      rows = await read({ at: last.createdAt, id: last.id });
    }
  }
  return Readable.from(pages());
}
