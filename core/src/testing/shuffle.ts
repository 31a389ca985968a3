// A seeded shuffle for tests and benches that deliver provider events out of order: the
// same seed gives the same order, so a failure names an order that can be replayed.

/** `items` in an order fixed by `seed` (Fisher-Yates over a small linear congruential generator). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
