// The first page of contacts is requested as the navigation starts, alongside (not after)
// the shell's session and catalog requests; the page shows it as soon as both are in.
import { api } from '$lib/api.ts';
import { listParams, stateFromUrl } from '$lib/contacts/filters.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url }) => {
  const state = stateFromUrl(url.searchParams);
  const first = api.list('/crm/contacts', { query: listParams(state, null) });
  // Handled where it is awaited; this keeps an early failure from being "unhandled".
  first.catch(() => {});
  return { state, first };
};
