// A merged contact's appointments move to the kept contact. The CRM raises core.contact_merged
// in the merge's transaction before deleting the merged contact (appointments cascade on contact
// delete), and this subscriber runs in that same transaction: a merge never loses an appointment.
import { defineSubscriber, tenantSql, type TenantTx } from '@soshogle/core';

export const moveAppointmentsOfMergedContact = defineSubscriber({
  name: 'move_appointments_of_merged_contact',
  event: 'core.contact_merged',
  transactional: true,
  async run({ db, tenantId }, event) {
    const { contactId: keepId, mergedContactId: mergeId } = event.payload;
    // A set-based move of a foreign key: raw SQL naming the tenant.
    const tx = db as unknown as Pick<TenantTx, '$executeRaw'>;
    const t = tenantSql(tenantId);
    await tx.$executeRaw(t`update "Appointment" set "contactId" = ${keepId} where "contactId" = ${mergeId} and ${t.owns()}`);
  },
});
