import { sdpFingerprint } from './verification.ts';

/** A remote description from another peer than the one this connection belongs to: refused, not applied. */
export class ForeignPeerError extends Error {
  override readonly name = 'ForeignPeerError';
}

/**
 * The remote peer's DTLS fingerprint, fixed by the first remote description
 * applied. A later offer (or answer) with another fingerprint is another
 * peer trying to take the live session over through an ICE and DTLS restart
 * (the agent's peer keeps one certificate for its whole life, and a new agent
 * peer comes with a new consent and a new host peer), so it is refused, and
 * the candidates that came with it are dropped. An ICE restart from the same
 * peer keeps its fingerprint and passes.
 */
export class FingerprintPin {
  private pinned: string | null = null;
  private readonly refusedUfrags = new Set<string>();

  /** Throws ForeignPeerError (or for a description with no or several fingerprints) before anything is applied. */
  admit(sdp: string, kind: 'offer' | 'answer'): void {
    const fingerprint = sdpFingerprint(sdp);
    if (this.pinned === null || fingerprint === this.pinned) return;
    for (const match of sdp.matchAll(/^a=ice-ufrag:(\S+)/gm)) if (match[1]) this.refusedUfrags.add(match[1]);
    throw new ForeignPeerError(
      `refused an ${kind} from another peer ` +
        `(DTLS fingerprint ${fingerprint.slice(0, 20)}…, not the live connection's): ` +
        'a different agent peer may be trying to take over the session',
    );
  }

  /** After the first remote description applied: its fingerprint is the only one from now on. */
  pin(sdp: string): void {
    this.pinned ??= sdpFingerprint(sdp);
  }

  get fingerprint(): string | null {
    return this.pinned;
  }

  /** A candidate that came with a refused description. */
  refuses(candidate: RTCIceCandidateInit): boolean {
    const ufrag = candidate.usernameFragment ?? /\bufrag (\S+)/.exec(candidate.candidate ?? '')?.[1];
    return ufrag !== undefined && this.refusedUfrags.has(ufrag);
  }
}
