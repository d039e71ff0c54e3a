import { randomFillSync } from 'node:crypto';

/**
 * Randomness for the many small draws of a new request (salt, session code),
 * taken from the CSPRNG 4 KiB at a time: each draw from it is a system call
 * plus OpenSSL's fork check, which costs more than the bytes themselves.
 * Node's randomUUID pools the same way. Every byte is handed out once.
 */
const pool = Buffer.alloc(4096);
let next = pool.length;

/** The offset of `n` fresh bytes in the pool, refilling it if too few are left. */
function take(n: number): number {
  if (n > pool.length) throw new RangeError(`at most ${pool.length} random bytes at once`);
  if (next + n > pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const at = next;
  next += n;
  return at;
}

/** `bytes` random bytes as hex. */
export function randomHex(bytes: number): string {
  const at = take(bytes);
  return pool.toString('hex', at, at + bytes);
}

/**
 * `count` uniform decimal digits: each byte below 250 gives one (250 = 25 × 10,
 * so no modulo bias); the rare rest are skipped and more are drawn.
 */
export function randomDigits(count: number): string {
  let digits = '';
  while (digits.length < count) {
    const want = count - digits.length + 2;
    const at = take(want);
    for (let i = at; i < at + want && digits.length < count; i++) {
      const b = pool[i] as number;
      if (b < 250) digits += String(b % 10);
    }
  }
  return digits;
}
