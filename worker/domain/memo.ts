/**
 * Answers of a pure function kept per key, at most `max` of them: past the bound the whole memo is
 * cleared (simpler than an LRU, and the memory stays bounded whatever the keys). Only for pure
 * functions, so a kept answer is never stale. A `make` that throws keeps nothing.
 */
export function boundedMemo<V>(max: number): (key: string, make: () => V) => V {
  const kept = new Map<string, V>();
  return (key, make) => {
    let v = kept.get(key);
    if (v === undefined) {
      v = make();
      if (kept.size >= max) kept.clear();
      kept.set(key, v);
    }
    return v;
  };
}
