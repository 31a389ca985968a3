// Contact names for run lists (runs store only the contact's id).
import { api } from '../api.ts';
import { contactName } from '../components/contacts.ts';
import { hasPlugin } from '../session.svelte.ts';

export async function contactNames(ids: (string | null)[], signal?: AbortSignal): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!hasPlugin('crm')) return names;
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  await Promise.all(
    unique.map(async (id) => {
      try {
        names.set(id, contactName(await api.get('/crm/contacts/{id}', { path: { id }, signal })));
      } catch {
        // a contact deleted since the run: the id is shown instead
      }
    }),
  );
  return names;
}
