// A deleted contact's live appointments are cancelled through the service, in the delete's
// transaction: the CRM raises core.contact_deleted before deleting the contact (appointments
// cascade on contact delete), so the cancel raises its event, cancels the reminders and queues
// the removal from the external calendar like any other. The cancelled appointments are then
// let go of the contact, so the cascade leaves them: the write-out job needs the row (its
// external event id) to remove the remote event. Past ones go with the contact.
import { defineSubscriber, type TenantTx } from '@soshogle/core';
import { activeStatuses } from '../slots/load.ts';
import { cancelAppointment } from './service.ts';

export const cancelAppointmentsOfDeletedContact = defineSubscriber({
  name: 'cancel_appointments_of_deleted_contact',
  event: 'core.contact_deleted',
  transactional: true,
  async run(ctx, event) {
    // Transactional: ctx.db is the delete's transaction.
    const tx = ctx.db as unknown as TenantTx;
    const live = await tx.appointment.findMany({ where: { contactId: event.payload.contactId, status: { in: [...activeStatuses] } }, select: { id: true }, orderBy: { id: 'asc' } });
    for (const { id } of live) await cancelAppointment(tx, ctx, id, { by: 'user', reason: 'The contact was deleted' });
    if (live.length) await tx.appointment.updateMany({ where: { id: { in: live.map((a) => a.id) } }, data: { contactId: null } });
  },
});
