// A merged contact's appointments move to the kept contact, in the merge's transaction,
// before the merged contact is deleted (appointments cascade on contact delete): a merge
// never loses an appointment.
import { moveContactRowsOnMerge } from '@soshogle/core';

export const moveAppointmentsOfMergedContact = moveContactRowsOnMerge('move_appointments_of_merged_contact', ['Appointment']);
