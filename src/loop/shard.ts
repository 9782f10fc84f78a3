// Sharding a sweep: shard i of n (0-based) takes every n-th run, so shards balance across
// strategies and seeds and their union is the whole sweep.
export interface Shard {
  index: number;
  count: number;
}

/** Parses "i/n" (0 <= i < n). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard '${text}': expected i/n with 0 <= i < n, e.g. 0/4`);
  const shard = { index: Number(m[1]), count: Number(m[2]) };
  if (shard.count < 1 || shard.index >= shard.count) throw new Error(`--shard '${text}': expected i/n with 0 <= i < n`);
  return shard;
}

export function selectShard<T>(items: readonly T[], shard?: Shard): T[] {
  if (!shard) return items.slice();
  return items.filter((_, i) => i % shard.count === shard.index);
}
