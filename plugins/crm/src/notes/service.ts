// Writing notes. A note hangs on a contact, a deal or a lead (or several); each parent is
// found in the tenant first, so another tenant's id is a 404, never a note on their row.
// Routes and the "Create note" workflow step write through here.
import { notFound, type TenantTx } from '@soshogle/core';
import type { Note } from '@soshogle/db';

export interface NoteInput {
  content: string;
  contactId?: string | null;
  dealId?: string | null;
  leadId?: string | null;
  /** The team member who wrote it; none for a workflow's note. */
  authorId?: string | null;
}

const parents = [
  { column: 'contactId', name: 'Contact', find: (tx: TenantTx, id: string) => tx.contact.findUnique({ where: { id }, select: { id: true } }) },
  { column: 'dealId', name: 'Deal', find: (tx: TenantTx, id: string) => tx.deal.findUnique({ where: { id }, select: { id: true } }) },
  { column: 'leadId', name: 'Lead', find: (tx: TenantTx, id: string) => tx.lead.findUnique({ where: { id }, select: { id: true } }) },
] as const;

/** Writes a note on its parents; a parent not in the tenant is a 404 naming it. */
export async function createNote(tx: TenantTx, tenantId: string, input: NoteInput): Promise<Note> {
  for (const parent of parents) {
    const id = input[parent.column];
    if (id && !(await parent.find(tx, id))) throw notFound(parent.name);
  }
  return tx.note.create({
    data: {
      userId: tenantId,
      content: input.content,
      contactId: input.contactId ?? null,
      dealId: input.dealId ?? null,
      leadId: input.leadId ?? null,
      authorId: input.authorId ?? null,
    },
  });
}
