// A merged contact's payments and invoices move to the kept contact, in the merge's
// transaction, before the merged contact is deleted (which would only clear their contact
// column: money records stay): a merge never leaves a payment without its payer.
import { moveContactRowsOnMerge } from '@soshogle/core';

export const movePaymentsOfMergedContact = moveContactRowsOnMerge('move_payments_of_merged_contact', ['Payment', 'Invoice']);
