// The "Create note" workflow step: a note on the run's contact, and on its deal if the
// run has one, written as a person's note is (createNote).
import { defineAction } from '@soshogle/core';
import { z } from 'zod';
import { formerKey, runContactId } from '../steps.ts';
import { createNote } from './service.ts';

export const createNoteStep = defineAction({
  name: 'create_note',
  aliases: formerKey('create_note'),
  version: 1,
  displayName: 'Create note',
  description: "Adds a note to the contact (and to the run's deal, if it has one).",
  props: z.object({ content: z.string().trim().min(1).max(20_000).describe('Note') }),
  output: z.object({ noteId: z.string() }),
  idempotent: true,
  transactional: true,
  describe: (p) => `Add a note: "${p.content.slice(0, 80)}"`,
  async run(ctx) {
    const contactId = await runContactId(ctx);
    const note = await createNote(ctx.db, ctx.tenantId, { content: ctx.props.content, contactId, dealId: ctx.run.dealId });
    return { noteId: note.id };
  },
});
