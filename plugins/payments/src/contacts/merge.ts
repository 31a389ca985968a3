// A merged contact's payments and invoices move to the kept contact. The CRM raises
// core.contact_merged in the merge's transaction before deleting the merged contact (which
// would only clear their contact column: money records stay), and this subscriber runs in
// that same transaction: a merge never leaves a payment without its payer.
import { defineSubscriber, tenantSql, type TenantTx } from '@soshogle/core';

export const movePaymentsOfMergedContact = defineSubscriber({
  name: 'move_payments_of_merged_contact',
  event: 'core.contact_merged',
  transactional: true,
  async run({ db, tenantId }, event) {
    const { contactId: keepId, mergedContactId: mergeId } = event.payload;
    // A set-based move of a foreign key: raw SQL naming the tenant.
    const tx = db as unknown as Pick<TenantTx, '$executeRaw'>;
    const t = tenantSql(tenantId);
    await tx.$executeRaw(t`update "Payment" set "contactId" = ${keepId} where "contactId" = ${mergeId} and ${t.owns()}`);
    await tx.$executeRaw(t`update "Invoice" set "contactId" = ${keepId} where "contactId" = ${mergeId} and ${t.owns()}`);
  },
});
