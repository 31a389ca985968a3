// Group commit for a hot append: concurrent requests hand their item to one function and
// wait; what arrived by the end of the event loop's turn goes to `run` together, as one
// statement (one round trip, one WAL flush) instead of one per request. While `inFlight`
// calls of `run` are out, further items gather for the next one, so a busy server makes
// bigger batches and an idle one waits for nothing. Nothing is kept between calls: only
// the items in flight live here, so no process holds what another one needs.
//
// Each caller gets its own item's result once `run` has resolved (for a write: after its
// commit), or `run`'s error, which every caller of that batch gets.

export interface GatheredOptions<T> {
  /** Most items per call of `run`. */
  max: number;
  /** With `maxBytes`: the size of an item; a call takes items up to that many bytes (at least one item). */
  bytes?: (item: T) => number;
  maxBytes?: number;
  /** Calls of `run` at once; items that come meanwhile wait for one of them to end. */
  inFlight?: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * `run` gets the gathered items and answers one result per item, in their order.
 * Returns the function each request calls with its own item.
 */
export function gathered<T, R>(run: (items: T[]) => Promise<R[]>, options: GatheredOptions<T>): (item: T) => Promise<R> {
  const { max, bytes, maxBytes = Infinity } = options;
  const inFlight = options.inFlight ?? 1;
  if (!(max >= 1) || !(inFlight >= 1)) throw new RangeError('gathered: max and inFlight must be at least 1');
  const waiting: Waiting<T, R>[] = [];
  let running = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || !waiting.length || running >= inFlight) return;
    scheduled = true;
    // After the I/O callbacks of this turn: every request that got this far in it joins.
    setImmediate(flush);
  };

  function flush() {
    scheduled = false;
    while (waiting.length && running < inFlight) {
      let count = 1;
      for (let size = bytes?.(waiting[0]!.item) ?? 0; count < Math.min(max, waiting.length); count++) {
        size += bytes?.(waiting[count]!.item) ?? 0;
        if (size > maxBytes) break;
      }
      const batch = waiting.splice(0, count);
      running++;
      void settle(batch).finally(() => {
        running--;
        schedule();
      });
    }
  }

  async function settle(batch: Waiting<T, R>[]): Promise<void> {
    try {
      const results = await run(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`gathered: run answered ${results.length} results for ${batch.length} items`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      schedule();
    });
}
