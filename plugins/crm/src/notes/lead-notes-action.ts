// crm.release_lead_notes: a lead's notes cascade with it, but those its conversion gave to
// a contact are the contact's now. The leads plugin runs this in the transaction that
// deletes the lead, so those notes let go of the lead first and stay.
import { defineAction, tenantSql } from '@soshogle/core';
import { z } from 'zod';

export const releaseLeadNotes = defineAction({
  name: 'release_lead_notes',
  version: 1,
  internal: true,
  displayName: 'Release the notes of a lead',
  description: 'Before a lead is deleted: its notes that also belong to a contact stay with the contact.',
  props: z.object({ leadId: z.string().min(1).max(64) }),
  output: z.object({ released: z.number().int() }),
  idempotent: true,
  transactional: true,
  async run({ db, tenantId, props }) {
    const t = tenantSql(tenantId);
    const released = await db.$executeRaw(t`update "Note" set "leadId" = null, "updatedAt" = now()
      where "leadId" = ${props.leadId} and "contactId" is not null and ${t.owns()}`);
    return { released };
  },
});
