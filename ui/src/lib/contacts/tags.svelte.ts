// Tag colours for every contacts screen, loaded once (without per-tag counts, which
// cost a pass over all contacts) and after the first rows are on screen, never before.
import { api } from '../api.ts';
import type { Tag } from './types.ts';

export const tagStore = $state<{ byName: Record<string, Tag>; list: Tag[]; loaded: boolean }>({ byName: {}, list: [], loaded: false });
let loading: Promise<void> | null = null;

export function loadTags(force = false): Promise<void> {
  if (loading && !force) return loading;
  loading = api
    .get('/crm/tags', { query: { counts: 'false' } })
    .then(({ items }) => {
      tagStore.list = items;
      tagStore.byName = Object.fromEntries(items.map((t) => [t.name, t]));
      tagStore.loaded = true;
    })
    .catch(() => {
      // Colours are a nicety: tags show in the default colour, and the next call retries.
      loading = null;
    });
  return loading;
}

export const tagColor = (name: string): string => tagStore.byName[name]?.color ?? '#64748b';
