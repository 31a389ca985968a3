// Whoever deletes contacts raises core.contact_deleted in the delete's transaction, before
// the rows go: the delete cascades to what points at the contact, so transactional
// subscribers act on it first (the calendar cancels the contact's appointments through its
// own service: events, reminders, the external calendar).
import { z } from 'zod';
import { defineTrigger } from '../plugin.ts';

export const contactDeleted = defineTrigger({
  name: 'contact_deleted',
  displayName: 'Contact deleted',
  description: 'A contact is being deleted, with its notes, messages and appointments.',
  payload: z.object({ contactId: z.string().min(1) }),
  filter: z.object({}),
  matches: () => true,
});
