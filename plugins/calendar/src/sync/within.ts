// A provider call the user is waiting on (a disconnect, a booking) gets a deadline: past it,
// the caller goes on without the answer. The call itself runs on; its late failure is dropped.
export class TimedOut extends Error {
  override name = 'TimedOut';
}

/** `work`'s result, or TimedOut after `ms`. */
export async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
