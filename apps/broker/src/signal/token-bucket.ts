/**
 * A per-connection frame budget: a burst of `capacity`, refilled at `perSec`.
 * Cheaper than a sliding window and exact enough to tell a flood from a peer.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;
  private readonly clock: () => number;

  constructor(capacity: number, perSec: number, clock: () => number = () => performance.now()) {
    this.capacity = capacity;
    this.perMs = perSec / 1000;
    this.clock = clock;
    this.tokens = capacity;
    this.last = clock();
  }

  take(): boolean {
    const t = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.perMs);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
