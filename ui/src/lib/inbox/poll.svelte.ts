// Data that is refreshed every few seconds while the screen is open (no websockets): the
// first load shows the loading state, later refreshes swap the data in quietly, and a
// hidden tab does not poll.
export interface Polled<T> {
  readonly data: T | undefined;
  readonly loading: boolean;
  readonly error: unknown;
  /** Loads again now (the spinner shows only when there is nothing yet). */
  refresh(): Promise<void>;
  stop(): void;
}

export function poll<T>(load: (signal: AbortSignal) => Promise<T>, everyMs: number): Polled<T> {
  let data = $state<T | undefined>(undefined);
  let loading = $state(true);
  let error = $state<unknown>(null);
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  async function refresh() {
    clearTimeout(timer);
    controller?.abort();
    const mine = (controller = new AbortController());
    try {
      const value = await load(mine.signal);
      if (mine === controller) {
        data = value;
        error = null;
      }
    } catch (e) {
      // A failed refresh keeps what is shown; the error is shown only when nothing is.
      if (mine === controller && (e as Error).name !== 'AbortError') error = e;
    } finally {
      if (mine === controller) {
        loading = false;
        schedule();
      }
    }
  }
  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => (document.hidden ? schedule() : void refresh()), everyMs);
  }
  void refresh();
  return {
    get data() {
      return data;
    },
    get loading() {
      return loading && data === undefined;
    },
    get error() {
      return error;
    },
    refresh,
    stop() {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
    },
  };
}
