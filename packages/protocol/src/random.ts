/**
 * Cryptographic randomness from the Web Crypto API, which both Node (>= 19,
 * as globalThis.crypto) and browsers provide, so one module serves every peer.
 */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/**
 * `count` uniform decimal digits from one draw of random bytes: each byte
 * below 250 gives a digit (250 = 25 × 10, so no modulo bias); the rare rest
 * are drawn again.
 */
export function randomDigits(count: number): string {
  let digits = '';
  while (digits.length < count) {
    for (const b of randomBytes(count + 4)) {
      if (b < 250 && digits.length < count) digits += String(b % 10);
    }
  }
  return digits;
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
