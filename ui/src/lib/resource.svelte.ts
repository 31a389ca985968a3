// Data a screen loads from the API, with its loading and error state and a reload;
// a newer load cancels the one in flight so a slow answer never overwrites a newer one.
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

/** Formats for the screens: money, dates, counts. */
export const format = {
  money: (value: number | string | null | undefined, currency = 'USD') =>
    new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 }).format(Number(value ?? 0)),
  date: (value: string | Date | null | undefined) => (value ? new Date(value).toLocaleDateString() : '—'),
  dateTime: (value: string | Date | null | undefined) =>
    value ? new Date(value).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—',
  count: (value: number | null | undefined) => new Intl.NumberFormat().format(value ?? 0),
  percent: (value: number | null | undefined) => `${((value ?? 0) * 100).toFixed(1)}%`,
};
