import { describe, expect, it } from 'vitest';
import { gathered } from './gathered.ts';

/** A run that records each batch and ends only when the test says so. */
function held() {
  const batches: number[][] = [];
  const ends: (() => void)[] = [];
  const run = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => ends.push(resolve));
    return items.map((n) => n * 10);
  };
  return { batches, run, endNext: () => ends.shift()!() };
}
// A few turns of the event loop: a run's end, then the next run's start, are each a turn away.
const turn = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('gathered', () => {
  it('runs what arrived in one turn together and answers each its own result', async () => {
    const calls: number[][] = [];
    const double = gathered(async (items: number[]) => (calls.push(items), items.map((n) => n * 2)), { max: 10 });
    expect(await Promise.all([double(1), double(2), double(3)])).toEqual([2, 4, 6]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('gathers what comes while a run is out into the next run, at most `max` at a time', async () => {
    const { batches, run, endNext } = held();
    const times10 = gathered(run, { max: 2 });
    const first = times10(1);
    await turn();
    const later = [times10(2), times10(3), times10(4)];
    await turn();
    // One run at a time: the others wait for it.
    expect(batches).toEqual([[1]]);
    endNext();
    expect(await first).toBe(10);
    await turn();
    expect(batches).toEqual([[1], [2, 3]]);
    endNext();
    await turn();
    expect(batches).toEqual([[1], [2, 3], [4]]);
    endNext();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
  });

  it('runs up to `inFlight` at once', async () => {
    const { batches, run, endNext } = held();
    const times10 = gathered(run, { max: 5, inFlight: 2 });
    const all = [times10(1)];
    await turn();
    all.push(times10(2));
    await turn();
    all.push(times10(3));
    await turn();
    expect(batches).toEqual([[1], [2]]);
    endNext();
    await turn();
    expect(batches).toEqual([[1], [2], [3]]);
    endNext();
    endNext();
    expect(await Promise.all(all)).toEqual([10, 20, 30]);
  });

  it("fails every item of a run that fails, with the run's error, and goes on with the next", async () => {
    let fail = true;
    const store = gathered(async (items: string[]) => {
      if (fail) throw new Error('the database is gone');
      return items.map(() => true);
    }, { max: 10 });
    const answers = await Promise.allSettled([store('a'), store('b'), store('c')]);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(answers.map((a) => (a as PromiseRejectedResult).reason.message)).toEqual(Array(3).fill('the database is gone'));
    fail = false;
    expect(await store('d')).toBe(true);
  });

  it('fails the items of a run that answers the wrong number of results, never resolving one with another’s', async () => {
    const short = gathered(async (items: number[]) => items.slice(1), { max: 10 });
    const answers = await Promise.allSettled([short(1), short(2)]);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
  });

  it('takes items up to `maxBytes` per run, and an item bigger than that alone', async () => {
    const calls: string[][] = [];
    const store = gathered(async (items: string[]) => (calls.push(items), items.map(() => true)), { max: 10, bytes: (item) => item.length, maxBytes: 5 });
    await Promise.all(['aa', 'bb', 'c', 'dddddddd', 'e'].map(store));
    expect(calls).toEqual([['aa', 'bb', 'c'], ['dddddddd'], ['e']]);
  });
});
