// Contacts' names for a list of rows that carry only the contact's id (payments, calls): each id is
// asked for once, and a contact that is gone (or the CRM being off) reads as "Contact".
import { api } from '../api.ts';
import { contactName } from '../components/contacts.ts';
import { hasPlugin } from '../session.svelte.ts';

export function useContactNames() {
  const names = $state<Record<string, string>>({});
  const asked = new Set<string>();
  const crm = hasPlugin('crm');
  return {
    /** Loads the names of these ids not asked for yet. */
    want(ids: (string | null)[]) {
      for (const id of ids) {
        if (!id || asked.has(id)) continue;
        asked.add(id);
        if (!crm) names[id] = 'Contact';
        else api.get('/crm/contacts/{id}', { path: { id } }).then((c) => (names[id] = contactName(c)), () => (names[id] = 'Contact'));
      }
    },
    of: (id: string): string | undefined => names[id],
  };
}
