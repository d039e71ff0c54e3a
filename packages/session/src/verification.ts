/**
 * A short code both people read aloud to check that nobody sits between their
 * peers. Each side's DTLS certificate fingerprint is in the SDP, and DTLS
 * checks the certificate the other side presents against it, so if both ends
 * see the same pair of fingerprints, the encrypted path is end to end. The
 * broker relays the SDP and could swap fingerprints; it cannot make both ends
 * see the same pair while also terminating DTLS on each.
 *
 * Format: six digits in two groups of three ("042 917"). Digits read aloud
 * the same in every language the product ships (en, de, ja, ko) where a word
 * list would favour English, and a phone support call can read six digits
 * without confusion. Limit: 20 bits only stop a relay that does not grind
 * certificates until one collides; closing that needs a commit-then-reveal
 * exchange (see the package README), which the protocol does not carry yet.
 */

const CODE_DIGITS = 6;
const DOMAIN = 'beckon-verification-v1';

/**
 * The `a=fingerprint:` values of an SDP, normalized (algorithm lower case, hex
 * upper case) so Chromium and libwebrtc spellings of the same certificate agree.
 */
export function sdpFingerprints(sdp: string): string[] {
  const found = new Set<string>();
  for (const line of sdp.split(/\r?\n/)) {
    const match = /^a=fingerprint:(\S+)\s+([0-9A-Fa-f:]+)\s*$/.exec(line);
    if (match?.[1] && match[2]) found.add(`${match[1].toLowerCase()} ${match[2].toUpperCase()}`);
  }
  return [...found];
}

/** SHA-256 of the sorted fingerprints of both descriptions, as the short code. */
export async function verificationCode(localSdp: string, remoteSdp: string): Promise<string> {
  const local = sdpFingerprints(localSdp);
  const remote = sdpFingerprints(remoteSdp);
  if (local.length === 0 || remote.length === 0)
    throw new Error('no DTLS fingerprint in the session description');
  // Sorted, so the offerer and the answerer hash the same text.
  const text = [DOMAIN, ...[...new Set([...local, ...remote])].sort()].join('\n');
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
  );
  return formatCode(digest);
}

/** The first four bytes of the digest as six decimal digits, "ddd ddd" (bias < 1e-3). */
export function formatCode(digest: Uint8Array): string {
  if (digest.length < 4) throw new RangeError('digest too short');
  const value = new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0) % 10 ** CODE_DIGITS;
  const digits = value.toString().padStart(CODE_DIGITS, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}
