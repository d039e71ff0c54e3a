import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo: what turns 32 raw bytes into a key node:crypto takes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The public key from its 32 raw bytes in base64url; null if they are not a key. */
export function publicKeyFromRaw(raw: string): KeyObject | null {
  const bytes = Buffer.from(raw, 'base64url');
  if (bytes.length !== 32) return null;
  try {
    return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, bytes]), format: 'der', type: 'spki' });
  } catch {
    return null;
  }
}

/** Whether `signature` (base64url) is the key's Ed25519 signature over `message`. */
export function verifyHostSignature(publicKey: string, message: string, signature: string): boolean {
  const key = publicKeyFromRaw(publicKey);
  const sig = Buffer.from(signature, 'base64url');
  if (!key || sig.length !== 64) return false;
  try {
    // Ed25519 hashes internally: the algorithm argument is null.
    return verify(null, Buffer.from(message, 'utf8'), key, sig);
  } catch {
    return false;
  }
}

/** What people compare: the first 16 hex digits of the key's SHA-256. */
export function keyFingerprint(publicKey: string): string {
  return createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('hex').slice(0, 16);
}
