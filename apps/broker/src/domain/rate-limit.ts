/**
 * A sliding-window counter per key, in memory. Used for per-address limits,
 * where losing counts on restart is acceptable (per-account lockout is stored).
 */
export class WindowCounter {
  private readonly hits = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly maxKeys: number;
  constructor(windowMs: number, maxKeys = 100_000) {
    this.windowMs = windowMs;
    this.maxKeys = maxKeys;
  }

  /** Hits for `key` within the window ending at `now`. */
  count(key: string, now: number): number {
    const list = this.hits.get(key);
    if (!list) return 0;
    const fresh = list.filter((t) => t > now - this.windowMs);
    if (fresh.length === 0) this.hits.delete(key);
    else this.hits.set(key, fresh);
    return fresh.length;
  }

  add(key: string, now: number): number {
    if (!this.hits.has(key) && this.hits.size >= this.maxKeys) this.evictOldest();
    const list = this.hits.get(key) ?? [];
    list.push(now);
    this.hits.set(key, list);
    return this.count(key, now);
  }

  /** Milliseconds until the oldest hit in the window leaves it. */
  retryAfterMs(key: string, now: number): number {
    const first = this.hits.get(key)?.[0];
    return first === undefined ? 0 : Math.max(0, first + this.windowMs - now);
  }

  clear(key: string): void {
    this.hits.delete(key);
  }

  private evictOldest(): void {
    const first = this.hits.keys().next();
    if (!first.done) this.hits.delete(first.value);
  }
}

/**
 * One counter over a sliding minute in one-second buckets: O(1) per hit,
 * for a budget shared by every address, which can see many hits a second.
 */
export class RollingCount {
  private readonly buckets: number[];
  private readonly bucketMs: number;
  private lastBucket = 0;
  constructor(windowMs: number, buckets = 60) {
    this.buckets = new Array<number>(buckets).fill(0);
    this.bucketMs = windowMs / buckets;
  }

  private advance(now: number): number {
    const bucket = Math.floor(now / this.bucketMs);
    const stale = Math.min(bucket - this.lastBucket, this.buckets.length);
    for (let i = 1; i <= stale; i++) this.buckets[(this.lastBucket + i) % this.buckets.length] = 0;
    if (bucket > this.lastBucket) this.lastBucket = bucket;
    return bucket % this.buckets.length;
  }

  add(now: number): void {
    const i = this.advance(now);
    this.buckets[i] = (this.buckets[i] ?? 0) + 1;
  }

  count(now: number): number {
    this.advance(now);
    return this.buckets.reduce((a, b) => a + b, 0);
  }
}
