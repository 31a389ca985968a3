// A merged contact's submissions move to the kept contact, in the merge's transaction,
// before the merged contact is deleted (which would delete them with it).
import { moveContactRowsOnMerge } from '@soshogle/core';

export const moveSubmissionsOfMergedContact = moveContactRowsOnMerge('move_submissions_of_merged_contact', ['FormSubmission']);
