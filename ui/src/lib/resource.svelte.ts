// Data a screen loads from the API, with its loading and error state and a reload;
// a newer load cancels the one in flight so a slow answer never overwrites a newer one.
import { errorMessage } from './api.ts';
import { notify } from './components/toasts.svelte.ts';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly loading: boolean;
  readonly error: unknown;
  reload(): Promise<void>;
}

export function resource<T>(load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  let data = $state<T | undefined>(undefined);
  let loading = $state(true);
  let error = $state<unknown>(null);
  let controller: AbortController | undefined;
  async function reload() {
    controller?.abort();
    const mine = (controller = new AbortController());
    loading = true;
    error = null;
    try {
      const value = await load(mine.signal);
      if (mine === controller) data = value;
    } catch (e) {
      if (mine === controller && (e as Error).name !== 'AbortError') error = e;
    } finally {
      if (mine === controller) loading = false;
    }
  }
  void reload();
  return {
    get data() {
      return data;
    },
    get loading() {
      return loading;
    },
    get error() {
      return error;
    },
    reload,
  };
}

/**
 * A cursor-paged list: its first page is a resource (a reload starts over, as a new filter
 * does) and `loadMore` appends the next pages; `<LoadMore list={...} />` is its button.
 */
export interface Paged<T> extends Resource<T[]> {
  /** Every page loaded so far. */
  readonly items: T[];
  readonly hasMore: boolean;
  readonly loadingMore: boolean;
  loadMore(): Promise<void>;
}

export function paged<P extends { items: unknown[]; nextCursor: string | null }>(load: (cursor: string | undefined, signal?: AbortSignal) => Promise<P>): Paged<P['items'][number]> {
  type T = P['items'][number];
  let more = $state<T[]>([]);
  let next = $state<string | null>(null);
  let loadingMore = $state(false);
  // A page asked for before a reload belongs to the old list: it is dropped.
  let generation = 0;
  const first = resource(async (signal) => {
    const page = await load(undefined, signal);
    generation++;
    more = [];
    next = page.nextCursor;
    return page.items as T[];
  });
  return {
    get data() {
      return first.data;
    },
    get loading() {
      return first.loading;
    },
    get error() {
      return first.error;
    },
    reload: first.reload,
    get items() {
      return [...(first.data ?? []), ...more];
    },
    get hasMore() {
      return next !== null;
    },
    get loadingMore() {
      return loadingMore;
    },
    async loadMore() {
      if (!next || loadingMore) return;
      const mine = generation;
      loadingMore = true;
      try {
        const page = await load(next);
        if (mine !== generation) return;
        more = [...more, ...(page.items as T[])];
        next = page.nextCursor;
      } catch (e) {
        notify(errorMessage(e), 'error');
      } finally {
        loadingMore = false;
      }
    },
  };
}

/** Formats for the screens: money, dates, counts. */
export const format = {
  money: (value: number | string | null | undefined, currency = 'USD') =>
    new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(Number(value ?? 0)),
  date: (value: string | Date | null | undefined) => (value ? new Date(value).toLocaleDateString() : '—'),
  dateTime: (value: string | Date | null | undefined) =>
    value ? new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—',
  count: (value: number | null | undefined) => new Intl.NumberFormat().format(value ?? 0),
  percent: (value: number | null | undefined) => `${((value ?? 0) * 100).toFixed(1)}%`,
  /** A name from the machine in words: left_voicemail -> "Left voicemail", wantsBooking -> "Wants Booking". */
  words: (value: string) => value.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase()),
};
