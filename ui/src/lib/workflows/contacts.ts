// Contact names for run lists (runs store only the contact's id).
import { api } from '../api.ts';
import { hasPlugin } from '../session.svelte.ts';

interface ContactName { id: string; firstName: string; lastName: string | null }

export async function contactNames(ids: (string | null)[], signal?: AbortSignal): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (!hasPlugin('crm')) return names;
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  await Promise.all(
    unique.map(async (id) => {
      try {
        const c = await api.get<ContactName>(`/crm/contacts/${id}`, signal);
        names.set(id, [c.firstName, c.lastName].filter(Boolean).join(' '));
      } catch {
        // a contact deleted since the run: the id is shown instead
      }
    }),
  );
  return names;
}
