// The contact list's state (search, filters, smart list, sort) as the API's query
// and as the page's own URL, so a reload or a shared link shows the same list.
import type { QueryOf } from '../api.ts';
import type { ContactFilter, SortField } from './types.ts';

export interface ListState {
  q: string;
  tagsAny: string[];
  tagsNone: string[];
  source: string;
  createdAfter: string;
  createdBefore: string;
  smartListId: string;
  sort: SortField;
  order: 'asc' | 'desc';
}

export const pageSize = 50;

export function emptyState(): ListState {
  return { q: '', tagsAny: [], tagsNone: [], source: '', createdAfter: '', createdBefore: '', smartListId: '', sort: 'createdAt', order: 'desc' };
}

const sorts: SortField[] = ['createdAt', 'updatedAt', 'firstName'];
const list = (v: string | null) => (v ? v.split(',').filter(Boolean) : []);

export function stateFromUrl(params: URLSearchParams): ListState {
  const sort = params.get('sort') as SortField | null;
  return {
    q: params.get('q') ?? '',
    tagsAny: list(params.get('tagsAny')),
    tagsNone: list(params.get('tagsNone')),
    source: params.get('source') ?? '',
    createdAfter: params.get('createdAfter') ?? '',
    createdBefore: params.get('createdBefore') ?? '',
    smartListId: params.get('list') ?? '',
    sort: sort && sorts.includes(sort) ? sort : 'createdAt',
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
  };
}

/** The filter part as GET /crm/contacts, /count and /export take it (dates as the YYYY-MM-DD the inputs hold). */
export function filterParams(s: ListState) {
  return {
    q: s.q.trim() || undefined,
    tagsAny: s.tagsAny.length ? s.tagsAny : undefined,
    tagsNone: s.tagsNone.length ? s.tagsNone : undefined,
    source: s.source.trim() || undefined,
    createdAfter: s.createdAfter || undefined,
    createdBefore: s.createdBefore || undefined,
    smartListId: s.smartListId || undefined,
  } satisfies QueryOf<'/crm/contacts/count'>;
}

/** One page of the list, as GET /crm/contacts takes it. */
export function listParams(s: ListState, cursor: string | null): QueryOf<'/crm/contacts'> {
  return { ...filterParams(s), sort: s.sort, order: s.order, cursor: cursor ?? undefined, limit: pageSize };
}

export function urlQuery(s: ListState): string {
  const { smartListId, tagsAny, tagsNone, ...rest } = filterParams(s);
  return toQuery({
    ...rest,
    tagsAny: tagsAny?.join(','),
    tagsNone: tagsNone?.join(','),
    list: smartListId,
    sort: s.sort === 'createdAt' ? undefined : s.sort,
    order: s.order === 'desc' ? undefined : s.order,
  });
}

function toQuery(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The filter a smart list saves (the search and filters, not the sort). */
export function toFilter(s: ListState): ContactFilter {
  const f: ContactFilter = {};
  if (s.q.trim()) f.q = s.q.trim();
  if (s.tagsAny.length) f.tagsAny = s.tagsAny;
  if (s.tagsNone.length) f.tagsNone = s.tagsNone;
  if (s.source.trim()) f.source = s.source.trim();
  if (s.createdAfter) f.createdAfter = s.createdAfter;
  if (s.createdBefore) f.createdBefore = s.createdBefore;
  return f;
}

/** Whether anything narrows the list (a smart list counts). */
export const isFiltered = (s: ListState) => Object.keys(toFilter(s)).length > 0 || !!s.smartListId;
