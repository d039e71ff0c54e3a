import { createHash } from 'node:crypto';
import { formatCode, sdpFingerprints } from '../verification.ts';

/**
 * The verification code as it was before the commit-then-reveal exchange:
 * SHA-256 over the sorted DTLS fingerprints of both descriptions, nothing
 * else. Kept only so the man-in-the-middle test can show what it let through;
 * synchronous (node:crypto), since that test hashes thousands of candidates.
 */
export function legacyCodeOf(fingerprints: Iterable<string>): string {
  const text = ['beckon-verification-v1', ...[...new Set(fingerprints)].sort()].join('\n');
  return formatCode(createHash('sha256').update(text).digest());
}

/** The legacy code one side showed, from its local and remote descriptions. */
export function legacyVerificationCode(localSdp: string, remoteSdp: string): string {
  return legacyCodeOf([...sdpFingerprints(localSdp), ...sdpFingerprints(remoteSdp)]);
}
