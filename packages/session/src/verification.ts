import { Sha256 } from './sha256.ts';

/**
 * A short code both people read aloud to check that nobody sits between their
 * peers. Each side's DTLS certificate fingerprint is in the SDP, and DTLS
 * checks the certificate the other side presents against it, so a relay that
 * rewrites the SDP and terminates DTLS on each side leaves the two ends seeing
 * different pairs of fingerprints.
 *
 * A code from the fingerprints alone can be ground: such a relay picks its
 * two certificates from a pool so that the two pairs hash to the same six
 * digits (the birthday bound: a few thousand certificates suffice). So the
 * code also hashes a random value from each side, exchanged over the data
 * channel after DTLS is up (verification-exchange.ts), commit first, as ZRTP
 * does: the agent commits to its nonce, the host answers with its nonce, the
 * agent reveals. On each leg of a relay, one of the two values was fixed
 * before the relay could see the other (the agent's behind its commitment,
 * the host's sent only after it holds one), and the certificates were fixed
 * before either, so whatever the relay does, the two codes agree with chance
 * 1 in 10^6 per attempt, and every attempt is a session the person sees.
 *
 * Format: six digits in two groups of three ("042 917"). Digits read aloud
 * the same in every language the product ships (en, de, ja, ko) where a word
 * list would favour English, and a phone support call can read six digits
 * without confusion.
 */

const CODE_DIGITS = 6;
const COMMIT_DOMAIN = 'beckon-verification-commit-v2';
const CODE_DOMAIN = 'beckon-verification-code-v2';

/** Both DTLS fingerprints of one connection, by role, as both ends see them if nobody is in between. */
export interface DtlsFingerprints {
  offer: string;
  answer: string;
}

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

/**
 * The one DTLS fingerprint of a description. Several distinct ones are
 * refused: the stack checks the certificate against one of them, and a code
 * over the others would let a relay add lines it never has to prove.
 */
export function sdpFingerprint(sdp: string): string {
  const all = sdpFingerprints(sdp);
  if (all.length === 0) throw new Error('no DTLS fingerprint in the session description');
  if (all.length > 1) throw new Error('more than one DTLS fingerprint in the session description');
  return all[0]!;
}

/** Both fingerprints of a negotiated connection, by role. */
export function connectionFingerprints(pc: RTCPeerConnection, initiator: boolean): DtlsFingerprints {
  const local = pc.currentLocalDescription ?? pc.localDescription;
  const remote = pc.currentRemoteDescription ?? pc.remoteDescription;
  if (!local?.sdp || !remote?.sdp) throw new Error('not negotiated yet');
  const own = sdpFingerprint(local.sdp);
  const theirs = sdpFingerprint(remote.sdp);
  return initiator ? { offer: own, answer: theirs } : { offer: theirs, answer: own };
}

/** 32 random bytes as hex: one side's contribution to the code. */
export function randomNonce(): string {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/** What the agent sends first: SHA-256 over its nonce and both fingerprints as it sees them. */
export function commitment(nonce: string, fingerprints: DtlsFingerprints): string {
  return hash([COMMIT_DOMAIN, nonce, fingerprints.offer, fingerprints.answer]).hex();
}

/** The code both people compare: both fingerprints by role and both nonces. */
export function verificationCodeFrom(
  fingerprints: DtlsFingerprints,
  initiatorNonce: string,
  responderNonce: string,
): string {
  return formatCode(
    hash([CODE_DOMAIN, fingerprints.offer, fingerprints.answer, initiatorNonce, responderNonce]).digest(),
  );
}

/** The first four bytes of the digest as six decimal digits, "ddd ddd" (bias < 1e-3). */
export function formatCode(digest: Uint8Array): string {
  if (digest.length < 4) throw new RangeError('digest too short');
  const value = new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0) % 10 ** CODE_DIGITS;
  const digits = value.toString().padStart(CODE_DIGITS, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** Fields joined by newlines: none can hold one (hex, and fingerprints read line by line). */
function hash(fields: string[]): Sha256 {
  return new Sha256().update(new TextEncoder().encode(fields.join('\n')));
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}
